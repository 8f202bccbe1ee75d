/**
 * A plugin of the project's own (listed under `plugins:` in the config), written the way
 * docs/writing-plugins.md says: plain JS, no runtime import of mpv2, errors that say whether
 * a retry helps, ctx.effect / ctx.cache.wrap / ctx.skip / ctx.progress / ctx.workdir.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, type TestProject } from './harness.js';

const PLUGIN = `
let flakyCalls = 0;
let sends = 0;
let computed = 0;
let postTries = 0;
const err = (code, message, extra = {}) => Object.assign(new Error(message), { name: 'Mpv2Error', code, ...extra });

export default [
  {
    id: 'demo.flaky', version: '1.0.0', description: 'fails twice with a retryable error, then works',
    input: { type: 'object', properties: { failures: { type: 'integer', default: 2, description: 'how many tries fail' } } },
    output: { type: 'object', properties: { calls: { type: 'integer' } } },
    pure: false,
    async run(ctx, input) {
      flakyCalls++;
      if (flakyCalls <= input.failures) throw err('E_HTTP', 'service unavailable', { retryable: true, retryAfterMs: 30 });
      return { calls: flakyCalls };
    },
  },
  {
    id: 'demo.fatal', version: '1.0.0', description: 'fails with an error a retry cannot fix',
    pure: false,
    async run() { flakyCalls++; throw err('E_AUTH', 'bad key', { hint: 'set DEMO_KEY' }); },
  },
  {
    id: 'demo.send', version: '1.0.0', description: 'an effect: sends once per key',
    input: { type: 'object', required: ['to'], properties: { to: { type: 'string', description: 'recipient' } } },
    effect: true,
    async run(ctx, input) {
      const receipts = [];
      for (const to of input.to.split(',')) {
        receipts.push(await ctx.effect(['mail', to], async () => { sends++; return { id: 'msg-' + sends, to }; }, { describe: { to } }));
      }
      return { receipts, sends };
    },
  },
  {
    id: 'demo.compute', version: '1.0.0', description: 'call-level cache, progress, workdir',
    input: { type: 'object', required: ['n'], properties: { n: { type: 'integer', description: 'a number' } } },
    pure: false,
    async run(ctx, input) {
      ctx.progress({ fraction: 0.5, message: 'halfway' });
      const sq = await ctx.cache.wrap({ n: input.n }, '1h', async () => { computed++; return input.n * input.n; });
      const { writeFileSync } = await import('node:fs');
      writeFileSync(ctx.workdir + '/result.txt', String(sq));
      return { sq, computed, file: ctx.workdir + '/result.txt' };
    },
  },
  {
    id: 'demo.postFlaky', version: '1.0.0', description: 'an effect whose act fails with a retryable error',
    effect: true,
    // one key per step: a 502 leaves the act in doubt, which would hold back any other step acting on the same key
    async run(ctx) { return ctx.effect('post-' + ctx.runId + '-' + ctx.stepId, async () => { postTries++; throw err('E_HTTP', 'bad gateway', { retryable: true }); }); },
  },
  {
    id: 'demo.tries', version: '1.0.0', description: 'reports postTries', pure: false,
    async run() { return { postTries }; },
  },
  {
    id: 'demo.nothing', version: '1.0.0', description: 'skips',
    async run(ctx) { ctx.skip('nothing new today'); },
  },
];
`;

let p: TestProject;
beforeAll(async () => {
  p = await makeProject({
    '.mpv2rc.yaml': 'plugins:\n  - ./local/demo.mjs\n',
    'local/demo.mjs': PLUGIN,
    'flaky.yaml': 'name: flaky\nsteps:\n  - id: f\n    uses: demo.flaky\n    retry: { attempts: 3, initial: 10ms }\n',
    'fatal.yaml': 'name: fatal\nsteps:\n  - id: f\n    uses: demo.fatal\n    retry: { attempts: 5, initial: 10ms }\n',
    'send.yaml': 'name: send\nsteps:\n  - id: s\n    uses: demo.send\n    with: { to: "a@x.test,b@x.test" }\n',
    'send2.yaml': 'name: send2\nsteps:\n  - id: s\n    uses: demo.send\n    with: { to: "b@x.test,c@x.test" }\n',
    'effect-retry.yaml': 'name: effect-retry\ndefaults:\n  retry: { attempts: 3, initial: 10ms }\nsteps:\n  - id: post\n    uses: demo.postFlaky\n    continueOnError: true\n  - id: post2\n    uses: demo.postFlaky\n    retry: { attempts: 2, initial: 10ms }\n    needs: post\n    continueOnError: true\n  - id: count\n    uses: demo.tries\n    needs: post2\n',
    'compute-off.yaml': 'name: compute-off\nsteps:\n  - id: c\n    uses: demo.compute\n    with: { n: 7 }\n    cache: false\n',
    'compute.yaml': 'name: compute\nsteps:\n  - id: c\n    uses: demo.compute\n    with: { n: 7 }\n  - id: skip\n    uses: demo.nothing\n  - id: after\n    uses: core.set\n    with: { s: "${{ steps.skip.status }}" }\noutputs:\n  file: ${{ steps.c.outputs.file }}\n',
  });
});
afterAll(() => p.close());

describe('a local plugin from the config', () => {
  it('a duck-typed retryable error is retried, honouring retryAfterMs', async () => {
    const r = await p.run('flaky.yaml');
    expect(r.result.status).toBe('succeeded');
    expect(r.of('step.retrying', 'f').map((e) => [e.attempt, e.delayMs >= 30])).toEqual([[1, true], [2, true]]);
    expect(r.of('step.finished', 'f')[0]!.outputs).toEqual({ calls: 3 });
  });

  it('a non-retryable error fails at once with its code and hint', async () => {
    const r = await p.run('fatal.yaml');
    expect(r.of('step.retrying')).toHaveLength(0);
    expect(r.of('step.failed', 'f')[0]!.error).toEqual({ code: 'E_AUTH', message: 'bad key', hint: 'set DEMO_KEY' });
  });

  it('ctx.effect: each key acts once, across steps and runs', async () => {
    const first = await p.run('send.yaml');
    expect(first.result.status).toBe('succeeded');
    expect(first.of('step.finished', 's')[0]!.outputs).toMatchObject({ sends: 2 });
    const second = await p.run('send2.yaml');
    const out = second.of('step.finished', 's')[0]!.outputs as { receipts: Array<{ id: string; to: string }>; sends: number };
    // b was sent by the first run: its recorded receipt comes back; only c is new
    expect(out.receipts).toEqual([{ id: 'msg-2', to: 'b@x.test' }, { id: 'msg-3', to: 'c@x.test' }]);
    expect(out.sends).toBe(3);
  });

  it('a pipeline-wide defaults.retry does not retry effects; the step\'s own retry does', async () => {
    const r = await p.run('effect-retry.yaml');
    expect(r.of('step.retrying', 'post')).toHaveLength(0);
    expect(r.of('step.retrying', 'post2')).toHaveLength(1);
    expect(r.of('step.finished', 'count')[0]!.outputs).toEqual({ postTries: 3 });
  });

  it('ctx.effect in a dry run writes descriptions, records nothing', async () => {
    const r = await p.run('send2.yaml', { dryRun: true });
    const dir = join(p.root, '.mpv2', 'runs', r.runId, 's', 'dry-run');
    expect(JSON.parse(readFileSync(join(dir, 'effect-002.json'), 'utf8'))).toMatchObject({ plugin: 'demo.send', wouldDo: { to: 'c@x.test' } });
  });

  it('ctx.cache.wrap, ctx.progress, ctx.workdir and ctx.skip', async () => {
    const r = await p.run('compute.yaml');
    expect(r.result.status).toBe('succeeded');
    expect(r.of('step.progress', 'c')[0]).toMatchObject({ fraction: 0.5, message: 'halfway' });
    const out = r.of('step.finished', 'c')[0]!.outputs as { sq: number; computed: number; file: string };
    expect(out).toMatchObject({ sq: 49, computed: 1 });
    expect(out.file).toBe(join(p.root, '.mpv2', 'runs', r.runId, 'c', 'result.txt'));
    expect(existsSync(out.file)).toBe(true);
    expect(r.of('step.skipped', 'skip')[0]!.reason).toBe('nothing new today');
    expect(r.of('step.finished', 'after')[0]!.outputs).toEqual({ s: 'skipped' });
    const again = await p.run('compute.yaml');
    expect(again.of('step.finished', 'c')[0]!.outputs).toMatchObject({ sq: 49, computed: 1 });
    // `cache: false` on the step and --no-cache bypass the call cache too
    expect((await p.run('compute-off.yaml')).of('step.finished', 'c')[0]!.outputs).toMatchObject({ computed: 2 });
    expect((await p.run('compute.yaml', { noCache: true })).of('step.finished', 'c')[0]!.outputs).toMatchObject({ computed: 3 });
  });
});
