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
