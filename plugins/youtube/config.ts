/**
 * The `youtube` config section, shared by every youtube.* plugin. Every endpoint is settable
 * so tests, proxies and mirrors can be used; quota numbers follow the Data API defaults.
 */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';

export const youtubeConfigSchema = {
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
} as const satisfies JSONSchema;

/** The section as the config loader hands it over: validated, every default filled. */
export type YoutubeConfig = FromSchema<typeof youtubeConfigSchema>;

const base = (url: string): string => url.replace(/\/+$/, '');

/** `ctx.config` of a youtube plugin, its base URLs without a trailing `/` (paths are appended to them). */
export function readYoutubeConfig(config: Readonly<Record<string, unknown>>): YoutubeConfig {
  const c = config as YoutubeConfig;
  return { ...c, apiBaseUrl: base(c.apiBaseUrl), uploadBaseUrl: base(c.uploadBaseUrl), oauthTokenUrl: base(c.oauthTokenUrl), oauthAuthorizeUrl: base(c.oauthAuthorizeUrl) };
}
