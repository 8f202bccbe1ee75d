import { describe, expect, it } from 'vitest';
import { availableProviders, resolveChain, resolveProvider } from '../../../plugins/llm/resolve.js';
import { costOf } from '../../../plugins/llm/usage.js';
import { llmConfigSchema } from '../../../plugins/llm/config.js';
import { configSection } from 'mpv2/testing';

describe('provider resolution', () => {
  it('env keys switch presets on, after configured providers', () => {
    const env = { config: configSection(llmConfigSchema, { providers: { mine: { baseUrl: 'http://x/v1', model: 'm' } } }), secrets: { GROQ_API_KEY: 'g', MISTRAL_API_KEY: 'k' } };
    expect(availableProviders(env)).toEqual(['mine', 'mistral', 'groq']);
    expect(resolveChain(env, undefined).map((c) => c.provider.name)).toEqual(['mine']);
    const groq = resolveProvider(env, 'groq');
    expect(groq).toMatchObject({ type: 'openai', baseUrl: 'https://api.groq.com/openai/v1', apiKey: 'g', keyEnv: 'GROQ_API_KEY' });
  });

  it('defaultProvider (a list) sets the chain; entries and `model` pick models', () => {
    const env = { config: configSection(llmConfigSchema, { defaultProvider: ['mistral', 'ollama'], providers: { ollama: {} } }), secrets: { MISTRAL_API_KEY: 'k' } };
    expect(resolveChain(env, undefined).map((c) => [c.provider.name, c.model])).toEqual([['mistral', 'mistral-small-latest'], ['ollama', 'llama3.2']]);
    expect(resolveChain(env, ['ollama', { name: 'mistral', model: 'large' }], 'qwen').map((c) => c.model)).toEqual(['qwen', 'large']);
    expect(resolveProvider(env, 'ollama')).toMatchObject({ type: 'ollama', baseUrl: 'http://127.0.0.1:11434', timeoutMs: 300_000 });
  });

  it('a preset without its key says which variable to set', () => {
    expect(() => resolveProvider({ config: configSection(llmConfigSchema, {}), secrets: {} }, 'openai')).toThrow(/OPENAI_API_KEY is not set/);
    expect(() => resolveProvider({ config: configSection(llmConfigSchema, { providers: { openai: { model: 'gpt-4o' } } }), secrets: {} }, 'openai')).toThrow(/OPENAI_API_KEY/);
  });

  it('a local preset must be switched on; unknown names list the configured ones', () => {
    expect(() => resolveProvider({ config: configSection(llmConfigSchema, {}), secrets: {} }, 'ollama')).toThrow(/switched on in the config/);
    expect(() => resolveProvider({ config: configSection(llmConfigSchema, { providers: { a: { model: 'm' } } }), secrets: {} }, 'b')).toThrow(/unknown LLM provider "b" \(configured: a\)/);
  });

  it('an own key from secrets (llm.providers.<name>.apiKey) and a timeout', () => {
    const p = resolveProvider({ config: configSection(llmConfigSchema, { providers: { lm: { type: 'openai', baseUrl: 'http://127.0.0.1:1234/v1/', model: 'x', timeout: '30s' } } }), secrets: { 'llm.providers.lm.apiKey': 's' } }, 'lm');
    expect(p).toMatchObject({ baseUrl: 'http://127.0.0.1:1234/v1', apiKey: 's', timeoutMs: 30_000 });
  });
});

describe('costOf', () => {
  it('prices by provider/model, then model', () => {
    const config = { prices: { 'gpt-4o-mini': { input: 0.15, output: 0.6 }, 'groq/gpt-4o-mini': { input: 0, output: 0 } } };
    expect(costOf(configSection(llmConfigSchema, config), 'openai', 'gpt-4o-mini', 1_000_000, 500_000)).toBeCloseTo(0.45, 9);
    expect(costOf(configSection(llmConfigSchema, config), 'groq', 'gpt-4o-mini', 1000, 1000)).toBe(0);
    expect(costOf(configSection(llmConfigSchema, config), 'openai', 'other', 1, 1)).toBeUndefined();
  });
});
