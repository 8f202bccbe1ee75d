/**
 * The `tts` config section, shared by every tts.* plugin. API keys are `writeOnly` (the
 * logger and `mpv2 config show` redact them); base URLs are settable so tests, proxies and
 * self-hosted OpenAI-compatible servers can be used.
 */
import type { JSONSchema } from 'mpv2/plugin';

export const PROVIDERS = ['espeak-ng', 'edge', 'elevenlabs', 'openai'] as const;
export type ProviderId = (typeof PROVIDERS)[number];
export const ENGINES = ['auto', 'lib', 'wasm'] as const;
export type EspeakEngine = (typeof ENGINES)[number];

export const ttsConfigSchema: JSONSchema = {
  type: 'object',
  description: 'Settings of the tts.* plugins (text to speech).',
  additionalProperties: false,
  properties: {
    provider: { enum: [...PROVIDERS], default: 'espeak-ng', description: 'Provider used when a step does not name one. `espeak-ng` is offline.' },
    concurrency: { type: 'integer', minimum: 1, maximum: 32, default: 4, description: 'Chunks synthesized at the same time by online providers (espeak-ng runs in-process, one at a time).' },
    espeak: {
      type: 'object',
      additionalProperties: false,
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
};

export interface TtsConfig {
  provider: ProviderId;
  concurrency: number;
  espeak: { engine: EspeakEngine; voice: string; voices: Record<string, string>; libPath: string };
  edge: { baseUrl: string; voice: string; voices: Record<string, string>; outputFormat: string; timeoutMs: number };
  elevenlabs: { baseUrl: string; apiKey?: string; voice: string; voices: Record<string, string>; model: string; outputFormat: string };
  openai: { baseUrl: string; apiKey?: string; voice: string; voices: Record<string, string>; model: string; responseFormat: string };
}

type Section = Record<string, unknown>;
const str = (v: unknown, d: string): string => (typeof v === 'string' && v ? v : d);
const map = (v: unknown): Record<string, string> => (v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string' && x)) as Record<string, string> : {});
const opt = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** The config section with every default filled (the engine may or may not have applied them). */
export function readTtsConfig(raw: Readonly<Record<string, unknown>>): TtsConfig {
  const sec = (k: string): Section => (raw[k] && typeof raw[k] === 'object' ? (raw[k] as Section) : {});
  const es = sec('espeak');
  const ed = sec('edge');
  const el = sec('elevenlabs');
  const oa = sec('openai');
  const provider = PROVIDERS.includes(raw.provider as ProviderId) ? (raw.provider as ProviderId) : 'espeak-ng';
  const engine = ENGINES.includes(es.engine as EspeakEngine) ? (es.engine as EspeakEngine) : 'auto';
  return {
    provider,
    concurrency: typeof raw.concurrency === 'number' && raw.concurrency >= 1 ? Math.floor(raw.concurrency) : 4,
    espeak: { engine, voice: str(es.voice, 'en-us'), voices: map(es.voices), libPath: str(es.libPath, 'libespeak-ng.so.1') },
    edge: {
      baseUrl: str(ed.baseUrl, 'wss://speech.platform.bing.com/consumer/speech/synthesize/readaloud'),
      voice: str(ed.voice, 'en-US-AriaNeural'),
      voices: map(ed.voices),
      outputFormat: str(ed.outputFormat, 'audio-24khz-48kbitrate-mono-mp3'),
      timeoutMs: typeof ed.timeoutMs === 'number' ? ed.timeoutMs : 60_000,
    },
    elevenlabs: {
      baseUrl: str(el.baseUrl, 'https://api.elevenlabs.io'),
      apiKey: opt(el.apiKey),
      voice: str(el.voice, '21m00Tcm4TlvDq8ikWAM'),
      voices: map(el.voices),
      model: str(el.model, 'eleven_multilingual_v2'),
      outputFormat: str(el.outputFormat, 'mp3_44100_128'),
    },
    openai: {
      baseUrl: str(oa.baseUrl, 'https://api.openai.com'),
      apiKey: opt(oa.apiKey),
      voice: str(oa.voice, 'alloy'),
      voices: map(oa.voices),
      model: str(oa.model, 'gpt-4o-mini-tts'),
      responseFormat: str(oa.responseFormat, 'wav'),
    },
  };
}
