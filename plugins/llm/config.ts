/**
 * The `llm` config section, shared by every plugin of the namespace (and by afm/outreach
 * through `complete()`): named providers, a default, a price table and sampling defaults.
 */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';

const providerSchema = {
  type: 'object',
  description: 'One provider. Names of built-in presets (mistral, openai, openrouter, groq, together, deepseek, venice, gemini, ollama, lmstudio, vllm) fill in type, base URL and model.',
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: ['mistral', 'openai', 'ollama'], description: 'Protocol: the Mistral SDK, OpenAI-compatible chat completions, or Ollama native /api/chat. @default the preset of the same name, else openai' },
    baseUrl: { type: 'string', description: 'Server URL, e.g. https://api.openai.com/v1, https://api.mistral.ai, http://127.0.0.1:11434' },
    model: { type: 'string', description: 'Model used when a step does not name one' },
    apiKey: { type: 'string', writeOnly: true, description: 'API key (prefer the environment: MISTRAL_API_KEY, OPENAI_API_KEY, ...)' },
    headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Extra request headers (e.g. HTTP-Referer for OpenRouter)' },
    timeout: { type: ['string', 'number'], description: 'Longest wait for one whole reply', default: '5m' },
  },
} as const satisfies JSONSchema;

export const llmConfigSchema = {
  type: 'object',
  description: 'LLM providers for llm.generate (and the afm/outreach plugins)',
  additionalProperties: false,
  properties: {
    defaultProvider: {
      description: 'Provider name (or ordered fallback list) used when a step names none. @default the first configured, else the first preset whose key is in the environment',
      oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
    },
    providers: {
      type: 'object',
      description: 'Providers by name',
      additionalProperties: providerSchema,
      default: {},
    },
    prices: {
      type: 'object',
      description: 'US dollars per million tokens, by model (or `provider/model`), to report cost',
      additionalProperties: {
        type: 'object',
        required: ['input', 'output'],
        additionalProperties: false,
        properties: {
          input: { type: 'number', minimum: 0, description: '$ per 1M input tokens' },
          output: { type: 'number', minimum: 0, description: '$ per 1M output tokens' },
        },
      },
      default: {},
    },
    temperature: { type: 'number', minimum: 0, maximum: 2, description: 'Sampling temperature when a step sets none', default: 0.7 },
  },
} as const satisfies JSONSchema;

/**
 * One entry of `llm.providers`. The config loader fills the defaults of a section's declared
 * settings, not those inside the entries of a map: `timeout` may be absent here, and
 * `PROVIDER_TIMEOUT` (the schema's own default) stands in for it.
 */
export type ProviderConfig = FromSchema<typeof providerSchema, { keepDefaultedPropertiesOptional: true }>;
export const PROVIDER_TIMEOUT = providerSchema.properties.timeout.default;

/** The `llm` section as its plugins and services read it (defaults filled by the config loader). */
export type LlmConfig = Omit<FromSchema<typeof llmConfigSchema>, 'providers'> & { providers: Record<string, ProviderConfig> };

/** The namespace's own `ctx.config`, typed by its schema. */
export const llmConfig = (config: Readonly<Record<string, unknown>>): LlmConfig => config as LlmConfig;
