/** The shared HTTP client against real loopback servers: redirects, http.allowHosts, http.maxSockets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, DEFAULT_HTTP_POLICY } from '../../../src/infra/http.js';
import { Redactor } from '../../../src/infra/redact.js';
import { startCountingServer, type CountingServer } from '../../servers/http-counting.js';

const SECRET = 'tok-9Hq2vX7mLp4Zr8Wn';
const CREDENTIALS = {
  Authorization: 'Bearer abc', 'Proxy-Authorization': 'Basic eDp5', Cookie: 'sid=42', 'X-Api-Key': 'k-1',
  'X-Auth-Token': 't-1', 'X-Session-Id': 's-1', 'X-Client-Secret': 'c-1', 'X-Password': 'p-1', 'X-Signature': `v1=${SECRET}`,
};
const ORDINARY = { 'X-Trace': 'trace-7', Accept: 'application/json' };
const credentialNames = Object.keys(CREDENTIALS).map((n) => n.toLowerCase());

let a: CountingServer;
let b: CountingServer;
beforeAll(async () => { [a, b] = await Promise.all([startCountingServer(), startCountingServer()]); });
afterAll(async () => { await Promise.all([a.close(), b.close()]); });

const redirect = (from: CountingServer, to: string, status = 302) => `${from.url}/redirect?status=${status}&to=${encodeURIComponent(to)}`;
const landed = (s: CountingServer, path: string) => s.requests.filter((r) => r.path === path);
const client = (policy = DEFAULT_HTTP_POLICY) => createHttpClient({ policy, redactor: new Redactor([SECRET]) });

describe('a redirect to another origin carries no credential', () => {
  it('another port of the same host gets none of them, and does get the ordinary headers', async () => {
    await client().get(redirect(a, `${b.url}/port`), { headers: { ...CREDENTIALS, ...ORDINARY } });
    const [req] = landed(b, '/port');
    expect(req).toBeDefined();
    for (const name of credentialNames) expect(req!.headers[name], name).toBeUndefined();
    expect(req!.headers['x-trace']).toBe('trace-7');
    expect(req!.headers.accept).toBe('application/json');
  });

  it('another host name of the same server (127.0.0.1 → localhost) gets none of them', async () => {
    await client().post(redirect(a, `http://localhost:${a.port}/host`, 307), 'body', { headers: { ...CREDENTIALS, ...ORDINARY } });
    const [req] = landed(a, '/host');
    expect(req).toBeDefined();
    for (const name of credentialNames) expect(req!.headers[name], name).toBeUndefined();
    expect(req!.headers['x-trace']).toBe('trace-7');
  });

  it('a same-origin redirect keeps every header (but Proxy-Authorization, which axios re-derives for each hop)', async () => {
    await client().get(redirect(a, '/same'), { headers: { ...CREDENTIALS, ...ORDINARY } });
    const [req] = landed(a, '/same');
    const { 'Proxy-Authorization': _proxy, ...kept } = CREDENTIALS;
    for (const [name, value] of Object.entries({ ...kept, ...ORDINARY })) expect(req!.headers[name.toLowerCase()], name).toBe(value);
  });

  it('credentials dropped on the way stay dropped when a later hop comes back', async () => {
    const back = redirect(b, `${a.url}/back`);
    await client().get(redirect(a, back), { headers: { ...CREDENTIALS, ...ORDINARY } });
    const [req] = landed(a, '/back');
    for (const name of credentialNames) expect(req!.headers[name], name).toBeUndefined();
  });
});

describe('http.allowHosts', () => {
  it('refuses a host outside the list before connecting to it', async () => {
    const c = await startCountingServer();
    try {
      const policy = { ...DEFAULT_HTTP_POLICY, allowHosts: [`127.0.0.1:${a.port}`] };
      const err = await client(policy).get(`${c.url}/x`).then(() => undefined, (e: unknown) => e);
      expect(err).toMatchObject({ code: 'E_HOST_NOT_ALLOWED', details: { host: '127.0.0.1', port: c.port } });
      expect((err as Error).message).toContain(`127.0.0.1:${c.port}`);
      expect((err as Error).message).toContain('http.allowHosts');
      expect((err as { hint: string }).hint).toContain('http.allowHosts');
      expect(c.connections).toBe(0);
    } finally {
      await c.close();
    }
  });

  it('refuses a redirect to a host outside the list, and the target sees no connection', async () => {
    const c = await startCountingServer();
    try {
      const policy = { ...DEFAULT_HTTP_POLICY, allowHosts: ['localhost', `127.0.0.1:${a.port}`] };
      const err = await client(policy).get(redirect(a, `${c.url}/x`)).then(() => undefined, (e: unknown) => e);
      expect(err).toMatchObject({ code: 'E_HOST_NOT_ALLOWED' });
      expect((err as Error).message).toContain(`a redirect from ${a.url} to ${c.url} was refused`);
      expect(c.connections).toBe(0);
      // hosts on the list are reached, on any port for a bare host
      expect((await client(policy).get(`http://localhost:${c.port}/ok`)).status).toBe(200);
    } finally {
      await c.close();
    }
  });
});

describe('http.maxSockets', () => {
  for (const cap of [2, 5]) {
    it(`opens at most ${cap} connections to one host at once`, async () => {
      const s = await startCountingServer();
      try {
        // the server answers nothing until `cap` requests wait: so `cap` sockets are surely open together
        s.holdUntil(cap);
        const c = client({ ...DEFAULT_HTTP_POLICY, maxSockets: cap });
        await Promise.all(Array.from({ length: 12 }, (_, i) => c.get(`${s.url}/n${i}`)));
        expect(s.requests).toHaveLength(12);
        expect(s.connections).toBe(cap);
      } finally {
        await s.close();
      }
    });
  }
});
