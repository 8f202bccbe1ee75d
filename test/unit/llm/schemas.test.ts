import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { llmConfigSchema } from '../../../plugins/llm/config.js';
import { generateInput } from '../../../plugins/llm/schemas.js';

const ajv = new Ajv({ useDefaults: true, coerceTypes: false, strict: false });
ajv.addFormat('path', true);
const validate = ajv.compile(generateInput);
const validateConfig = ajv.compile(llmConfigSchema);

describe('llm.generate input schema', () => {
  it('fills defaults the way the engine will', () => {
    const w: Record<string, unknown> = { prompt: 'hi' };
    expect(validate(w)).toBe(true);
    expect(w).toEqual({ prompt: 'hi', vars: {}, stream: true, callCache: '1d' });
  });

  it.each([
    [{ prompt: 'x', callCache: '7d' }, true],
    [{ prompt: 'x', callCache: 'forever' }, true],
    [{ prompt: 'x', callCache: false }, true],
    [{ prompt: 'x', callCache: 'often' }, false],
    [{ prompt: 'x', provider: ['groq', { name: 'ollama', model: 'qwen2.5' }] }, true],
    [{ prompt: 'x', provider: [] }, false],
    [{ prompt: 'x', temperature: 3 }, false],
    [{ prompt: 'x', messages: [{ role: 'robot', content: 'x' }] }, false],
    [{ prompt: 'x', outptu: {} }, false],
  ])('%j valid: %s', (w, ok) => { expect(validate(w)).toBe(ok); });

  it('every property has a description', () => {
    for (const [k, v] of Object.entries(generateInput.properties as Record<string, { description?: string }>)) expect(v.description, k).toBeTruthy();
  });
});

describe('llm config schema', () => {
  it('accepts the documented example and rejects unknown provider keys', () => {
    expect(validateConfig({ defaultProvider: ['mistral', 'ollama'], providers: { mistral: { model: 'mistral-large-latest' }, ollama: {}, work: { type: 'openai', baseUrl: 'https://x/v1', model: 'gpt-4o', timeout: '2m', headers: { 'X-A': 'b' } } }, prices: { 'gpt-4o-mini': { input: 0.15, output: 0.6 } } })).toBe(true);
    expect(validateConfig({ providers: { x: { type: 'anthropic' } } })).toBe(false);
    expect(validateConfig({ providers: { x: { baseURL: 'typo' } } })).toBe(false);
  });
});
