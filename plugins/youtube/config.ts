/**
 * The `youtube` config section, shared by every youtube.* plugin. Every endpoint is settable
 * so tests, proxies and mirrors can be used; quota numbers follow the Data API defaults.
 */
import type { JSONSchema } from 'mpv2/plugin';

export const youtubeConfigSchema: JSONSchema = {
  type: 'object',
  description: 'Settings of the youtube.* plugins (uploads through the Data API or YouTube Studio in a browser).',
  additionalProperties: false,
  properties: {
    apiBaseUrl: { type: 'string', default: 'https://www.googleapis.com/youtube/v3', description: 'YouTube Data API v3 base URL.' },
    uploadBaseUrl: { type: 'string', default: 'https://www.googleapis.com/upload/youtube/v3', description: 'Media upload base URL (videos, thumbnails, captions).' },
    oauthTokenUrl: { type: 'string', default: 'https://oauth2.googleapis.com/token', description: 'OAuth 2.0 token endpoint (refresh and code exchange).' },
    oauthAuthorizeUrl: { type: 'string', default: 'https://accounts.google.com/o/oauth2/v2/auth', description: 'OAuth 2.0 authorization page opened by `mpv2 accounts login`.' },
    quotaPerDay: { type: 'integer', minimum: 1, default: 10000, description: 'Quota units per OAuth client (Google Cloud project) per day, for every method but videos.insert and search.list; an account setting `quotaPerDay` wins.' },
    uploadsPerDay: { type: 'integer', minimum: 1, default: 100, description: 'videos.insert calls per OAuth client per day (their own quota bucket).' },
    legacyQuota: { type: 'boolean', default: false, description: 'Count videos.insert as 1600 units and search.list as 100 units of `quotaPerDay` (projects still on the single-bucket quota).' },
    chunkSize: { type: 'integer', minimum: 262144, multipleOf: 262144, default: 8388608, description: 'Bytes per resumable-upload chunk (a multiple of 256 KiB).' },
    maxResumeAttempts: { type: 'integer', minimum: 0, default: 8, description: 'Times an interrupted upload is resumed in a row without progress before the step fails (retryable).' },
    resumeBackoffMs: { type: 'integer', minimum: 0, default: 1000, description: 'First wait before resuming an interrupted upload; doubles on each try without progress (max 30 s).' },
    headless: { type: 'boolean', default: true, description: 'Run Chromium headless for the browser driver.' },
    uploadUrl: { type: 'string', default: 'https://www.youtube.com/upload', description: 'Page that opens the Studio upload dialog (browser driver).' },
    contentUrl: { type: 'string', default: 'https://studio.youtube.com/channel/{channelId}/videos/upload', description: 'Studio content list used to reconcile an interrupted browser upload; `{channelId}` is the account\'s channel id.' },
    selectorsFile: { type: 'string', description: 'A JSON file whose entries replace those of the built-in Studio selectors (plugins/youtube/browser/selectors.json), for a quick fix when Studio changes.' },
    stepTimeoutMs: { type: 'integer', minimum: 1000, default: 30000, description: 'Longest wait for one Studio element (browser driver).' },
    processingTimeoutMs: { type: 'integer', minimum: 1000, default: 600000, description: 'Longest wait for Studio to finish uploading the file before Done (browser driver).' },
  },
};

export interface YoutubeConfig {
  apiBaseUrl: string;
  uploadBaseUrl: string;
  oauthTokenUrl: string;
  oauthAuthorizeUrl: string;
  quotaPerDay: number;
  uploadsPerDay: number;
  legacyQuota: boolean;
  chunkSize: number;
  maxResumeAttempts: number;
  resumeBackoffMs: number;
  headless: boolean;
  uploadUrl: string;
  contentUrl: string;
  selectorsFile?: string;
  stepTimeoutMs: number;
  processingTimeoutMs: number;
}

const str = (v: unknown, d: string): string => (typeof v === 'string' && v ? v.replace(/\/+$/, '') : d);
const int = (v: unknown, d: number, min = 0): number => (typeof v === 'number' && Number.isFinite(v) && v >= min ? Math.floor(v) : d);

/** The config section with every default filled (the engine may or may not have applied them). */
export function readYoutubeConfig(raw: Readonly<Record<string, unknown>>): YoutubeConfig {
  const chunk = int(raw.chunkSize, 8 * 1024 * 1024, 262144);
  return {
    apiBaseUrl: str(raw.apiBaseUrl, 'https://www.googleapis.com/youtube/v3'),
    uploadBaseUrl: str(raw.uploadBaseUrl, 'https://www.googleapis.com/upload/youtube/v3'),
    oauthTokenUrl: str(raw.oauthTokenUrl, 'https://oauth2.googleapis.com/token'),
    oauthAuthorizeUrl: str(raw.oauthAuthorizeUrl, 'https://accounts.google.com/o/oauth2/v2/auth'),
    quotaPerDay: int(raw.quotaPerDay, 10000, 1),
    uploadsPerDay: int(raw.uploadsPerDay, 100, 1),
    legacyQuota: raw.legacyQuota === true,
    // Google rejects chunks that are not multiples of 256 KiB (except the last one)
    chunkSize: chunk - (chunk % 262144),
    maxResumeAttempts: int(raw.maxResumeAttempts, 8),
    resumeBackoffMs: int(raw.resumeBackoffMs, 1000),
    headless: raw.headless !== false,
    uploadUrl: typeof raw.uploadUrl === 'string' && raw.uploadUrl ? raw.uploadUrl : 'https://www.youtube.com/upload',
    contentUrl: typeof raw.contentUrl === 'string' && raw.contentUrl ? raw.contentUrl : 'https://studio.youtube.com/channel/{channelId}/videos/upload',
    selectorsFile: typeof raw.selectorsFile === 'string' && raw.selectorsFile ? raw.selectorsFile : undefined,
    stepTimeoutMs: int(raw.stepTimeoutMs, 30000, 1),
    processingTimeoutMs: int(raw.processingTimeoutMs, 600000, 1),
  };
}
