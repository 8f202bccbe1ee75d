/**
 * The `llm` config section, shared by every plugin of the namespace (and by afm/outreach
 * through `complete()`): named providers, a default, a price table and sampling defaults.
 */
import type { JSONSchema } from 'mpv2/plugin';

export interface ProviderConfig {
  type?: 'mistral' | 'openai' | 'ollama';
  baseUrl?: string;
  model?: string;
  apiKey?: string;
  headers?: Record<string, string>;
  timeout?: string | number;
}

export interface LlmConfig {
  defaultProvider?: string | string[];
  providers?: Record<string, ProviderConfig>;
  prices?: Record<string, { input: number; output: number }>;
  temperature?: number;
}

const providerSchema: JSONSchema = {
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
};

export const llmConfigSchema: JSONSchema = {
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
};
