/**
 * The `instagram` config section. Every endpoint is settable so a proxy (or a test server on
 * 127.0.0.1) can stand in for Meta's hosts.
 */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';

export const instagramConfigSchema = {
  type: 'object',
  description: 'Settings of instagram.reels (Instagram Graph API content publishing).',
  additionalProperties: false,
  properties: {
    graphBaseUrl: { type: 'string', default: 'https://graph.facebook.com', description: 'Graph API host (containers, status, publishing, limits).' },
    graphVersion: { type: 'string', pattern: '^v\\d+\\.\\d+$', default: 'v26.0', description: 'Graph API version of every call, e.g. `v26.0`.' },
    uploadBaseUrl: { type: 'string', description: 'Replaces the scheme, host and port of the upload URL a container returns (rupload.facebook.com), for a proxy or a test server; its own path, if any, goes before the returned path.' },
    pollIntervalMs: { type: 'integer', minimum: 0, default: 5000, description: 'Wait between two looks at a container\'s status while Instagram processes the video.' },
    processingTimeoutMs: { type: 'integer', minimum: 1000, default: 900000, description: 'Longest wait for a container to become FINISHED before the step fails (retryable: the next try resumes the same container).' },
    maxResumeAttempts: { type: 'integer', minimum: 0, default: 5, description: 'Times a dropped upload is resumed from the offset Instagram reports before the step fails.' },
  },
} as const satisfies JSONSchema;

export type InstagramConfig = FromSchema<typeof instagramConfigSchema>;
