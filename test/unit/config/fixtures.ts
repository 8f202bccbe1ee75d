import { namespaceEnv } from '../../../src/config/namespaces.js';
import type { JSONSchema } from '../../../src/plugin/types.js';

/** Plugin config sections shaped like the built-in ones, for composing the schema in tests. */
export const pluginSchemas: Record<string, JSONSchema> = {
  llm: {
    type: 'object',
    additionalProperties: false,
    properties: {
      defaultProvider: { type: 'string', description: 'provider used when a step names none', default: 'mistral' },
      temperature: { type: 'number', description: 'sampling temperature', default: 0.7 },
      providers: {
        type: 'object',
        description: 'providers by name',
        default: {},
        additionalProperties: {
          type: 'object',
          additionalProperties: false,
          properties: {
            apiKey: { type: 'string', writeOnly: true, description: 'API key' },
            baseUrl: { type: 'string', description: 'base URL' },
          },
        },
      },
    },
  },
  media: {
    type: 'object',
    properties: {
      pexels: { type: 'object', properties: { apiKey: { type: 'string', writeOnly: true, description: 'Pexels key' } } },
    },
  },
};

/**
 * The environment variables the built-in namespaces declare, as `openProject` hands them to
 * `loadConfig` once those namespaces are loaded. The tts section is declared but not among the
 * schemas above: its variable is a secret without a place in the composed config.
 */
export const pluginEnv = namespaceEnv([
  { namespace: 'llm', config: { schema: pluginSchemas.llm!, env: { MISTRAL_API_KEY: 'providers.mistral.apiKey', OPENAI_API_KEY: 'providers.openai.apiKey' } } },
  { namespace: 'media', config: { schema: pluginSchemas.media!, env: { PEXELS_API_KEY: 'pexels.apiKey' } } },
  { namespace: 'tts', config: { schema: { type: 'object', properties: { elevenlabs: { type: 'object', properties: { apiKey: { type: 'string', writeOnly: true } } } } }, env: { ELEVENLABS_API_KEY: 'elevenlabs.apiKey' } } },
]).env;
