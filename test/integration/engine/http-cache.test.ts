/** http.request through the engine: retries, timeouts, the step cache, limits, effects, dry run, secrets. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../../servers/http-scripted.js';
import { makeProject, type TestProject } from './harness.js';

const SECRET = 'sk-test-Zq8vN3xR7mW2pL5t';
let srv: ScriptedServer;
let p: TestProject;

beforeAll(async () => {
  srv = await startScriptedServer({
    '/data': { json: { value: 42 } },
    '/data2': { json: { value: 43 } },
    '/ttl': { json: { ttl: true } },
    '/flaky429': [{ status: 429, headers: { 'retry-after': '1' }, json: { error: 'slow down' } }, { json: { ok: true } }],
    '/boom500': [{ status: 500, body: 'e1' }, { status: 503, body: 'e2' }, { json: { ok: 'finally' } }],
    '/always500': { status: 500, body: 'nope' },
    '/post': { status: 201, json: { created: 1 } },
    '/dry': { json: { never: true } },
  });
  const get = (id: string, path: string, extra = '') => `
  - id: ${id}
    uses: http.request
    with: { url: "\${{ inputs.base }}${path}" }${extra}`;
  const head = 'inputs:\n  base: { type: string }\nsteps:';
  p = await makeProject({
    'cache.yaml': `name: cache\n${head}${get('one', '/data')}${get('two', '/data2')}
outputs:
  v: \${{ steps.one.outputs.json.value }}
`,
    'ttl.yaml': `name: ttl\n${head}${get('short', '/ttl', '\n    cache: 1h')}\n`,
    'retry429.yaml': `name: r429\n${head}${get('call', '/flaky429')}\n`,
    'retry500.yaml': `name: r500\n${head}${get('call', '/boom500', '\n    retry: { attempts: 3, initial: 50ms }')}\n`,
    'giveup.yaml': `name: giveup\n${head}${get('call', '/always500', '\n    retry: { attempts: 2, initial: 20ms }')}\n`,
    'hang.yaml': `name: hang
${head}
  - id: call
    uses: http.request
    with: { url: "\${{ inputs.base }}/hang", timeout: 300ms }
    retry: { attempts: 2, initial: 20ms }
`,
    'limit.yaml': `name: limit
limits:
  api: { rate: 2/second }
steps:
  - id: each
    uses: core.set
    foreach: [1, 2, 3, 4, 5]
    limit: api
    cache: false
    with: { n: "\${{ item }}" }
`,
    'effect.yaml': `name: effect
${head}
  - id: post
    uses: http.request
    with: { url: "\${{ inputs.base }}/post", method: POST, json: { title: hello } }
outputs:
  status: \${{ steps.post.outputs.status }}
`,
    'dry.yaml': `name: dry
${head}
  - id: send
    uses: http.request
    with: { url: "\${{ inputs.base }}/dry", method: POST, json: { a: 1 } }
  - id: pure
    uses: core.set
    with: { x: 1 }
`,
    'secret.yaml': `name: secret
${head}
  - id: echo
    uses: http.request
    with:
      url: "\${{ inputs.base }}/echo"
      headers: { X-Api-Key: "\${{ secrets.PEXELS_API_KEY }}" }
    cache: false
  - id: say
    uses: core.log
    with: { message: "the key is \${{ secrets.PEXELS_API_KEY }}" }
  - id: keep
    uses: core.set
    with: { key: "\${{ secrets.PEXELS_API_KEY }}", echoed: "\${{ steps.echo.outputs.json.headers['x-api-key'] }}" }
outputs:
  key: \${{ steps.keep.outputs.key }}
`,
  }, { PEXELS_API_KEY: SECRET });
});
afterAll(async () => { p.close(); await srv.close(); });

const base = () => [`base=${srv.url}`];

/** The effect journal as stored (read straight from SQLite). */
function effectRows(): Array<{ key: string; status: string; run_id: string }> {
  const db = new Database(join(p.root, '.mpv2', 'state.db'), { readonly: true });
  try { return db.prepare('SELECT key, status, run_id FROM effects').all() as Array<{ key: string; status: string; run_id: string }>; } finally { db.close(); }
}

describe('step cache', () => {
  it('a second run is all cached and the plugin does not run; --no-cache runs it again', async () => {
    const first = await p.run('cache.yaml', { inputArgs: base() });
    expect(first.result.status).toBe('succeeded');
    expect(first.of('step.finished').map((e) => e.cached)).toEqual([false, false]);
    expect([srv.hits('/data'), srv.hits('/data2')]).toEqual([1, 1]);

    const second = await p.run('cache.yaml', { inputArgs: base() });
    expect(second.of('step.finished').map((e) => e.cached)).toEqual([true, true]);
    expect([srv.hits('/data'), srv.hits('/data2')]).toEqual([1, 1]);
    expect(second.result.outputs).toEqual({ v: 42 });
    expect(second.of('step.finished', 'one')[0]!.outputs).toEqual(first.of('step.finished', 'one')[0]!.outputs);

    const third = await p.run('cache.yaml', { inputArgs: base(), noCache: true });
    expect(third.of('step.finished').map((e) => e.cached)).toEqual([false, false]);
    expect([srv.hits('/data'), srv.hits('/data2')]).toEqual([2, 2]);
  });

  it('an entry within its TTL is used, one past it is not', async () => {
    await p.run('ttl.yaml', { inputArgs: base() });
    const within = await p.run('ttl.yaml', { inputArgs: base() });
    expect(within.of('step.finished', 'short')[0]!.cached).toBe(true);
    // the clock moves past the 1 h TTL: only Date is faked, the server and timers run as usual
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2 * 3_600_000 });
    try {
      const again = await p.run('ttl.yaml', { inputArgs: base() });
      expect(again.of('step.finished', 'short')[0]!.cached).toBe(false);
    } finally {
      vi.useRealTimers();
    }
    expect(srv.hits('/ttl')).toBe(2);
  });
});

describe('retries through the engine', () => {
  it('429 with Retry-After: 1 → waits at least 1 s, then succeeds', async () => {
    const r = await p.run('retry429.yaml', { inputArgs: base() });
    expect(r.result.status).toBe('succeeded');
    const retries = r.of('step.retrying', 'call');
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ attempt: 1, reason: expect.stringMatching(/429|rate|slow/i) });
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(1000);
    expect(r.of('step.finished', 'call')[0]!.outputs).toMatchObject({ status: 200, json: { ok: true } });
    expect(srv.hits('/flaky429')).toBe(2);
  });

  it('500, 503, then 200 → two retries, success', async () => {
    const r = await p.run('retry500.yaml', { inputArgs: base() });
    expect(r.result.status).toBe('succeeded');
    expect(r.of('step.retrying', 'call').map((e) => e.attempt)).toEqual([1, 2]);
    expect(srv.hits('/boom500')).toBe(3);
    const steps = await p.project.state().journal.getSteps(r.runId);
    expect(steps.find((s) => s.stepId === 'call')?.attempts).toBe(3);
  });

  it('gives up after `attempts` and fails with the status', async () => {
    const r = await p.run('giveup.yaml', { inputArgs: base() });
    expect(r.result.status).toBe('failed');
    expect(r.of('step.failed', 'call')[0]!.error.code).toBe('E_HTTP');
    expect(srv.hits('/always500')).toBe(2);
  });

  it('a server that hangs → E_TIMEOUT after each try', async () => {
    const r = await p.run('hang.yaml', { inputArgs: base() });
    expect(r.result.status).toBe('failed');
    expect(r.of('step.failed', 'call')[0]!.error.code).toBe('E_TIMEOUT');
    expect(r.of('step.retrying', 'call')).toHaveLength(1);
    expect(srv.hits('/hang')).toBe(2);
  });
});

describe('limits', () => {
  it('rate 2/second over 5 items: items wait on the limit (step.waiting)', async () => {
    const r = await p.run('limit.yaml');
    expect(r.result.status).toBe('succeeded');
    const waits = r.of('step.waiting', 'each');
    expect(waits.length).toBeGreaterThanOrEqual(3);
    expect(waits.every((w) => w.limit === 'api' && w.waitMs > 0 && w.waitMs <= 500)).toBe(true);
    expect(waits.every((w) => typeof w.index === 'number')).toBe(true);
  });
});

describe('effects', () => {
  it('a POST is done once across two runs; the second returns the recorded response', async () => {
    const first = await p.run('effect.yaml', { inputArgs: base() });
    expect(first.result.outputs).toEqual({ status: 201 });
    const second = await p.run('effect.yaml', { inputArgs: base() });
    expect(second.result.status).toBe('succeeded');
    expect(second.result.outputs).toEqual({ status: 201 });
    expect(second.of('step.finished', 'post')[0]!.cached).toBe(false);
    expect(srv.hits('/post')).toBe(1);
    expect(effectRows().map((e) => [e.status, e.run_id])).toEqual([['done', first.runId]]);
  });

  it('a dry run writes what the effect would do and sends nothing', async () => {
    const r = await p.run('dry.yaml', { inputArgs: base(), dryRun: true });
    expect(r.result.status).toBe('succeeded');
    expect(srv.hits('/dry')).toBe(0);
    const file = join(p.root, '.mpv2', 'runs', r.runId, 'send', 'dry-run', 'effect-001.json');
    expect(existsSync(file)).toBe(true);
    const described = JSON.parse(readFileSync(file, 'utf8')) as { plugin: string; wouldDo: unknown };
    expect(described.plugin).toBe('http.request');
    expect(JSON.stringify(described.wouldDo)).toMatch(/POST/);
    expect(r.of('step.finished', 'pure')[0]!.outputs).toEqual({ x: 1 });
    expect(effectRows().some((e) => e.run_id === r.runId)).toBe(false);
  });
});

describe('secrets', () => {
  it('a secret from the environment never reaches events, journal rows or log files', async () => {
    const r = await p.run('secret.yaml', { inputArgs: base() });
    expect(r.result.status).toBe('succeeded');
    // the secret was really used: the server saw it
    expect(srv.requests('/echo').at(-1)!.headers['x-api-key']).toBe(SECRET);
    const variants = [SECRET, encodeURIComponent(SECRET), Buffer.from(SECRET).toString('base64')];
    const events = JSON.stringify(r.events);
    for (const v of variants) expect(events).not.toContain(v);
    expect(events).toContain('[REDACTED]');

    const db = new Database(join(p.root, '.mpv2', 'state.db'), { readonly: true });
    try {
      const rows = JSON.stringify([db.prepare('SELECT * FROM runs').all(), db.prepare('SELECT * FROM steps').all(), db.prepare('SELECT * FROM effects').all()]);
      expect(rows).toContain('[REDACTED]');
      expect(rows).not.toContain(SECRET);
    } finally {
      db.close();
    }
    const logs = join(p.root, '.mpv2', 'logs');
    const text = readdirSync(logs).map((f) => readFileSync(join(logs, f), 'utf8')).join('\n');
    expect(text).toContain('the key is');
    expect(text).not.toContain(SECRET);
  });
});
