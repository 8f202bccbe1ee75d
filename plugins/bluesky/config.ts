/**
 * The `bluesky` config section: the PDS or entryway the session starts at, the video service and
 * its DID, where post URLs point, and how long to wait for video processing. Every endpoint is
 * settable so a proxy or a loopback test server can stand in.
 */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';

export const blueskyConfigSchema = {
  type: 'object',
  description: 'Settings of bluesky.post (AT Protocol).',
  additionalProperties: false,
  properties: {
    service: { type: 'string', default: 'https://bsky.social', description: 'Where the app-password session starts (the entryway or your PDS); requests then go to the PDS the account lives on.' },
    videoService: { type: 'string', default: 'https://video.bsky.app', description: 'The Bluesky video service (upload limits, uploads, job status).' },
    videoServiceDid: { type: 'string', default: 'did:web:video.bsky.app', description: 'The video service\'s DID: the audience of the service-auth token for getUploadLimits.' },
    appUrl: { type: 'string', default: 'https://bsky.app', description: 'Base of the post URLs in the outputs.' },
    pollIntervalMs: { type: 'integer', minimum: 0, default: 2000, description: 'Wait between two looks at a video job.' },
    maxPolls: { type: 'integer', minimum: 1, default: 300, description: 'Looks at a video job before the step gives up (the next run picks the job up again).' },
    maxUploadAttempts: { type: 'integer', minimum: 1, maximum: 10, default: 3, description: 'Tries of a video upload whose connection broke.' },
  },
} as const satisfies JSONSchema;

export type BlueskyConfig = FromSchema<typeof blueskyConfigSchema>;

export const trim = (u: string): string => u.replace(/\/+$/, '');
