/** The `captions` config section. */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';

export const captionsConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    language: { type: 'string', minLength: 1, default: 'en', description: 'Language of the reference narration when a step gives none (BCP 47 such as `en`, `fr-FR`, or an espeak-ng voice).' },
    minConfidence: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'Below this confidence an alignment is not trusted: the words are estimated instead, with a warning.' },
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
  };
}
