/**
 * The built CLI's `mpv2 worker` (local queue): a run whose step must wait years for its
 * `publishAt` pauses instead of holding the worker — the worker takes the next run at once —
 * and its continuation survives a SIGKILL of the worker: the next worker keeps it queued until
 * its time, and `runs list` / `runs show` say when the run continues. (Resuming at the time
 * and posting once is driven by a fake clock in test/integration/queue/slot-pause.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './cli-harness.js';
import { tempProject, type Running, type TempProject } from './engine-helpers.js';
import { ready } from './queue-helpers.js';

const PLUGIN = `import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
export default [{
  id: 'later.post', version: '1.0.0', description: 'posts a line at publishAt (test)',
  input: { type: 'object', required: ['text', 'publishAt'], properties: { text: { type: 'string' }, publishAt: { type: 'string' } } },
  effect: true,
  async run(ctx, input) {
    return ctx.effect(['post', input.text], async () => { appendFileSync(join(ctx.root, 'posts.log'), input.text + '\\n'); return { posted: true }; }, {
      ready: () => ctx.accounts.waitForSlot('none', 'post-' + input.text, { at: input.publishAt }),
    });
  },
}];
`;

let p: TempProject;
const started: Running[] = [];
const worker = () => { const w = p.start(['worker', '--json', '--poll-interval', '100']); started.push(w); return w; };

beforeAll(async () => {
  await ensureBuilt();
  p = tempProject({
    'later.mjs': PLUGIN,
    '.mpv2rc.yaml': 'plugins:\n  - ./later.mjs\n',
    'later.yaml': 'name: later\nsteps:\n  - id: post\n    uses: later.post\n    with: { text: hello, publishAt: "2099-01-01T09:00:00Z" }\n',
    'now.yaml': 'name: now\nsteps:\n  - id: s\n    uses: core.set\n    with: { v: 1 }\n',
  });
}, 240_000);
afterAll(() => {
  for (const w of started) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  p?.remove();
});

describe('a worker run that waits for its posting time', { timeout: 120_000 }, () => {
  it('pauses without holding the worker, and its continuation outlives a SIGKILL of the worker', async () => {
    const q = JSON.parse((await p.cli(['enqueue', 'later.yaml', '--json'])).stdout) as { runId: string };
    expect((await p.cli(['enqueue', 'now.yaml'])).code).toBe(0);
    const a = worker();
    await ready(a);
    // one run at a time (concurrency 1): the second runs only because the first let go of the worker
    await a.waitForLine((l) => l.includes('"worker.log"') && l.includes('succeeded now.yaml'));
    const paused = a.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.event === 'run.finished' && e.runId === q.runId);
    expect(paused).toMatchObject({ status: 'waiting-slot', resumeAt: '2099-01-01T09:00:00.000Z' });
    expect(a.lines.some((l) => l.includes('"step.waiting-slot"') && l.includes('2099-01-01T09:00:00.000Z'))).toBe(true);
    a.child.kill('SIGKILL');
    await a.done;

    const b = worker();
    await ready(b);
    const continuation = p.query<{ value: string }>("SELECT value FROM kv WHERE ns = 'queue'").map((r) => JSON.parse(r.value) as { status: string; job: { resume?: string; runAt?: string } }).filter((e) => e.job.resume === q.runId);
    expect(continuation).toEqual([expect.objectContaining({ status: 'queued', job: expect.objectContaining({ runAt: '2099-01-01T09:00:00.000Z' }) })]);
    const list = JSON.parse((await p.cli(['runs', 'list', '--json'])).stdout) as Array<{ id: string; status: string; resumeAt?: string }>;
    expect(list.find((r) => r.id === q.runId)).toMatchObject({ status: 'waiting-slot', resumeAt: '2099-01-01T09:00:00.000Z' });
    expect((await p.cli(['runs', 'list'])).stdout).toMatch(/waiting-slot until 2099-01-01 09:00/);
    expect((await p.cli(['runs', 'show', q.runId])).stdout).toMatch(/Status: waiting-slot until 2099-01-01 09:00/);
    // the second worker did not take it early
    expect(b.lines.some((l) => l.includes(`"runId":"${q.runId}"`))).toBe(false);
    expect(p.query("SELECT key FROM effects")).toEqual([]);
    b.child.kill('SIGTERM');
    expect((await b.done).code).toBe(0);
  });
});
