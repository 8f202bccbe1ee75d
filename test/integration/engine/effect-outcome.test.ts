/**
 * An effect whose request may have reached the other side is never recorded `failed`: a reset
 * after the body, a timeout, a 5xx, a 408 or 429, a redirect leave it pending (in doubt), and
 * neither `resume` nor a later run sends it again. Only proof that nothing was done (connection
 * refused, a 4xx refusal) records `failed`, which may send again. Counted at a real server.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenLoopback, type Listening } from '../../servers/listen.js';
import { makeProject, type TestProject, type RunResultWithEvents } from './harness.js';

interface Hit { method: string; path: string; headers: IncomingHttpHeaders; body: string }

let server: Server;
let base: string;
let listening: Listening;
const hits: Hit[] = [];
const posts = (path: string) => hits.filter((h) => h.method === 'POST' && h.path === path).length;
const flaky = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      hits.push({ method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(chunks).toString() });
      // the whole body has arrived: whatever happens next, the server may have acted on it
      if (path.startsWith('/reset')) { req.socket.destroy(); return; }
      if (path.startsWith('/hang')) return;
      if (path === '/see-other') { res.writeHead(303, { location: '/gone' }).end(); return; }
      if (path === '/notjson') { res.writeHead(200, { 'content-type': 'text/plain' }).end('created, but not JSON'); return; }
      if (path.startsWith('/flaky')) {
        const n = (flaky.get(path) ?? 0) + 1;
        flaky.set(path, n);
        if (n === 1) { res.writeHead(500).end('try again'); return; }
      }
      const status = /^\/s(\d{3})/.exec(path)?.[1];
      if (status) { res.writeHead(Number(status), { 'content-type': 'text/plain' }).end(`status ${status}`); return; }
      if (path === '/gone') { res.writeHead(404).end('no such page'); return; }
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"created":true}');
    });
  });
  listening = await listenLoopback(server);
  base = listening.url;
});
afterAll(() => listening.close());

// the timeout is long unless a case waits for it: a short one on a server that answers would
// turn a slow moment of a loaded machine into E_EFFECT_IN_DOUBT instead of the answer tested
const pipeline = (extra = '', withExtra = '') => `name: post
inputs:
  url: { type: string }
  timeout: { type: string, default: 30s }
steps:
  - id: post
    uses: http.request
    with: { url: "\${{ inputs.url }}", method: POST, json: { order: 7 }, timeout: "\${{ inputs.timeout }}"${withExtra} }${extra}
`;

async function project(): Promise<TestProject> {
  return makeProject({
    'post.yaml': pipeline(),
    'retry.yaml': pipeline('\n    retry: { attempts: 3, initial: 10ms, max: 10ms }'),
    'json.yaml': pipeline('', ', responseType: json'),
    'keyed.yaml': pipeline('', ', idempotencyKey: order-7'),
  });
}

function effects(p: TestProject): Array<{ key: string; status: string }> {
  const db = new Database(join(p.root, '.mpv2', 'state.db'), { readonly: true });
  try { return db.prepare('SELECT key, status FROM effects').all() as Array<{ key: string; status: string }>; } finally { db.close(); }
}

const failure = (r: RunResultWithEvents) => r.of('step.failed', 'post')[0]?.error;

describe('an act that may have reached the other side stays in doubt', () => {
  let p: TestProject;
  beforeAll(async () => { p = await project(); });
  afterAll(() => p.close());

  it.each([
    ['the connection is reset after the body arrived', '/reset'],
    ['no answer before the timeout', '/hang'],
    ['500', '/s500'],
    ['503', '/s503'],
    ['408', '/s408'],
    ['429', '/s429'],
    ['a 303 to a page that answers 404', '/see-other'],
  ])('%s: one POST across run, resume and a new run; E_EFFECT_IN_DOUBT each time', async (_what, path) => {
    const url = [`url=${base}${path}`, ...(path === '/hang' ? ['timeout=300ms'] : [])];
    const first = await p.run('post.yaml', { inputArgs: url });
    expect(first.result.status).toBe('failed');
    expect(failure(first)?.code).toBe('E_EFFECT_IN_DOUBT');
    expect(failure(first)?.hint).toMatch(/mpv2 effects resolve '.+' --done/);

    const resumed = await p.run('post.yaml', { resume: first.runId });
    expect(resumed.result.status).toBe('failed');
    expect(failure(resumed)?.code).toBe('E_EFFECT_IN_DOUBT');

    const again = await p.run('post.yaml', { inputArgs: url });
    expect(again.result.status).toBe('failed');
    expect(failure(again)?.code).toBe('E_EFFECT_IN_DOUBT');
    expect(failure(again)?.hint).toMatch(/--retry/);

    expect(posts(path)).toBe(1);
  }, 20_000);

  it('records every in-doubt effect as pending, none as failed', () => {
    const rows = effects(p);
    expect(rows).toHaveLength(7);
    expect(rows.every((r) => r.status === 'pending')).toBe(true);
  });
});

describe('proof that nothing was done records failed, and the act may be sent again', () => {
  let p: TestProject;
  beforeAll(async () => { p = await project(); });
  afterAll(() => p.close());

  it.each([['400', '/s400', 400], ['404', '/s404', 404], ['409', '/s409', 409], ['422', '/s422', 422]])('a %s refusal: failed, and the next run sends again', async (_what, path, status) => {
    const url = [`url=${base}${path}`];
    const first = await p.run('post.yaml', { inputArgs: url });
    expect(failure(first)?.code).toBe('E_HTTP');
    expect(failure(first)?.message).toMatch(new RegExp(`answered ${status}`));
    const again = await p.run('post.yaml', { inputArgs: url });
    expect(failure(again)?.code).toBe('E_HTTP');
    expect(posts(path)).toBe(2);
  });

  it('connection refused: failed, and the next run tries again (not in doubt)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const url = [`url=http://127.0.0.1:${port}/nobody`];
    const first = await p.run('post.yaml', { inputArgs: url });
    expect(failure(first)?.code).toBe('E_HTTP');
    expect(failure(first)?.message).toMatch(/ECONNREFUSED/);
    const again = await p.run('post.yaml', { inputArgs: url });
    expect(failure(again)?.code).toBe('E_HTTP');
    expect(failure(again)?.message).toMatch(/ECONNREFUSED/);
  });

  it('a TLS certificate the client refuses: nothing was sent, failed', async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048 });
    let requests = 0;
    const tls = createHttpsServer({ key: pems.private, cert: pems.cert }, (_req, res) => { requests++; res.end('{}'); });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    try {
      const url = [`url=https://127.0.0.1:${(tls.address() as AddressInfo).port}/secure`];
      const first = await p.run('post.yaml', { inputArgs: url });
      expect(failure(first)?.code).toBe('E_HTTP');
      expect(failure(first)?.message).toMatch(/certificate/i);
      const again = await p.run('post.yaml', { inputArgs: url });
      expect(failure(again)?.code).toBe('E_HTTP');
      expect(requests).toBe(0);
    } finally {
      tls.closeAllConnections();
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    }
  });

  it('every record is failed', () => {
    expect(effects(p).map((e) => e.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed', 'failed']);
  });
});

describe('retry: on an effect step says the act is safe to repeat', () => {
  let p: TestProject;
  beforeAll(async () => { p = await project(); });
  afterAll(() => p.close());

  it('a 500 then a 201: the step tries again and succeeds, two POSTs', async () => {
    const r = await p.run('retry.yaml', { inputArgs: [`url=${base}/flaky`] });
    expect(r.result.status).toBe('succeeded');
    expect(r.of('step.retrying', 'post')).toHaveLength(1);
    expect(posts('/flaky')).toBe(2);
    expect(effects(p).map((e) => e.status)).toEqual(['done']);
  });

  it('500 every time: three tries, then in doubt; the next run does not send again', async () => {
    const url = [`url=${base}/s500-always`];
    const first = await p.run('retry.yaml', { inputArgs: url });
    expect(failure(first)?.code).toBe('E_EFFECT_IN_DOUBT');
    expect(posts('/s500-always')).toBe(3);
    const again = await p.run('post.yaml', { inputArgs: url });
    expect(failure(again)?.code).toBe('E_EFFECT_IN_DOUBT');
    expect(posts('/s500-always')).toBe(3);
  });
});

describe('http.request answers', () => {
  let p: TestProject;
  beforeAll(async () => { p = await project(); });
  afterAll(() => p.close());

  it('a 2xx whose body is not the JSON asked for fails the step but is recorded done: not sent again', async () => {
    const url = [`url=${base}/notjson`];
    const first = await p.run('json.yaml', { inputArgs: url });
    expect(failure(first)?.code).toBe('E_HTTP');
    expect(failure(first)?.message).toMatch(/not JSON/);
    const again = await p.run('json.yaml', { inputArgs: url });
    expect(failure(again)?.message).toMatch(/not JSON/);
    expect(posts('/notjson')).toBe(1);
    expect(effects(p).map((e) => e.status)).toEqual(['done']);
  });

  it('idempotencyKey is sent as the Idempotency-Key header', async () => {
    const r = await p.run('keyed.yaml', { inputArgs: [`url=${base}/keyed`] });
    expect(r.result.status).toBe('succeeded');
    expect(hits.find((h) => h.path === '/keyed')?.headers['idempotency-key']).toBe('order-7');
  });
});
