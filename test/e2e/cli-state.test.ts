import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../servers/http-scripted.js';
import { ensureBuilt, HELLO, json, makeProject, mpv2 } from './cli-harness.js';

interface Effect { key: string; status: string; runId: string; stepId: string; plugin: string; result?: unknown }
interface Stats { entries: number; entryBytes: number; blobs: number; blobBytes: number; totalBytes: number }

let srv: ScriptedServer;
let reached: () => void;
const slowReached = new Promise<void>((r) => { reached = r; });

beforeAll(async () => {
  await ensureBuilt();
  srv = await startScriptedServer({
    '/hook': { json: { ok: true } },
    // the first call never answers: the CLI is killed while the effect is in flight
    '/slow': (_req, hit) => {
      if (hit === 0) { reached(); return { hang: true }; }
      return { json: { late: true } };
    },
  });
}, 300_000);
afterAll(async () => { await srv?.close(); });

const post = (path: string) => `name: post\nsteps:\n  - id: notify\n    uses: http.request\n    with: { url: "${srv.url}${path}", method: POST, json: { text: hi } }\n`;

describe('mpv2 cache', { timeout: 240_000 }, () => {
  it('stats counts entries and blobs; clear removes both', async () => {
    const root = makeProject({ 'pipelines/hello.yaml': HELLO });
    const run = (args: string[]) => mpv2(args, { cwd: root });
    expect((await run(['run', 'pipelines/hello.yaml'])).code).toBe(0);
    // a blob as the step cache stores output files: .mpv2/cache/blobs/<2 hex>/<sha256>
    const hash = 'ab'.padEnd(64, '0');
    mkdirSync(join(root, '.mpv2', 'cache', 'blobs', 'ab'), { recursive: true });
    writeFileSync(join(root, '.mpv2', 'cache', 'blobs', 'ab', hash), Buffer.alloc(1000));
    const s = json<Stats>(await run(['cache', 'stats', '--json']));
    expect(s.entries).toBeGreaterThanOrEqual(1); // core.set is cached
    expect(s.entryBytes).toBeGreaterThan(0);
    expect(s).toMatchObject({ blobs: 1, blobBytes: 1000 });
    expect(s.totalBytes).toBe(s.entryBytes + 1000);
    const text = await run(['cache', 'stats']);
    expect(text.stdout).toMatch(/Entries: \d+ \(\d+ B\)/);
    expect(text.stdout).toContain('Blobs:   1 file(s) (1000 B)');

    const c = await run(['cache', 'clear']);
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/Cleared the cache: \d+ entries and 1 blob file\(s\)/);
    expect(json<Stats>(await run(['cache', 'stats', '--json']))).toMatchObject({ entries: 0, blobs: 0, totalBytes: 0 });
    // the cache really is empty: the next run computes greeting again
    const again = await run(['run', 'pipelines/hello.yaml', '--json']);
    const fin = again.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; stepId?: string; cached?: boolean })
      .find((e) => e.event === 'step.finished' && e.stepId === 'greeting');
    expect(fin?.cached).toBe(false);
  });
});

describe('mpv2 effects', { timeout: 240_000 }, () => {
  it('list shows a done POST; resolve --retry makes the next run act again', async () => {
    const root = makeProject({ 'pipelines/post.yaml': post('/hook') });
    const run = (args: string[]) => mpv2(args, { cwd: root });
    expect((await run(['run', 'pipelines/post.yaml'])).code).toBe(0);
    expect((await run(['run', 'pipelines/post.yaml'])).code).toBe(0);
    expect(srv.hits('/hook')).toBe(1); // done once, not repeated
    const list = json<Effect[]>(await run(['effects', 'list', '--json']));
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ status: 'done', stepId: 'notify', plugin: 'http.request' });
    expect(list[0]!.key).toMatch(/^http\.request:[0-9a-f]{64}$/);
    expect(json<Effect[]>(await run(['effects', 'list', '--json', '--status', 'pending']))).toHaveLength(0);
    expect(json<Effect[]>(await run(['effects', 'list', '--json', '--run', list[0]!.runId]))).toHaveLength(1);
    const text = await run(['effects', 'list']);
    expect(text.stdout).toMatch(new RegExp(`${list[0]!.key}\\s+done\\s+${list[0]!.runId}\\s+notify`));

    const r = await run(['effects', 'resolve', list[0]!.key, '--retry']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('removed; the next run acts again');
    expect(json<Effect[]>(await run(['effects', 'list', '--json']))).toHaveLength(0);
    expect((await run(['run', 'pipelines/post.yaml'])).code).toBe(0);
    expect(srv.hits('/hook')).toBe(2);
  });

  it('an effect left pending by a crash blocks resume until resolved --done', async () => {
    // a tiny third-party plugin with an effect that has no reconcile
    const plugin = `export default {
      id: 'e2e.act', version: '1.0.0', description: 'POSTs once as an effect', effect: true,
      input: { type: 'object', properties: { url: { type: 'string', description: 'where' } } },
      async run(ctx, input) {
        const r = await ctx.effect(['act', input.url], async () => (await ctx.http.post(input.url, {})).data);
        return { result: r ?? null };
      },
    };\n`;
    const root = makeProject({
      'act.js': plugin,
      '.mpv2rc.yaml': 'plugins:\n  - ./act.js\n',
      'pipelines/act.yaml': `name: act\nsteps:\n  - id: act\n    uses: e2e.act\n    with: { url: "${srv.url}/slow" }\n`,
    });
    const run = (args: string[]) => mpv2(args, { cwd: root });
    let pid = 0;
    const crashed = mpv2(['run', 'pipelines/act.yaml'], { cwd: root, onSpawn: (p) => { pid = p; } });
    await slowReached;
    process.kill(pid, 'SIGKILL');
    await crashed;

    const pending = json<Effect[]>(await run(['effects', 'list', '--json', '--status', 'pending']));
    expect(pending).toHaveLength(1);
    const { key, runId } = pending[0]!;
    expect(key).toMatch(/^e2e\.act:[0-9a-f]{64}$/);
    expect((await run(['effects', 'list'])).stdout).toContain('1 effect(s) in doubt');

    const blocked = await run(['resume', runId]);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('E_EFFECT_IN_DOUBT');
    expect(srv.hits('/slow')).toBe(1);

    const resolved = await run(['effects', 'resolve', key, '--done']);
    expect(resolved.code).toBe(0);
    expect(resolved.stdout).toContain('now recorded as done');
    const done = json<Effect[]>(await run(['effects', 'list', '--json']));
    expect(done[0]).toMatchObject({ key, status: 'done', result: { resolvedBy: 'user' } });

    const resumed = await run(['resume', runId, '--json']);
    expect(resumed.code).toBe(0);
    // settled by hand without a reconcile: the act hands back nothing
    expect(resumed.stdout).toContain('"outputs":{"result":null}');
    expect(srv.hits('/slow')).toBe(1); // settled by hand: not sent again
  });

  it('resolve needs exactly one of --done and --retry, and a known key', async () => {
    const root = makeProject();
    const run = (args: string[]) => mpv2(args, { cwd: root });
    const none = await run(['effects', 'resolve', 'http.request:x']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Exactly one of the following must be provided: --done, --retry');
    expect((await run(['effects', 'resolve', 'http.request:x', '--done', '--retry'])).code).toBe(2);
    const unknown = await run(['effects', 'resolve', 'http.request:x', '--done']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('✖ E_NOT_FOUND');
    expect(unknown.stderr).toContain('no effect with key http.request:x');
  });
});
