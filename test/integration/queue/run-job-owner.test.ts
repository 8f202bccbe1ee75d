/**
 * The queue's take-over of a job's run goes through the run's ownership: while another live
 * process owns the run (a stalled worker, someone's `mpv2 resume`) the job waits for it on
 * an injected clock, resumes once it is gone, and reports E_RUN_OWNED past the bound without
 * running a step.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selfOwner } from '../../../src/engine/owner.js';
import { loadPipeline } from '../../../src/engine/run.js';
import { makeJob, runIdForJob } from '../../../src/queue/job-id.js';
import { runJob } from '../../../src/queue/run-job.js';
import { makeProject, type TestProject } from '../engine/harness.js';

let t: TestProject;
let runId: string;
let job: ReturnType<typeof makeJob>;

beforeEach(async () => {
  t = await makeProject({ 'p.yaml': 'name: p\nsteps:\n  - id: a\n    uses: core.set\n    with: { x: 1 }\noutputs:\n  x: ${{ steps.a.outputs.x }}\n' });
  job = makeJob({ pipeline: 'p.yaml', inputs: {} }, new Date('2026-05-04T09:00:00.000Z'));
  runId = runIdForJob(job);
  // a worker started the job's run and still lives (this process plays it, with its own token)
  const pipeline = await loadPipeline(t.project, t.root, 'p.yaml');
  const { journal } = t.project.state();
  await journal.createRun({ id: runId, pipeline: 'p.yaml', pipelineHash: pipeline.hash, name: 'p', status: 'running', inputs: {}, startedAt: '2026-05-04T09:00:00.000Z' });
  await journal.claimRun(runId, { ...selfOwner(), token: 'stalled-worker' }, () => false);
});
afterEach(() => t.close());

function clock(onSleep: (n: number) => Promise<void> | void = () => undefined) {
  let now = 0;
  let n = 0;
  return { now: () => now, sleep: async (ms: number) => { now += ms; await onSleep(++n); } };
}

describe('a job whose run another live process owns', () => {
  it('waits for that owner, then resumes the run once it is gone', async () => {
    const c = clock(async (n) => { if (n === 2) await t.project.state().journal.releaseRun(runId, 'stalled-worker'); });
    const out = await runJob({ project: t.project, job, signal: new AbortController().signal, sink: () => undefined, clock: c });
    expect(out).toMatchObject({ runId, status: 'succeeded' });
    expect(c.now()).toBe(250 + 500);
    expect(await t.project.state().journal.getRun(runId)).toMatchObject({ status: 'succeeded', outputs: { x: 1 } });
    expect(await t.project.state().journal.ownerOf(runId)).toBeUndefined();
  });

  it('past the bound: failed with E_RUN_OWNED, no step run', async () => {
    const out = await runJob({ project: t.project, job, signal: new AbortController().signal, sink: () => undefined, clock: clock(), ownerWaitMs: 10_000 });
    expect(out).toMatchObject({ runId, status: 'failed', error: { code: 'E_RUN_OWNED', message: expect.stringContaining(`process ${process.pid}`) } });
    expect(await t.project.state().journal.getSteps(runId)).toEqual([]);
    expect((await t.project.state().journal.ownerOf(runId))?.token).toBe('stalled-worker');
  });
});
