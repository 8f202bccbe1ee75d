/** JSON Schemas of llm.generate's `with` and outputs. */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';

export const providerRef = {
  oneOf: [
    { type: 'string', description: 'A provider name from llm.providers or a preset (mistral, openai, openrouter, groq, ollama, ...)' },
    {
      type: 'object', required: ['name'], additionalProperties: false,
      description: 'A provider with its own model, for fallback lists across vendors',
      properties: { name: { type: 'string', description: 'Provider name' }, model: { type: 'string', description: 'Model for this provider' } },
    },
  ],
} as const satisfies JSONSchema;

export const generateInput = {
  type: 'object',
  additionalProperties: false,
  properties: {
    prompt: { type: 'string', description: 'The user message (give exactly one of prompt, promptFile, messages)' },
    promptFile: { type: 'string', format: 'path', description: 'A Markdown prompt file, relative to the pipeline file; `{{ name }}` placeholders are filled from `vars`; optional YAML front matter: system, vars (defaults), temperature, maxTokens, model' },
    messages: {
      type: 'array', minItems: 1, description: 'A whole conversation instead of one prompt',
      items: {
        type: 'object', required: ['role', 'content'], additionalProperties: false,
        properties: {
          role: { type: 'string', enum: ['system', 'user', 'assistant'], description: 'Who speaks' },
          content: { type: 'string', description: 'What is said' },
        },
      },
    },
    system: { type: 'string', description: 'System message (overrides the prompt file\'s `system`)' },
    vars: { type: 'object', description: 'Values for the prompt file\'s placeholders (override its front matter defaults)', default: {} },
    provider: {
      description: 'Provider name, or an ordered fallback list tried on retryable failures (429, 5xx, network, timeout). @default llm.defaultProvider, else the first available',
      oneOf: [providerRef, { type: 'array', minItems: 1, items: providerRef }],
    },
    model: { type: 'string', description: 'Model name (default: the provider\'s configured model)' },
    temperature: { type: 'number', minimum: 0, maximum: 2, description: 'Sampling temperature (default: llm.temperature, 0.7)' },
    maxTokens: { type: 'integer', minimum: 1, description: 'Largest number of tokens to generate (default: the provider\'s)' },
    output: {
      type: 'object', additionalProperties: false, description: 'Ask for structured JSON',
      properties: { schema: { type: 'object', description: 'JSON Schema the reply must match; the parsed reply is `outputs.data`' } },
    },
    stream: { type: 'boolean', default: true, description: 'Stream the reply (token count on the progress line)' },
    callCache: {
      description: 'TTL of the per-call cache (`1d`, `forever`), or false to ask the provider every time',
      oneOf: [{ type: 'string', pattern: '^(forever|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d|w)?)$' }, { type: 'number', minimum: 0 }, { const: false }],
      default: '1d',
    },
  },
} as const satisfies JSONSchema;

const usage = {
  type: 'object',
  required: ['inputTokens', 'outputTokens'],
  description: 'Tokens of the answer (all repair rounds included); costUsd when llm.prices knows the model',
  properties: {
    inputTokens: { type: 'integer', description: 'Prompt tokens' },
    outputTokens: { type: 'integer', description: 'Generated tokens' },
    costUsd: { type: 'number', description: 'Cost in US dollars from llm.prices' },
  },
} as const satisfies JSONSchema;

const outputProperties = {
  text: { type: 'string', description: 'The reply as text' },
  data: { description: 'The parsed JSON reply when output.schema is given, else null' },
  usage,
  model: { type: 'string', description: 'The model that answered, as the provider names it' },
  provider: { type: 'string', description: 'The provider that answered' },
  calls: { type: 'integer', description: 'HTTP calls made (0 when the call cache answered)' },
  cached: { type: 'boolean', description: 'True when the call cache answered' },
} as const satisfies JSONSchema;

const output = {
  type: 'object',
  required: ['text', 'usage', 'model', 'provider', 'calls', 'cached'],
  properties: outputProperties,
} as const satisfies JSONSchema;

/** The output schema; `data` is described by `output.schema` when the step gives a static one. */
export function generateOutput(dataSchema?: JSONSchema): JSONSchema {
  return dataSchema ? { ...output, properties: { ...outputProperties, data: dataSchema } } : output;
}

/** `with` of llm.generate, defaults filled in by the engine. */
export type GenerateInput = FromSchema<typeof generateInput>;
/** What llm.generate outputs. */
export type GenerateOutput = FromSchema<typeof output>;

/** True when a value holds no `${{ … }}` expression anywhere (the engine fills those in later). */
export function isStatic(v: unknown): boolean {
  if (typeof v === 'string') return !v.includes('${{');
  if (Array.isArray(v)) return v.every(isStatic);
  if (v && typeof v === 'object') return Object.values(v).every(isStatic);
  return true;
}
