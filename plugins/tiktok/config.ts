/**
 * The `tiktok` config section: endpoints (so a proxy or a loopback test server can stand in for
 * open.tiktokapis.com and TikTok Studio), the chunk size, status polling, the URL prefixes verified
 * with TikTok for PULL_FROM_URL, and the browser driver's page and waits.
 */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';

export const tiktokConfigSchema = {
  type: 'object',
  description: 'Settings of tiktok.upload (TikTok Content Posting API).',
  additionalProperties: false,
  properties: {
    apiBaseUrl: { type: 'string', default: 'https://open.tiktokapis.com', description: 'Base URL of the TikTok Open API (OAuth token endpoint and Content Posting API).' },
    authorizeUrl: { type: 'string', default: 'https://www.tiktok.com/v2/auth/authorize/', description: 'Login Kit authorization page that `mpv2 accounts login` sends the user to (api driver).' },
    loginScopes: { type: 'string', default: 'user.info.basic,video.upload,video.publish', description: 'Scopes `mpv2 accounts login` asks for, comma-separated (the app must have them approved).' },
    chunkSize: { type: 'integer', minimum: 5242880, maximum: 67108864, default: 10485760, description: 'Bytes per upload chunk (5–64 MiB); a video under 5 MiB, or one that fits in one chunk, is sent whole.' },
    maxChunkAttempts: { type: 'integer', minimum: 1, maximum: 10, default: 4, description: 'Tries of one chunk (sent again whole) before the upload fails.' },
    pollIntervalMs: { type: 'integer', minimum: 0, default: 5000, description: 'Wait between two looks at the post status (status/fetch allows 30 requests a minute).' },
    maxPolls: { type: 'integer', minimum: 1, default: 120, description: 'Looks at the post status before the step gives up waiting (the next run asks again through the saved publish_id).' },
    webBaseUrl: { type: 'string', default: 'https://www.tiktok.com', description: 'Browser driver: base URL of TikTok Studio.' },
    selectorsFile: { type: 'string', description: 'Browser driver: a JSON file whose entries replace those of the shipped selectors (plugins/tiktok/selectors.json), for when TikTok changes its page.' },
    headless: { type: 'boolean', default: true, description: 'Browser driver: run Chromium without a window.' },
    browserTimeoutMs: { type: 'integer', minimum: 100, default: 30000, description: 'Browser driver: longest wait for one element of the upload page.' },
    processingTimeoutMs: { type: 'integer', minimum: 100, default: 600000, description: 'Browser driver: longest wait for Studio to finish uploading the file.' },
    verifiedUrlPrefixes: { type: 'array', items: { type: 'string', minLength: 8 }, default: [], description: 'URL prefixes (domains or paths) verified with TikTok in the developer portal: `videoUrl` (PULL_FROM_URL) must start with one.' },
  },
} as const satisfies JSONSchema;

export type TiktokConfig = FromSchema<typeof tiktokConfigSchema>;

/** The base URL without a trailing slash. */
export const apiBase = (cfg: TiktokConfig): string => cfg.apiBaseUrl.replace(/\/+$/, '');
