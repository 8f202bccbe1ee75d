/**
 * The `twitter` config section, shared by the twitter.* plugins. Base URLs are settable so
 * tests (and proxies) can point the API and the web flow elsewhere. The credentials here
 * are the default account, used when a step names no `account` (X_API_KEY & co. fill them).
 */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';

export const twitterConfigSchema = {
  type: 'object',
  description: 'Settings of the twitter.* plugins (X). Limit name suggested in pipelines: `twitter`.',
  additionalProperties: false,
  properties: {
    driver: { type: 'string', enum: ['api', 'browser'], description: 'How to post when neither the step nor the account says: X API v2 or the browser on the account profile. @default api' },
    apiBaseUrl: { type: 'string', default: 'https://api.x.com', description: 'X API base URL (`<apiBaseUrl>/2/tweets`).' },
    uploadBaseUrl: { type: 'string', default: 'https://api.x.com', description: 'Base URL of the v2 media upload (`<uploadBaseUrl>/2/media/upload/...`).' },
    webBaseUrl: { type: 'string', default: 'https://x.com', description: 'Web site base URL: post links (`<webBaseUrl>/<user>/status/<id>`) and the browser compose page.' },
    apiKey: { type: 'string', writeOnly: true, description: 'Default account: OAuth 1.0a consumer (API) key. X_API_KEY sets it.' },
    apiSecret: { type: 'string', writeOnly: true, description: 'Default account: OAuth 1.0a consumer (API) secret. X_API_SECRET sets it.' },
    accessToken: { type: 'string', writeOnly: true, description: 'Default account: OAuth 1.0a user access token. X_ACCESS_TOKEN sets it.' },
    accessSecret: { type: 'string', writeOnly: true, description: 'Default account: OAuth 1.0a user access token secret. X_ACCESS_SECRET sets it.' },
    bearerToken: { type: 'string', writeOnly: true, description: 'Default account: OAuth 2.0 user-context access token (scopes tweet.write, users.read, media.write), used when no OAuth 1.0a keys are set. X_BEARER_TOKEN sets it.' },
    maxLength: { type: 'integer', minimum: 1, default: 280, description: 'Longest post in X weighted characters (280; X Premium accounts may post up to 25000).' },
    uploadChunkBytes: { type: 'integer', minimum: 1024, maximum: 5 * 1024 * 1024, default: 1024 * 1024, description: 'Size of each APPEND chunk of the media upload.' },
    mediaTimeout: { type: ['string', 'number'], default: '10m', description: 'Longest wait for X to finish processing an uploaded video (STATUS polling).' },
    headless: { type: 'boolean', default: true, description: 'Browser driver: run Chromium without a window.' },
    selectorsFile: { type: 'string', description: 'Browser driver: a JSON file replacing the shipped selectors (plugins/twitter/selectors.json), for when X changes its page.' },
    browserTimeout: { type: ['string', 'number'], default: '30s', description: 'Browser driver: longest wait for each element of the compose flow.' },
  },
} as const satisfies JSONSchema;

/** The `twitter` section as its plugins read it: the config loader has filled in the defaults. */
export type TwitterConfig = FromSchema<typeof twitterConfigSchema>;

/** The plugin's own `ctx.config`, typed by its schema. */
export const twitterConfig = (config: Readonly<Record<string, unknown>>): TwitterConfig => config as TwitterConfig;
