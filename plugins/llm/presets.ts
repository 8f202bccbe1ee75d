/**
 * Built-in providers. A preset whose key is in the environment is available without any
 * config; the local ones (ollama, lmstudio, vllm) only once named under `llm.providers`.
 */
import type { ResolvedProvider } from './types.js';

export interface Preset {
  type: ResolvedProvider['type'];
  baseUrl: string;
  model: string;
  /** Environment variable holding the key; absent for local servers. */
  keyEnv?: string;
}

export const PRESETS: Record<string, Preset> = {
  mistral: { type: 'mistral', baseUrl: 'https://api.mistral.ai', model: 'mistral-small-latest', keyEnv: 'MISTRAL_API_KEY' },
  openai: { type: 'openai', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', keyEnv: 'OPENAI_API_KEY' },
  openrouter: { type: 'openai', baseUrl: 'https://openrouter.ai/api/v1', model: 'openai/gpt-4o-mini', keyEnv: 'OPENROUTER_API_KEY' },
  groq: { type: 'openai', baseUrl: 'https://api.groq.com/openai/v1', model: 'llama-3.1-8b-instant', keyEnv: 'GROQ_API_KEY' },
  together: { type: 'openai', baseUrl: 'https://api.together.xyz/v1', model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', keyEnv: 'TOGETHER_API_KEY' },
  deepseek: { type: 'openai', baseUrl: 'https://api.deepseek.com/v1', model: 'deepseek-chat', keyEnv: 'DEEPSEEK_API_KEY' },
  venice: { type: 'openai', baseUrl: 'https://api.venice.ai/api/v1', model: 'llama-3.3-70b', keyEnv: 'VENICE_API_KEY' },
  gemini: { type: 'openai', baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai', model: 'gemini-2.0-flash', keyEnv: 'GEMINI_API_KEY' },
  ollama: { type: 'ollama', baseUrl: 'http://127.0.0.1:11434', model: 'llama3.2' },
  lmstudio: { type: 'openai', baseUrl: 'http://127.0.0.1:1234/v1', model: 'local-model' },
  vllm: { type: 'openai', baseUrl: 'http://127.0.0.1:8000/v1', model: 'default' },
};

/** The presets that switch on by themselves when their key is set, in preference order. */
export const ENV_PRESET_ORDER = ['mistral', 'openai', 'openrouter', 'groq', 'together', 'deepseek', 'venice', 'gemini'] as const;

/** Default base URL and model for a provider of `type` that matches no preset name. */
export const TYPE_DEFAULTS: Record<ResolvedProvider['type'], { baseUrl: string; model?: string }> = {
  mistral: { baseUrl: 'https://api.mistral.ai', model: 'mistral-small-latest' },
  openai: { baseUrl: 'https://api.openai.com/v1' },
  ollama: { baseUrl: 'http://127.0.0.1:11434', model: 'llama3.2' },
};
