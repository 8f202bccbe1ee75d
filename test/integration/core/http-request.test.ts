import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import httpRequest from '../../../plugins/core/http-request.js';
import { startScriptedServer, type ScriptedServer } from '../../servers/http-scripted.js';
import { createTestContext } from 'mpv2/testing';
import type { StepContext } from 'mpv2/plugin';
import { makeTestContext } from '../../helpers/context.js';
import { runPlugin } from '../../unit/core/run-plugin.js';

let srv: ScriptedServer;
/** Called when a request reaches /hang-notify (which then never answers). */
let onHang = (): void => {};
const big = Buffer.alloc(20 * 1024 * 1024 + 10, 0x61);

beforeAll(async () => {
  srv = await startScriptedServer({
    '/hang-notify': () => { onHang(); return { hang: true }; },
    '/cookie': { headers: { 'Set-Cookie': 'sid=secret', 'X-Custom': 'Yes' }, json: { ok: 1 } },
    '/big': { body: big },
    '/auth': { status: 401, json: { error: 'bad key' } },
    '/missing': { status: 404, body: 'not here' },
    '/latin': { body: Buffer.from([0x63, 0x61, 0x66, 0xe9]), headers: { 'content-type': 'text/plain; charset=iso-8859-1' } },
  });
});
afterAll(async () => { await srv.close(); });

type Out = { status: number; headers: Record<string, string>; json?: unknown; body?: string };
const request = (ctx: StepContext, input: Record<string, unknown>): Promise<Out> => runPlugin(httpRequest, ctx, input) as Promise<Out>;
const fail = (ctx: StepContext, input: Record<string, unknown>): Promise<Record<string, unknown>> =>
  request(ctx, input).then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as Record<string, unknown>);

describe('http.request responses', () => {
  it('GET json: parsed by content-type', async () => {
    const out = await request(makeTestContext(), { url: `${srv.url}/json` });
    expect(out.status).toBe(200);
    expect(out.json).toEqual({ hello: 'world', n: 1, list: [1, 2, 3] });
    expect(out.headers['content-type']).toBe('application/json');
    expect(out.body).toBeUndefined();
  });

  it('GET text: body as a string, charset honoured', async () => {
    expect(await request(makeTestContext(), { url: `${srv.url}/text` })).toMatchObject({ status: 200, body: 'plain text ✓' });
    expect((await request(makeTestContext(), { url: `${srv.url}/latin` })).body).toBe('café');
  });

  it('responseType forces text or json', async () => {
    expect((await request(makeTestContext(), { url: `${srv.url}/json`, responseType: 'text' })).body).toBe('{"hello":"world","n":1,"list":[1,2,3]}');
    await expect(request(makeTestContext(), { url: `${srv.url}/text`, responseType: 'json' })).rejects.toMatchObject({ code: 'E_HTTP' });
  });

  it('output headers are lower-case and leave out set-cookie', async () => {
    const out = await request(makeTestContext(), { url: `${srv.url}/cookie` });
    expect(out.headers['x-custom']).toBe('Yes');
    expect(Object.keys(out.headers).every((k) => k === k.toLowerCase())).toBe(true);
    expect(out.headers['set-cookie']).toBeUndefined();
  });

  it('HEAD returns status and headers, an empty body', async () => {
    const out = await request(makeTestContext(), { url: `${srv.url}/text`, method: 'HEAD' });
    expect(out).toMatchObject({ status: 200, body: '' });
    expect(out.headers['content-length']).toBe(String(Buffer.byteLength('plain text ✓')));
  });

  it('refuses bodies over 20 MB', async () => {
    const e = await fail(makeTestContext(), { url: `${srv.url}/big` });
    expect(e).toMatchObject({ code: 'E_HTTP', retryable: false, message: expect.stringMatching(/20 MB/) });
  });
});

describe('http.request sends what it is told', () => {
  it('encodes query parameters', async () => {
    const query = { q: 'a b&c=d/é?', n: 5, tag: ['x', 'y'] };
    const out = await request(makeTestContext(), { url: `${srv.url}/echo?fixed=1`, query });
    expect(out.json).toMatchObject({ method: 'GET', path: '/echo', query: { fixed: '1', q: 'a b&c=d/é?', n: '5', tag: ['x', 'y'] } });
  });

  it('sends json with content-type application/json, and custom headers', async () => {
    const out = await request(makeTestContext(), { url: `${srv.url}/echo`, method: 'POST', json: { a: [1, 'ü'] }, headers: { 'X-Trace': 'abc', 'X-N': 7 } });
    const echo = out.json as { method: string; body: string; headers: Record<string, string> };
    expect(echo.method).toBe('POST');
    expect(JSON.parse(echo.body)).toEqual({ a: [1, 'ü'] });
    expect(echo.headers['content-type']).toBe('application/json');
    expect(echo.headers['x-trace']).toBe('abc');
    expect(echo.headers['x-n']).toBe('7');
  });

  it('sends a text body as text/plain unless told otherwise', async () => {
    const a = (await request(makeTestContext(), { url: `${srv.url}/echo`, method: 'PUT', body: 'a=1&b=2' })).json as { body: string; headers: Record<string, string> };
    expect(a).toMatchObject({ body: 'a=1&b=2', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    const b = (await request(makeTestContext(), { url: `${srv.url}/echo`, method: 'PUT', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).json as { headers: Record<string, string> };
    expect(b.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('refuses json and body together, and non-http schemes, before any request', async () => {
    await expect(request(makeTestContext(), { url: `${srv.url}/echo`, method: 'POST', json: {}, body: 'x' })).rejects.toMatchObject({ code: 'E_INPUT_INVALID' });
    for (const url of ['file:///etc/passwd', 'data:text/plain,hi', 'ftp://127.0.0.1/x']) {
      await expect(request(makeTestContext(), { url }), url).rejects.toMatchObject({ code: 'E_INPUT_INVALID' });
    }
  });
});

describe('http.request errors say whether a retry can help', () => {
  it('429 with Retry-After: E_RATE_LIMITED, retryable, retryAfterMs 1000; the next try succeeds', async () => {
    const s = await startScriptedServer();
    try {
      const e = await fail(makeTestContext(), { url: `${s.url}/flaky` });
      expect(e).toMatchObject({ code: 'E_RATE_LIMITED', retryable: true, retryAfterMs: 1000, status: 429 });
      expect((await request(makeTestContext(), { url: `${s.url}/flaky` })).json).toEqual({ ok: true });
      expect(s.hits('/flaky')).toBe(2);
    } finally { await s.close(); }
  });

  it('500: E_HTTP retryable with status 500', async () => {
    const s = await startScriptedServer();
    try {
      expect(await fail(makeTestContext(), { url: `${s.url}/boom` })).toMatchObject({ code: 'E_HTTP', retryable: true, status: 500 });
      expect((await request(makeTestContext(), { url: `${s.url}/boom` })).status).toBe(200);
    } finally { await s.close(); }
  });

  it('404: not retryable, carries status 404; 401: E_AUTH', async () => {
    const e = await fail(makeTestContext(), { url: `${srv.url}/missing` });
    expect(e).toMatchObject({ code: 'E_HTTP', retryable: false, status: 404 });
    expect(e.message).toMatch(/404: not here/);
    expect(await fail(makeTestContext(), { url: `${srv.url}/auth` })).toMatchObject({ code: 'E_AUTH', status: 401, retryable: false });
  });

  it('a server that never answers: E_TIMEOUT after the timeout, retryable', async () => {
    const before = srv.hits('/hang');
    const e = await fail(makeTestContext(), { url: `${srv.url}/hang`, timeout: '300ms' });
    expect(e).toMatchObject({ code: 'E_TIMEOUT', retryable: true });
    expect(srv.hits('/hang')).toBe(before + 1);
  });

  it('an aborted signal: E_ABORTED', async () => {
    const ac = new AbortController();
    onHang = () => ac.abort();
    expect(await fail(makeTestContext({ signal: ac.signal }), { url: `${srv.url}/hang-notify`, timeout: '1m' })).toMatchObject({ code: 'E_ABORTED' });
    expect(srv.hits('/hang-notify')).toBe(1);
  });

  it('a closed port: E_HTTP retryable (network)', async () => {
    const s = await startScriptedServer();
    await s.close();
    expect(await fail(makeTestContext(), { url: `${s.url}/json` })).toMatchObject({ code: 'E_HTTP', retryable: true });
  });
});

describe('http.request effects', () => {
  it('POST is an effect: the same ctx does not send it twice', async () => {
    const s = await startScriptedServer();
    const t = createTestContext({ plugin: httpRequest });
    try {
      const ctx = t.context();
      const input = { url: `${s.url}/echo`, method: 'POST', json: { n: 1 } };
      const first = await request(ctx, input);
      const second = await request(ctx, input);
      expect(s.hits('/echo')).toBe(1);
      expect(second).toEqual(first);
      // the effect records the answer as it came; parsing happens outside the act
      expect((await t.effects()).map(({ status, result }) => ({ status, result }))).toEqual([{ status: 'done', result: { status: first.status, headers: first.headers, body: JSON.stringify((first as { json: unknown }).json) } }]);
      await request(ctx, { ...input, json: { n: 2 } });
      expect(s.hits('/echo')).toBe(2);
    } finally { await s.close(); await t.close(); }
  });

  it('effect: false makes a POST a plain request; GET is not an effect', async () => {
    const s = await startScriptedServer();
    const t = createTestContext({ plugin: httpRequest });
    try {
      const ctx = t.context();
      await request(ctx, { url: `${s.url}/echo`, method: 'POST', body: 'x', effect: false });
      await request(ctx, { url: `${s.url}/echo`, method: 'POST', body: 'x', effect: false });
      await request(ctx, { url: `${s.url}/echo` });
      await request(ctx, { url: `${s.url}/echo` });
      expect(s.hits('/echo')).toBe(4);
      expect(await t.effects()).toHaveLength(0);
    } finally { await s.close(); await t.close(); }
  });

  it('dry run: a POST does not reach the server, its description is written', async () => {
    const s = await startScriptedServer();
    const t = createTestContext({ plugin: httpRequest, dryRun: true });
    try {
      const ctx = t.context();
      const out = await request(ctx, { url: `${s.url}/echo`, method: 'POST', json: { a: 1 }, headers: { Authorization: 'Bearer SECRET' }, query: { api_key: 'K', page: 2 } });
      expect(s.hits('/echo')).toBe(0);
      expect(out).toEqual({ status: 0, headers: {}, body: '' });
      const [record] = t.dryRunRecords();
      expect(record!.wouldDo).toMatchObject({ method: 'POST', url: `${s.url}/echo?api_key=***&page=2`, headers: ['Authorization'], body: 'json' });
      expect(JSON.stringify(t.dryRunRecords())).not.toContain('SECRET');
    } finally { await s.close(); await t.close(); }
  });
});
