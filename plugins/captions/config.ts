/** The `captions` config section. */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';

export const captionsConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    language: { type: 'string', minLength: 1, default: 'en', description: 'Language of the reference narration when a step gives none (BCP 47 such as `en`, `fr-FR`, or an espeak-ng voice).' },
    minConfidence: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'Below this confidence an alignment is not trusted: the words are estimated instead, with a warning.' },
    transcription: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'captions.transcribe: speech to word-timed text where there is no script.',
      properties: {
        provider: { enum: ['openai', 'local'], default: 'openai', description: 'Who transcribes when a step names none: `openai` (any OpenAI-compatible `/v1/audio/transcriptions`) or `local` (whisper.cpp on this machine, with a model file you provide).' },
        baseUrl: { type: 'string', default: 'https://api.openai.com', description: 'Base URL of the OpenAI-compatible server (`/v1` is added when missing).' },
        model: { type: 'string', minLength: 1, default: 'whisper-1', description: 'Transcription model; it must give word timestamps with `verbose_json` (whisper-1 does).' },
        apiKey: { type: 'string', writeOnly: true, description: 'API key; OPENAI_API_KEY wins over it.' },
        local: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'Provider `local`: whisper.cpp in-process, through the npm package @fugood/node-whisper-<platform>-<arch> (installed by you, not by mpv2).',
          properties: {
            modelPath: { type: 'string', minLength: 1, description: 'The whisper.cpp ggml model file (e.g. ggml-base.en.bin), relative to the project root. Required for `local`; mpv2 never downloads models.' },
            threads: { type: 'integer', minimum: 1, maximum: 64, description: 'CPU threads whisper.cpp uses; when not set, the number of cores (at most 8).' },
          },
        },
      },
    },
  },
} as const satisfies JSONSchema;

/**
 * The section as `ctx.config` holds it, defaults filled: also when captions is loaded for a
 * service call (tts.speak calling `align`), since a run loads the namespaces its plugins `use`
 * before it reads the config.
 */
export type CaptionsConfig = FromSchema<typeof captionsConfigSchema>;
