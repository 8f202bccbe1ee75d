/**
 * The `facebook` config section. Every endpoint is settable so a proxy (or a test server on
 * 127.0.0.1) can stand in for Meta's hosts.
 */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';

export const facebookConfigSchema = {
  type: 'object',
  description: 'Settings of facebook.reels (Facebook Page Reels through the Graph API).',
  additionalProperties: false,
  properties: {
    graphBaseUrl: { type: 'string', default: 'https://graph.facebook.com', description: 'Graph API host (upload sessions, finish, status).' },
    graphVersion: { type: 'string', pattern: '^v\\d+\\.\\d+$', default: 'v26.0', description: 'Graph API version of every call, e.g. `v26.0`.' },
    uploadBaseUrl: { type: 'string', description: 'Replaces the scheme, host and port of the upload URL a session returns (rupload.facebook.com), for a proxy or a test server; its own path, if any, goes before the returned path.' },
    reelsPer24h: { type: 'integer', minimum: 1, default: 30, description: 'Reels a Page may publish through the API in a moving 24 hours (Meta\'s limit is 30); mpv2 counts its own and refuses before uploading.' },
    pollIntervalMs: { type: 'integer', minimum: 0, default: 5000, description: 'Wait between two looks at the video\'s status while Facebook processes it.' },
    processingTimeoutMs: { type: 'integer', minimum: 1000, default: 900000, description: 'Longest wait for the Reel to be processed and published before the step fails (retryable: the next try goes on with the same video).' },
    maxResumeAttempts: { type: 'integer', minimum: 0, default: 5, description: 'Times a dropped upload is resumed from the bytes Facebook reports before the step fails.' },
  },
} as const satisfies JSONSchema;

export type FacebookConfig = FromSchema<typeof facebookConfigSchema>;
