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
        provider: { enum: ['openai'], default: 'openai', description: 'Who transcribes when a step names none: `openai` (any OpenAI-compatible `/v1/audio/transcriptions`).' },
        baseUrl: { type: 'string', default: 'https://api.openai.com', description: 'Base URL of the OpenAI-compatible server (`/v1` is added when missing).' },
        model: { type: 'string', minLength: 1, default: 'whisper-1', description: 'Transcription model; it must give word timestamps with `verbose_json` (whisper-1 does).' },
        apiKey: { type: 'string', writeOnly: true, description: 'API key; OPENAI_API_KEY wins over it.' },
      },
    },
  },
} as const satisfies JSONSchema;

export type CaptionsConfig = FromSchema<typeof captionsConfigSchema>;

/**
 * The section with the schema's defaults. A step's own section arrives filled, but a namespace
 * first loaded for a service call mid-run (tts.speak calling `captions.align`) gets the
 * section as written, possibly empty; the defaults are read from the schema, not restated.
 */
export function readCaptionsConfig(section: Readonly<Record<string, unknown>>): CaptionsConfig {
  const p = captionsConfigSchema.properties;
  return {
    language: typeof section.language === 'string' ? section.language : p.language.default,
    minConfidence: typeof section.minConfidence === 'number' ? section.minConfidence : p.minConfidence.default,
    // only captions.transcribe reads it, and a step's own section arrives filled
    transcription: section.transcription as CaptionsConfig['transcription'],
  };
}
