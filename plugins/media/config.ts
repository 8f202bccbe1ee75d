/**
 * The `media` config section, shared by every media.* plugin. Secrets are `writeOnly` so the
 * logger and `mpv2 config show` redact them; base URLs are settable so tests (and proxies,
 * self-hosted OpenAI-compatible servers) can point the providers elsewhere.
 */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';

export const mediaConfigSchema = {
  type: 'object',
  description: 'Settings of the media.* plugins (image and clip providers).',
  additionalProperties: false,
  properties: {
    maxInputPixels: {
      type: 'integer',
      minimum: 1,
      default: 500_000_000,
      description: 'Largest image (width x height) that is decoded; larger ones are skipped with a warning. 20000x20000 = 400 Mpx.',
    },
    minInputSide: {
      type: 'integer',
      minimum: 1,
      default: 64,
      description: 'Images whose shorter side is below this many pixels are skipped (they would be a blur once upscaled).',
    },
    tries: {
      type: 'integer',
      minimum: 1,
      maximum: 10,
      default: 3,
      description: 'Tries per request or download when the failure says a retry can help (429, 5xx, network).',
    },
    maxRetryDelayMs: {
      type: 'integer',
      minimum: 0,
      default: 30_000,
      description: 'Longest wait between two tries, even if a Retry-After header asks for more.',
    },
    library: {
      type: 'string',
      format: 'path',
      description: 'A folder (or glob) of your own images and clips inside the project, relative to the config file, searched before any provider (by file name and sidecar tags). A step\'s `library` input (relative to the pipeline) wins.',
    },
    pexels: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Pexels (photos and videos). Limit name: `pexels`.',
      properties: {
        apiKey: { type: 'string', writeOnly: true, description: 'Pexels API key; PEXELS_API_KEY wins over it.' },
        baseUrl: { type: 'string', default: 'https://api.pexels.com', description: 'API base URL (photo search is `<baseUrl>/v1/search`, video search `<baseUrl>/videos/search`).' },
      },
    },
    pixabay: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Pixabay (photos and videos). Limit name: `pixabay`.',
      properties: {
        apiKey: { type: 'string', writeOnly: true, description: 'Pixabay API key; PIXABAY_API_KEY wins over it.' },
        baseUrl: { type: 'string', default: 'https://pixabay.com', description: 'API base URL (`<baseUrl>/api/` and `<baseUrl>/api/videos/`).' },
        safesearch: { type: 'boolean', default: true, description: 'Ask Pixabay for safe-for-work results only.' },
      },
    },
    openai: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Any OpenAI-compatible image generation endpoint. Limit name: `openai-images`.',
      properties: {
        apiKey: { type: 'string', writeOnly: true, description: 'API key; OPENAI_API_KEY wins over it.' },
        baseUrl: { type: 'string', default: 'https://api.openai.com/v1', description: 'Base URL; requests go to `<baseUrl>/images/generations`.' },
        model: { type: 'string', default: 'gpt-image-1', description: 'Model name sent with each request.' },
        size: { type: 'string', description: 'Size sent with each request (e.g. `1024x1792`); by default chosen from the aspect and the model.' },
        quality: { type: 'string', description: 'Quality sent with each request (`low`, `medium`, `high`, `standard`, `hd`); omitted by default.' },
        responseFormat: { type: 'string', enum: ['b64_json', 'url'], description: 'Sent as `response_format` when set (DALL-E models); gpt-image-1 always answers b64_json.' },
        promptSuffix: {
          type: 'string',
          default: 'Photorealistic, cinematic lighting, no text, no watermark.',
          description: 'Appended to each query to make the prompt.',
        },
      },
    },
  },
} as const satisfies JSONSchema;

/** The `media` section as plugins read it: the config loader has filled in the defaults. */
export type MediaConfig = FromSchema<typeof mediaConfigSchema>;
