/**
 * Security of `mpv2 serve`: off the loopback a token is required (401 problem+json without it),
 * `/api/health` stays open, the sign-in cookie (httpOnly, SameSite=Strict), cross-site
 * state-changing requests refused, DNS-rebound Host names refused on the loopback, CORS off
 * unless configured, and the token in no answer.
 */
import { request } from 'node:http';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isLoopback, serverToken } from '../../../src/serve/auth.js';
import { startHarness, type ServeHarness } from './harness.js';

const open: ServeHarness[] = [];
afterEach(async () => { await Promise.all(open.splice(0).map((h) => h.close())); });
afterAll(async () => { await Promise.all(open.splice(0).map((h) => h.close())); });

async function harness(o: Parameters<typeof startHarness>[1] = {}): Promise<ServeHarness> {
  const h = await startHarness({ 'pipelines/p.yaml': 'name: p\nsteps:\n  - id: a\n    uses: core.set\n    with: { value: 1 }\n' }, o);
  open.push(h);
  return h;
}

/** A raw request with a chosen Host header (fetch does not let one set it). */
function rawRequest(port: number, path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve: the host decides whether a token is needed', () => {
  it('loopback addresses need none; any other address gets a generated token; MPV2_SERVE_TOKEN is used as given', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'example.com']) expect(isLoopback(host), host).toBe(false);
    expect(serverToken('127.0.0.1', undefined)).toEqual({ generated: false });
    const made = serverToken('0.0.0.0', undefined);
    expect(made.generated).toBe(true);
    expect(made.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(serverToken('0.0.0.0', undefined).token).not.toBe(made.token);
    expect(serverToken('127.0.0.1', 'given')).toEqual({ token: 'given', generated: false });
  });
});

describe('serve: --host 0.0.0.0', () => {
  it('without a token the API answers 401 problem+json; health is open; the right Bearer passes; the token appears in no answer', async () => {
    const h = await harness({ serve: { host: '0.0.0.0' } });
    expect(h.server.generatedToken).toBe(true);
    const token = h.server.token!;
    expect((await h.call('GET', '/api/health')).status).toBe(200);
    for (const [method, path] of [['GET', '/api/pipelines'], ['GET', '/api/runs'], ['POST', '/api/runs'], ['GET', '/api/openapi.json'], ['GET', '/api/accounts']] as const) {
      const res = await h.call(method, path, method === 'POST' ? { body: { pipeline: 'p' } } : {});
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.json()).toMatchObject({ code: 'E_UNAUTHORIZED', status: 401, hint: expect.stringContaining('Bearer') });
    }
    const wrong = await h.call('GET', '/api/runs', { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ detail: 'the token is wrong' });
    const bodies: string[] = [];
    for (const path of ['/api/pipelines', '/api/runs', '/api/openapi.json', '/api/accounts', '/api/cache', '/api/nope']) {
      const res = await h.call('GET', path, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status === 200 || path === '/api/nope', path).toBe(true);
      bodies.push(await res.text());
    }
    const started = await h.call('POST', '/api/runs', { body: { pipeline: 'p' }, headers: { authorization: `Bearer ${token}` } });
    expect(started.status).toBe(202);
    bodies.push(await started.text());
    for (const b of bodies) expect(b).not.toContain(token);
  }, 60_000);

  it('MPV2_SERVE_TOKEN is the token (nothing generated); the sign-in page sets an httpOnly SameSite=Strict cookie; cross-site POSTs with it are refused', async () => {
    const token = 'serve-token-0123456789abcdef';
    const h = await harness({ serve: { host: '0.0.0.0' }, env: { MPV2_SERVE_TOKEN: token } });
    expect(h.server.generatedToken).toBe(false);
    expect(h.server.token).toBe(token);
    const page = await h.call('GET', '/signin?next=/runs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/signin">');
    expect(html).not.toContain(token);
    const form = (t: string, next = '/runs') => fetch(`${h.base}/signin`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.base }, body: new URLSearchParams({ token: t, next }).toString() });
    const bad = await form('wrong');
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();
    const ok = await form(token);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/runs');
    const setCookie = ok.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^mpv2_session=[A-Za-z0-9_-]+; HttpOnly; SameSite=Strict; Path=\//);
    expect(setCookie).not.toContain(token);
    const offsite = await form(token, '//evil.example/x');
    expect(offsite.headers.get('location')).toBe('/');
    const cookie = setCookie.split(';')[0]!;

    expect((await h.call('GET', '/api/runs', { headers: { cookie } })).status).toBe(200);
    expect((await h.call('GET', '/api/runs', { headers: { cookie: 'mpv2_session=forged' } })).status).toBe(401);
    const same = await h.call('POST', '/api/pipelines/validate', { body: { yaml: 'name: x\nsteps: []\n' }, headers: { cookie, origin: h.base } });
    expect(same.status).toBe(200);
    const cross = await h.call('POST', '/api/runs', { body: { pipeline: 'p' }, headers: { cookie, origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
    expect(await cross.json()).toMatchObject({ code: 'E_UNAUTHORIZED' });
    const crossSite = await h.call('POST', '/api/runs', { body: { pipeline: 'p' }, headers: { cookie, 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    const runs = await (await h.call('GET', '/api/runs', { headers: { authorization: `Bearer ${token}` } })).json() as unknown[];
    expect(runs).toEqual([]);
  }, 60_000);
});

describe('serve: on the loopback', () => {
  it('needs no token, but refuses another site\'s POST and a Host name that is not the loopback (DNS rebinding)', async () => {
    const h = await harness();
    expect(h.server.token).toBeUndefined();
    expect((await h.call('GET', '/api/runs')).status).toBe(200);
    const cross = await h.call('POST', '/api/runs/20260101-000000Z-000000/cancel', { headers: { origin: 'http://evil.example' } });
    expect(cross.status).toBe(403);
    const port = Number(new URL(h.base).port);
    const rebound = await rawRequest(port, '/api/runs', { host: `evil.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ code: 'E_UNAUTHORIZED' });
    expect((await rawRequest(port, '/api/runs', { host: `localhost:${port}` })).status).toBe(200);
  }, 60_000);

  it('CORS is off unless configured; a configured origin gets its headers and preflight', async () => {
    const off = await harness();
    const res = await off.call('GET', '/api/health', { headers: { origin: 'http://studio.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const on = await harness({ config: 'serve:\n  cors: ["http://studio.example"]\n' });
    const allowed = await on.call('GET', '/api/health', { headers: { origin: 'http://studio.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://studio.example');
    const other = await on.call('GET', '/api/health', { headers: { origin: 'http://other.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await on.call('OPTIONS', '/api/runs', { headers: { origin: 'http://studio.example', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');
    const post = await on.call('POST', '/api/pipelines/validate', { body: { yaml: 'name: x\nsteps: []\n' }, headers: { origin: 'http://studio.example' } });
    expect(post.status).toBe(200);
  }, 60_000);
});
