import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complete } from '../../../plugins/llm/complete.js';
import { parseDuration } from '../../../src/infra/duration.js';
import { hashValue } from '../../../src/infra/hash.js';
import { makeTestContext, type TestContext } from '../../helpers/context.js';
import { llmConfigSchema } from '../../../plugins/llm/config.js';
import { startLlmServer, type LlmServer } from '../../servers/llm.js';

const KEY = 'sk-live-ABCDEF0123456789';
let a: LlmServer;
let b: LlmServer;
beforeAll(async () => { a = await startLlmServer(); b = await startLlmServer(); });
afterAll(async () => { await a.close(); await b.close(); });

const schema = {
  type: 'object', required: ['title', 'tags'],
  properties: { title: { type: 'string', maxLength: 20 }, tags: { type: 'array', items: { type: 'string' } } },
};
const providers = () => ({
  a: { type: 'openai', baseUrl: `${a.url}/v1`, model: 'model-a', apiKey: KEY },
  b: { type: 'ollama', baseUrl: b.url, model: 'model-b' },
});
const ctxWith = (extra: Record<string, unknown> = {}) => makeTestContext({ configSchema: llmConfigSchema, config: { providers: providers(), ...extra } });
const user = (content: string) => [{ role: 'user' as const, content }];

describe('repair loop', () => {
  it('asks again with the validation errors and succeeds on the 2nd try', async () => {
    a.enqueue({ text: '{"title": "Broken' }, { json: { title: 'Fixed', tags: ['x'] } });
    const before = a.count();
    const c = ctxWith();
    const r = await complete(c, { provider: 'a', messages: user('repair me'), schema });
    expect(r.data).toEqual({ title: 'Fixed', tags: ['x'] });
    expect(r.calls).toBe(2);
    expect(a.count() - before).toBe(2);
    const second = a.requests.at(-1)!.body.messages as Array<{ role: string; content: string }>;
    expect(second.at(-2)).toEqual({ role: 'assistant', content: '{"title": "Broken' });
    expect(second.at(-1)!.role).toBe('user');
    expect(second.at(-1)!.content).toMatch(/not valid JSON/);
    expect(r.usage.inputTokens).toBeGreaterThan(0);
    expect(c.logs.some((l) => l.level === 'warn' && /repair 1 of 2/.test(l.message))).toBe(true);
  });

  it('fails after 2 repairs showing the ajv errors', async () => {
    const bad = { json: { title: 'This title is far too long for the schema', tags: 'nope' } };
    a.enqueue(bad, bad, bad);
    const before = a.count();
    const e = await complete(ctxWith(), { provider: 'a', messages: user('never valid'), schema }).catch((x: unknown) => x) as { code: string; message: string; retryable: boolean };
    expect(a.count() - before).toBe(3);
    expect(e.code).toBe('E_PLUGIN_OUTPUT_INVALID');
    expect(e.message).toContain('after 3 tries');
    expect(e.message).toContain('/title must NOT have more than 20 characters');
    expect(e.message).toContain('/tags must be array');
    expect(e.retryable).toBe(false);
  });

  it('accepts JSON inside a Markdown fence', async () => {
    a.enqueue({ text: 'Here you go:\n```json\n{"title":"Fenced","tags":[]}\n```' });
    const r = await complete(ctxWith(), { provider: 'a', messages: user('fenced'), schema });
    expect(r.data).toEqual({ title: 'Fenced', tags: [] });
    expect(r.calls).toBe(1);
  });

  it('steps down to json_object when a server refuses json_schema', async () => {
    a.enqueue({ status: 400, body: { error: { message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model." } } }, { json: { title: 'ok', tags: [] } });
    const c = ctxWith();
    const r = await complete(c, { provider: { name: 'a', model: 'old-model' }, messages: user('mode'), schema });
    expect(r.data).toEqual({ title: 'ok', tags: [] });
    expect(a.requests.at(-2)!.body.response_format).toMatchObject({ type: 'json_schema' });
    expect(a.requests.at(-1)!.body.response_format).toEqual({ type: 'json_object' });
    // remembered: the next call to the same server and model starts with json_object
    a.enqueue({ json: { title: 'again', tags: [] } });
    await complete(c, { provider: { name: 'a', model: 'old-model' }, messages: user('mode 2'), schema });
    expect(a.requests.at(-1)!.body.response_format).toEqual({ type: 'json_object' });
  });
});

describe('compatibility', () => {
  it('a server that rejects stream_options is asked again without it', async () => {
    const old = await startLlmServer();
    try {
      old.enqueue({ status: 400, body: { error: { message: 'Unrecognized request argument supplied: stream_options' } } });
      const c = makeTestContext({ configSchema: llmConfigSchema, config: { providers: { old: { type: 'openai', baseUrl: `${old.url}/v1`, model: 'm' } } } });
      const r = await complete(c, { messages: user('compat') });
      expect(r.text).toBe('echo: compat');
      expect(old.requests[0]!.body.stream_options).toEqual({ include_usage: true });
      expect(old.requests[1]!.body.stream_options).toBeUndefined();
    } finally { await old.close(); }
  });
});

describe('fallback chain', () => {
  it('first provider 500 → second answers', async () => {
    a.enqueue({ status: 500 });
    const c = ctxWith();
    const r = await complete(c, { provider: ['a', 'b'], messages: user('fallback') });
    expect(r.provider).toBe('b');
    expect(r.text).toBe('echo: fallback');
    expect(c.logs.some((l) => l.level === 'warn' && l.message.includes('falling back to "b"'))).toBe(true);
  });

  it('429 and timeouts fall back too; each entry may name its own model', async () => {
    a.enqueue({ status: 429, headers: { 'Retry-After': '30' } });
    const r = await complete(ctxWith(), { provider: ['a', { name: 'b', model: 'other' }], messages: user('fb2') });
    expect(r.provider).toBe('b');
    expect(b.requests.at(-1)!.body.model).toBe('other');
  });

  it('does not fall back on a bad key (retrying elsewhere hides a config error)', async () => {
    const srv = await startLlmServer({ apiKey: 'right-key-123' });
    try {
      const cfg = { providers: { k: { type: 'openai', baseUrl: `${srv.url}/v1`, model: 'm', apiKey: 'wrong-key-456789' }, b: providers().b } };
      const before = b.count();
      const e = await complete(makeTestContext({ configSchema: llmConfigSchema, config: cfg }), { provider: ['k', 'b'], messages: user('auth') }).catch((x: unknown) => x) as { code: string };
      expect(e.code).toBe('E_AUTH');
      expect(b.count()).toBe(before);
    } finally { await srv.close(); }
  });

  it('every provider failing → one error listing each, still retryable', async () => {
    a.enqueue({ status: 503 });
    b.enqueue({ status: 502 });
    const e = await complete(ctxWith(), { provider: ['a', 'b'], messages: user('all fail') }).catch((x: unknown) => x) as { code: string; message: string; retryable: boolean };
    expect(e.code).toBe('E_HTTP');
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(/- a: E_HTTP .*503/);
    expect(e.message).toMatch(/- b: E_HTTP .*502/);
  });
});

describe('call cache', () => {
  it('a second identical call makes no request; other sampling parameters do', async () => {
    const c = ctxWith();
    const req = { provider: 'a', messages: user('cache me'), temperature: 0.2, schema };
    a.enqueue({ json: { title: 'cached', tags: [] } });
    const first = await complete(c, req);
    const before = a.count();
    const second = await complete(c, req);
    expect(a.count()).toBe(before);
    expect(second).toMatchObject({ data: first.data, calls: 0, cached: true, provider: 'a' });
    a.enqueue({ json: { title: 'warmer', tags: [] } });
    const third = await complete(c, { ...req, temperature: 0.9 });
    expect(a.count()).toBe(before + 1);
    expect(third.data).toEqual({ title: 'warmer', tags: [] });
  });

  it('10 runs over 3 topics ask the provider 3 times, not 30', async () => {
    const c = ctxWith();
    const before = a.count();
    let calls = 0;
    for (let run = 0; run < 10; run++) {
      for (const topic of ['bees', 'volcanoes', 'tides']) calls += (await complete(c, { provider: 'a', messages: user(`script about: ${topic}`) })).calls;
    }
    expect(calls).toBe(3);
    expect(a.count() - before).toBe(3);
  });

  it('cacheTtl false asks every time; failures are not cached', async () => {
    const c = ctxWith();
    const before = a.count();
    await complete(c, { provider: 'a', messages: user('fresh'), cacheTtl: false });
    await complete(c, { provider: 'a', messages: user('fresh'), cacheTtl: false });
    expect(a.count() - before).toBe(2);
    a.enqueue({ status: 500 });
    await expect(complete(c, { provider: 'a', messages: user('flaky') })).rejects.toMatchObject({ code: 'E_HTTP' });
    const ok = await complete(c, { provider: 'a', messages: user('flaky') });
    expect(ok.cached).toBe(false);
  });

  it('expires after the TTL (1d by default) on a fake clock', async () => {
    let now = 1_000_000;
    const c: TestContext = ctxWith();
    const store = new Map<string, { v: unknown; until?: number }>();
    const ttls: unknown[] = [];
    (c as { cache: TestContext['cache'] }).cache = {
      async wrap(key, ttl, fn) {
        ttls.push(ttl);
        const k = hashValue(key);
        const hit = store.get(k);
        if (hit && (hit.until === undefined || now < hit.until)) return hit.v as never;
        const v = await fn();
        store.set(k, { v, until: ttl === undefined ? undefined : now + parseDuration(ttl) });
        return v;
      },
    };
    const req = { provider: 'a', messages: user('daily') };
    const before = a.count();
    await complete(c, req);
    now += 23 * 3600_000;
    expect((await complete(c, req)).cached).toBe(true);
    now += 2 * 3600_000;
    expect((await complete(c, req)).cached).toBe(false);
    expect(a.count() - before).toBe(2);
    expect(ttls[0]).toBe('1d');
  });
});

describe('provider resolution and secrets', () => {
  it('no provider configured → E_MISSING_KEY listing the ways to configure one', async () => {
    const e = await complete(makeTestContext({ configSchema: llmConfigSchema }), { messages: user('x') }).catch((x: unknown) => x) as { code: string; message: string };
    expect(e.code).toBe('E_MISSING_KEY');
    for (const s of ['MISTRAL_API_KEY', 'OPENAI_API_KEY', 'GROQ_API_KEY', 'llm.providers', 'ollama']) expect(e.message).toContain(s);
  });

  it('takes the key from the environment for a preset name', async () => {
    const srv = await startLlmServer({ apiKey: 'env-key-123456' });
    try {
      const c = makeTestContext({ configSchema: llmConfigSchema, config: { providers: { openai: { baseUrl: `${srv.url}/v1` } } }, secrets: { OPENAI_API_KEY: 'env-key-123456' } });
      const r = await complete(c, { messages: user('env') });
      expect(r.provider).toBe('openai');
      expect(srv.requests.at(-1)!.body.model).toBe('gpt-4o-mini');
      expect(srv.requests.at(-1)!.headers.authorization).toBe('Bearer env-key-123456');
    } finally { await srv.close(); }
  });

  it('a key echoed by a server never reaches errors or logs', async () => {
    a.enqueue({ status: 500, body: { error: { message: `bad upstream for Authorization: Bearer ${KEY} (key ${KEY})` } } });
    const c = ctxWith();
    const r = await complete(c, { provider: ['a', 'b'], messages: user('leak?') });
    expect(r.provider).toBe('b');
    a.enqueue({ status: 400, body: { error: { message: `invalid request, key=${KEY}` } } });
    const e = await complete(c, { provider: 'a', messages: user('leak 2') }).catch((x: unknown) => x) as Error & { cause?: Error };
    const everything = JSON.stringify(c.logs) + e.message + String(e.cause?.message) + JSON.stringify(e);
    expect(everything).toContain('***');
    expect(everything).not.toContain(KEY);
  });

  it('uses the config price table for cost', async () => {
    a.enqueue({ text: 'priced' });
    const c = ctxWith({ prices: { 'model-a': { input: 1, output: 2 } } });
    const r = await complete(c, { provider: 'a', messages: user('price'), stream: false });
    const { inputTokens, outputTokens } = r.usage;
    expect(r.usage.costUsd).toBeCloseTo((inputTokens * 1 + outputTokens * 2) / 1e6, 9);
    const entry = c.logs.find((l) => l.fields?.llmCall);
    expect(entry?.fields).toMatchObject({ provider: 'a', inputTokens, outputTokens });
    expect(entry?.message).toBe(`llm call: a model-a, ${inputTokens} tokens in, ${outputTokens} out, $${r.usage.costUsd!.toFixed(6)}`);
  });
});

describe('called from another namespace', () => {
  it('runs as ctx.services.llm.complete with the llm section and keeps ctx methods working', async () => {
    const c = makeTestContext({ config: { afmOwnSetting: true }, configs: { llm: { providers: providers() } } });
    a.enqueue({ text: 'pitch' });
    const r = await c.services.llm.complete({ provider: 'a', messages: user('pitch this') });
    expect(r.text).toBe('pitch');
    expect(c.progressUpdates.length).toBeGreaterThan(0);
    expect(c.cacheMisses).toBe(1);
  });
});
