import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complete } from '../../../plugins/llm/complete.js';
import { makeTestContext } from '../../helpers/context.js';
import { llmConfigSchema } from '../../../plugins/llm/config.js';
import { startLlmServer, type LlmServer } from '../../servers/llm.js';

const KEY = 'sk-test-SECRET-0123456789';
let srv: LlmServer;

beforeAll(async () => { srv = await startLlmServer({ apiKey: KEY }); });
afterAll(async () => { await srv.close(); });

const configs = () => ({
  openai: { type: 'openai', baseUrl: `${srv.url}/v1`, model: 'test-model', apiKey: KEY },
  mistral: { type: 'mistral', baseUrl: srv.url, model: 'mistral-small-latest', apiKey: KEY },
  ollama: { type: 'ollama', baseUrl: srv.url, model: 'llama3.2', apiKey: KEY },
});
const PATH = { openai: '/v1/chat/completions', mistral: '/v1/chat/completions', ollama: '/api/chat' } as const;

const schema = {
  type: 'object', required: ['title', 'tags'], additionalProperties: false,
  properties: { title: { type: 'string', maxLength: 20 }, tags: { type: 'array', items: { type: 'string' } } },
};

describe.each(['openai', 'mistral', 'ollama'] as const)('provider type %s', (name) => {
  const ctx = () => makeTestContext({ configSchema: llmConfigSchema, config: { providers: { [name]: configs()[name] } } });

  it.each([true, false])('answers text (stream %s) with usage and progress', async (stream) => {
    const c = ctx();
    const before = srv.count(PATH[name]);
    srv.enqueue({ text: 'Hello from the local server, streamed in pieces.' });
    const r = await complete(c, { messages: [{ role: 'user', content: 'hi' }], stream, temperature: 0.3, maxTokens: 50 });
    expect(r.text).toBe('Hello from the local server, streamed in pieces.');
    expect(r.provider).toBe(name);
    expect(r.calls).toBe(1);
    expect(r.cached).toBe(false);
    expect(r.usage.inputTokens).toBeGreaterThan(0);
    expect(r.usage.outputTokens).toBeGreaterThan(0);
    expect(srv.count(PATH[name])).toBe(before + 1);
    const sent = srv.requests.at(-1)!;
    if (name === 'ollama') {
      expect(sent.body.stream).toBe(stream);
      expect(sent.body.options).toEqual({ temperature: 0.3, num_predict: 50 });
    } else {
      expect(sent.body.stream ?? false).toBe(stream);
      expect(sent.body.temperature).toBe(0.3);
      expect(sent.body.max_tokens).toBe(50);
    }
    const last = c.progressUpdates.at(-1)?.message ?? '';
    expect(last).toMatch(new RegExp(`^${name}: \\d+ tokens$`));
    if (stream) {
      // 48 characters in 4-character pieces: 12 chunks, reported at the first one
      expect(c.progressUpdates.map((u) => u.message)).toContain(`${name}: 1 tokens`);
      expect(r.usage.outputTokens).toBe(12);
    }
  });

  it('sends the schema in the provider\'s structured-output field and returns parsed data', async () => {
    srv.enqueue({ json: { title: 'Short title', tags: ['a', 'b'] } });
    const r = await complete(ctx(), { messages: [{ role: 'user', content: 'json please' }], schema });
    expect(r.data).toEqual({ title: 'Short title', tags: ['a', 'b'] });
    const sent = srv.requests.at(-1)!.body;
    if (name === 'ollama') expect(sent.format).toEqual(schema);
    else expect(sent.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'output', schema, strict: false } });
    const sys = (sent.messages as Array<{ role: string; content: string }>)[0]!;
    expect(sys.role).toBe('system');
    expect(sys.content).toContain('"maxLength":20');
  });

  it('401 → E_AUTH naming the provider and env var, without the key', async () => {
    const c = makeTestContext({ configSchema: llmConfigSchema, config: { providers: { [name]: { ...configs()[name], apiKey: 'sk-wrong-KEY-9876543210' } } } });
    const e = await complete(c, { messages: [{ role: 'user', content: 'x' }] }).catch((x: unknown) => x) as { code: string; message: string; hint?: string; retryable: boolean };
    expect(e.code).toBe('E_AUTH');
    expect(e.retryable).toBe(false);
    expect(e.message).toContain(`"${name}"`);
    expect(e.hint).toContain(`llm.providers.${name}.apiKey`);
    expect(JSON.stringify(e)).not.toContain('sk-wrong-KEY-9876543210');
    expect(`${e.message} ${e.hint} ${String((e as { cause?: unknown }).cause)}`).not.toContain('sk-wrong-KEY-9876543210');
  });

  it('429 with Retry-After → E_RATE_LIMITED, retryable, retryAfterMs', async () => {
    srv.enqueue({ status: 429, headers: { 'Retry-After': '7' }, body: { error: { message: 'slow down' } } });
    const e = await complete(ctx(), { messages: [{ role: 'user', content: 'x' }], stream: false }).catch((x: unknown) => x) as { code: string; retryable: boolean; retryAfterMs?: number };
    expect(e.code).toBe('E_RATE_LIMITED');
    expect(e.retryable).toBe(true);
    expect(e.retryAfterMs).toBe(7000);
  });

  it('500 → retryable E_HTTP (streaming request)', async () => {
    srv.enqueue({ status: 500, body: { error: { message: 'upstream exploded' } } });
    const e = await complete(ctx(), { messages: [{ role: 'user', content: 'x' }], stream: true }).catch((x: unknown) => x) as { code: string; retryable: boolean; message: string };
    expect(e.code).toBe('E_HTTP');
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('upstream exploded');
  });

  it('404 → E_NOT_FOUND naming the model', async () => {
    srv.enqueue({ status: 404, body: name === 'ollama' ? { error: "model 'nope' not found" } : { error: { message: 'The model `nope` does not exist', code: 'model_not_found' } } });
    const e = await complete(ctx(), { messages: [{ role: 'user', content: 'x' }], model: 'nope' }).catch((x: unknown) => x) as { code: string; message: string };
    expect(e.code).toBe('E_NOT_FOUND');
    expect(e.message).toContain('model "nope"');
  });

  it('context too long → E_INPUT_INVALID with the token counts', async () => {
    srv.enqueue({ status: 400, body: { error: { message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9500 tokens.", code: 'context_length_exceeded' } } });
    const e = await complete(ctx(), { messages: [{ role: 'user', content: 'x' }] }).catch((x: unknown) => x) as { code: string; message: string; details?: Record<string, unknown> };
    expect(e.code).toBe('E_INPUT_INVALID');
    expect(e.message).toContain('9500 tokens, limit 8192');
    expect(e.details).toMatchObject({ limit: 8192, tokens: 9500 });
  });

  it('a slow reply → E_TIMEOUT (retryable) after the provider timeout', async () => {
    const c = makeTestContext({ configSchema: llmConfigSchema, config: { providers: { [name]: { ...configs()[name], timeout: '300ms' } } } });
    srv.enqueue({ delayMs: 5000 });
    const e = await complete(c, { messages: [{ role: 'user', content: 'x' }] }).catch((x: unknown) => x) as { code: string; retryable: boolean };
    expect(e.code).toBe('E_TIMEOUT');
    expect(e.retryable).toBe(true);
  });
});

describe('stream errors and cancellation', () => {
  it.each(['openai', 'ollama'] as const)('%s: an error inside a 200 stream fails the call (retryable)', async (name) => {
    const c = makeTestContext({ configSchema: llmConfigSchema, config: { providers: { [name]: configs()[name] } } });
    srv.enqueue({ streamError: { message: 'provider overloaded', code: 503 } });
    const e = await complete(c, { messages: [{ role: 'user', content: 'x' }] }).catch((x: unknown) => x) as { code: string; retryable: boolean; message: string };
    expect(e.code).toBe('E_HTTP');
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('provider overloaded');
  });

  it.each(['openai', 'mistral', 'ollama'] as const)('%s: aborting the step signal cancels the request (E_ABORTED, no retry)', async (name) => {
    const ac = new AbortController();
    const c = makeTestContext({ configSchema: llmConfigSchema, signal: ac.signal, config: { providers: { [name]: configs()[name] } } });
    srv.enqueue({ delayMs: 5000 });
    const before = srv.count();
    const p = complete(c, { messages: [{ role: 'user', content: 'x' }] }).catch((x: unknown) => x);
    // abort once the server has the request
    await new Promise<void>((resolve) => { const t = setInterval(() => { if (srv.count() > before) { clearInterval(t); resolve(); } }, 5); });
    ac.abort();
    const e = await p as { code: string; retryable: boolean };
    expect(e.code).toBe('E_ABORTED');
    expect(e.retryable).toBe(false);
  });
});
