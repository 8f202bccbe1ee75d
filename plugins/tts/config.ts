/**
 * The `tts` config section, shared by every tts.* plugin. API keys are `writeOnly` (the
 * logger and `mpv2 config show` redact them); base URLs are settable so tests, proxies and
 * self-hosted OpenAI-compatible servers can be used.
 */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';

export const PROVIDERS = ['espeak-ng', 'edge', 'elevenlabs', 'openai'] as const;
export type ProviderId = (typeof PROVIDERS)[number];
export const ENGINES = ['auto', 'lib', 'wasm'] as const;
export type EspeakEngine = (typeof ENGINES)[number];

export const ttsConfigSchema = {
  type: 'object',
  description: 'Settings of the tts.* plugins (text to speech).',
  additionalProperties: false,
  properties: {
    provider: { enum: [...PROVIDERS], default: 'espeak-ng', description: 'Provider used when a step does not name one. `espeak-ng` is offline.' },
    concurrency: { type: 'integer', minimum: 1, maximum: 32, default: 4, description: 'Chunks synthesized at the same time by online providers (espeak-ng runs in-process, one at a time).' },
    espeak: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'The offline espeak-ng engine.',
      properties: {
        engine: { enum: [...ENGINES], default: 'auto', description: '`lib`: Debian libespeak-ng through koffi (exact word times); `wasm`: the npm WebAssembly build (estimated word times); `auto`: lib when it loads, else wasm.' },
        voices: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Voice per language (BCP 47 tag or language subtag → voice), used when a step has a `language` and no `voice`.' },
        voice: { type: 'string', default: 'en-us', description: 'Default voice (an espeak-ng language or voice name, optionally with a variant such as `en-us+f3`).' },
        libPath: { type: 'string', default: 'libespeak-ng.so.1', description: 'File name or path of the espeak-ng shared library.' },
      },
    },
    edge: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Microsoft Edge read-aloud voices (online, no key, word boundaries).',
      properties: {
        baseUrl: { type: 'string', default: 'wss://speech.platform.bing.com/consumer/speech/synthesize/readaloud', description: 'WebSocket base URL; `/edge/v1` is appended.' },
        voices: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Voice per language (BCP 47 tag or language subtag → voice), used when a step has a `language` and no `voice`.' },
        voice: { type: 'string', default: 'en-US-AriaNeural', description: 'Default voice, e.g. `en-US-AriaNeural`.' },
        outputFormat: { type: 'string', default: 'audio-24khz-48kbitrate-mono-mp3', description: 'Audio format asked of the service.' },
        timeoutMs: { type: 'integer', minimum: 1000, default: 60_000, description: 'Longest wait for one chunk.' },
      },
    },
    elevenlabs: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'ElevenLabs (`/v1/text-to-speech/{voice}/with-timestamps`). Key: ELEVENLABS_API_KEY or `apiKey`.',
      properties: {
        baseUrl: { type: 'string', default: 'https://api.elevenlabs.io', description: 'API base URL.' },
        apiKey: { type: 'string', writeOnly: true, description: 'API key; ELEVENLABS_API_KEY wins over it.' },
        voices: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Voice per language (BCP 47 tag or language subtag → voice), used when a step has a `language` and no `voice`.' },
        voice: { type: 'string', default: '21m00Tcm4TlvDq8ikWAM', description: 'Default voice id (GET /v1/voices lists yours).' },
        model: { type: 'string', default: 'eleven_multilingual_v2', description: 'Model id.' },
        outputFormat: { type: 'string', default: 'mp3_44100_128', description: 'Output format (`mp3_44100_128`, `pcm_24000`, ...).' },
      },
    },
    openai: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Any OpenAI-compatible `/v1/audio/speech` endpoint. Key: OPENAI_API_KEY or `apiKey`.',
      properties: {
        baseUrl: { type: 'string', default: 'https://api.openai.com', description: 'API base URL (with or without a trailing `/v1`).' },
        apiKey: { type: 'string', writeOnly: true, description: 'API key; OPENAI_API_KEY wins over it.' },
        voices: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Voice per language (BCP 47 tag or language subtag → voice), used when a step has a `language` and no `voice`.' },
        voice: { type: 'string', default: 'alloy', description: 'Default voice.' },
        model: { type: 'string', default: 'gpt-4o-mini-tts', description: 'Model id (`tts-1`, `tts-1-hd`, `gpt-4o-mini-tts`, ...).' },
        responseFormat: { enum: ['wav', 'mp3', 'flac', 'opus', 'aac', 'pcm'], default: 'wav', description: 'Audio format asked of the service (`pcm` is 24 kHz s16le).' },
      },
    },
  },
} as const satisfies JSONSchema;

/**
 * The section as `ctx.config` holds it: the config loader has filled every default (each
 * provider's block included), and the schema has refused anything else.
 */
export type TtsConfig = FromSchema<typeof ttsConfigSchema>;
