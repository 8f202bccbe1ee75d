/**
 * A run paused for its posting slot on a worker, then continued from a terminal (`mpv2 resume`
 * waits for the slot in its own process, owning the run): the timed job queued for the slot
 * recognises that the run was continued elsewhere and ends `skipped` with the reason — not
 * `failed` with E_RUN_OWNED after waiting for that owner — and the post happens once. Time is
 * a fake clock the test moves.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePrepared, prepareRun, type RunRequest } from '../../../src/engine/run.js';
import { addAccount, openAccounts } from '../../../src/infra/accounts/index.js';
import { makeJob, runIdForJob } from '../../../src/queue/job-id.js';
import { LocalQueue } from '../../../src/queue/local-queue.js';
import { LocalWorker } from '../../../src/queue/local-worker.js';
import { runJob } from '../../../src/queue/run-job.js';
import type { JobOutcome } from '../../../src/queue/types.js';
import { makeProject, type TestProject } from '../engine/harness.js';
import { fakeClock, SLOT_PLUGIN, SLOT_TYPE } from './slot-fixtures.js';

const MASTER = 'slot-superseded-master-key';

describe('a paused run continued from a terminal before its timed job comes', () => {
  let t: TestProject;
  beforeAll(async () => {
    t = await makeProject({ '.mpv2rc.json': JSON.stringify({ plugins: ['./local/slothub.mjs'] }), 'local/slothub.mjs': SLOT_PLUGIN, 'p.yaml': 'name: p\nsteps:\n  - id: post\n    uses: slothub.post\n    with: { account: main, text: hello }\n' }, { MPV2_MASTER_KEY: MASTER });
    await addAccount(openAccounts({ root: t.root, kv: t.project.state().kv, masterKey: MASTER }), SLOT_TYPE, { name: 'main', settings: {}, secrets: {}, slots: ['18:00'], timezone: 'UTC' });
  });
  afterAll(() => t.close());
  const posts = () => (existsSync(join(t.root, 'posts.log')) ? readFileSync(join(t.root, 'posts.log'), 'utf8').trim().split('\n') : []);

  it('the timed job ends skipped (superseded) while the terminal owns the run and after it posted; the post happens once', async () => {
    const clock = fakeClock('2030-01-10T10:00:00Z');
    const queue = new LocalQueue(t.project.state().kv, clock.now);
    const outcomes: JobOutcome[] = [];
    const worker = new LocalWorker({
      queue, clock,
      execute: (job, signal) => runJob({ project: t.project, job, signal, sink: () => undefined, clock, enqueue: (j) => queue.enqueue(j) }),
      onJob: (_j, phase, out) => { if (phase === 'finished') outcomes.push(out!); },
    });
    const job = makeJob({ pipeline: 'p.yaml', inputs: {} }, new Date(clock.now()));
    const runId = runIdForJob(job);
    await queue.enqueue(job);
    await worker.pass();
    await worker.drain();
    expect(outcomes).toMatchObject([{ runId, status: 'waiting-slot', resumeAt: '2030-01-10T18:00:00.000Z' }]);

    // `mpv2 resume` in a terminal: it owns the run and waits for the slot in its own process
    const req: RunRequest = { project: t.project, cwd: t.root, resume: runId, signal: new AbortController().signal, sink: () => undefined, clock };
    const prep = await prepareRun(req);
    await t.project.state().journal.updateRun(runId, { status: 'running', resumeAt: undefined });
    clock.set('2030-01-10T18:00:00Z');
    await worker.pass();
    await worker.drain();
    expect(outcomes.at(-1)).toMatchObject({ runId, status: 'skipped', reason: expect.stringMatching(/is being continued elsewhere \(process \d+ on /) });
    expect(posts()).toEqual([]);

    // the terminal's resume posts at the slot
    const out = await executePrepared(req, prep);
    expect(out.result.status).toBe('succeeded');
    expect(posts()).toHaveLength(1);
    // the same continuation delivered again (a duplicate): superseded, nothing more posted
    const entry = (await queue.entries()).find((e) => e.job.resume === runId)!;
    expect(entry.status).toBe('skipped');
    expect(await runJob({ project: t.project, job: entry.job, signal: new AbortController().signal, sink: () => undefined, clock })).toMatchObject({ status: 'skipped', reason: expect.stringContaining('is succeeded now') });
    expect(posts()).toHaveLength(1);
  });
});
