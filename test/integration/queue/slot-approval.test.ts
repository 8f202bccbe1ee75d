/**
 * Approve before publish meets a posting slot: the approval is asked for first, at once (the
 * slot is reserved and held, not waited for, and the preview says when the post goes out);
 * once approved the run waits for that same slot — in the process for `mpv2 run`/`resume`, as
 * a paused run and a timed job on a worker — and posts once. Approved after the slot, it posts
 * at once and says so; rejected, the slot is given back. Time is a fake clock the test moves.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decideApproval, listApprovals } from '../../../src/engine/approvals.js';
import { addAccount, openAccounts } from '../../../src/infra/accounts/index.js';
import { upcomingPosts } from '../../../src/infra/accounts/upcoming.js';
import { makeJob, makeResumeJob, runIdForJob } from '../../../src/queue/job-id.js';
import { decideProjectApproval, openApprovals } from '../../../src/queue/approvals.js';
import { runJob } from '../../../src/queue/run-job.js';
import type { RunJob } from '../../../src/queue/types.js';
import { makeProject, type TestProject } from '../engine/harness.js';
import { fakeClock, SLOT_PLUGIN, SLOT_TYPE } from './slot-fixtures.js';

const MASTER = 'slot-approval-master-key-01';

const PIPELINE = 'name: post\nsteps:\n  - id: post\n    uses: slothub.post\n    approval: required\n    with: { account: main, text: hello }\noutputs:\n  slot: ${{ steps.post.outputs.slot }}\n';

let t: TestProject | undefined;
afterEach(() => { t?.close(); t = undefined; });

async function setup(): Promise<TestProject> {
  t = await makeProject({ '.mpv2rc.json': JSON.stringify({ plugins: ['./local/slothub.mjs'] }), 'local/slothub.mjs': SLOT_PLUGIN, 'p.yaml': PIPELINE }, { MPV2_MASTER_KEY: MASTER });
  await addAccount(openAccounts({ root: t.root, kv: t.project.state().kv, masterKey: MASTER }), SLOT_TYPE, { name: 'main', settings: {}, secrets: {}, slots: ['18:00'], timezone: 'UTC' });
  return t;
}

const posts = (p: TestProject): Array<{ text: string; slot: string }> =>
  existsSync(join(p.root, 'posts.log')) ? readFileSync(join(p.root, 'posts.log'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
const reserved = async (p: TestProject, now: string) => (await upcomingPosts(openAccounts({ root: p.root, kv: p.project.state().kv }).store, { now: new Date(now) }))[0]!.reserved.map((r) => r.at);
const runLog = (p: TestProject, runId: string) => readFileSync(join(p.root, '.mpv2', 'logs', `${runId}.log`), 'utf8');

describe('a step with approval: required and a posting slot (mpv2 run / resume)', () => {
  it('asks for approval at once with the slot in the preview; approved, the resumed run waits for that slot and posts once', async () => {
    const p = await setup();
    const clock = fakeClock('2030-01-10T10:00:00Z');
    const first = await p.run('p.yaml', { clock });
    expect(first.result.status).toBe('waiting-approval');
    expect(clock.now()).toBe(Date.parse('2030-01-10T10:00:00Z')); // no wait for the slot before the approval
    const wait = first.of('step.waiting-approval', 'post')[0]!;
    expect(wait.preview).toMatchObject({ postAt: '2030-01-10T18:00:00.000Z', wouldDo: { post: { text: 'hello' } } });
    expect(await reserved(p, '2030-01-10T10:00:00Z')).toEqual(['2030-01-10T18:00:00.000Z']); // held while the approval waits
    const state = p.project.state();
    expect((await listApprovals(state.approvals))[0]!.preview.postAt).toBe('2030-01-10T18:00:00.000Z');

    clock.set('2030-01-10T11:00:00Z');
    await decideApproval(state.approvals, wait.approvalId, 'approve');
    const done = await p.run('p.yaml', { resume: first.runId, clock });
    expect(done.result).toMatchObject({ status: 'succeeded', outputs: { slot: '2030-01-10T18:00:00.000Z' } });
    expect(clock.now()).toBe(Date.parse('2030-01-10T18:00:00Z')); // waited for the slot, in this process
    expect(posts(p)).toEqual([expect.objectContaining({ text: 'hello', slot: '2030-01-10T18:00:00.000Z' })]);
  });

  it('approved after the slot has passed: posts at once, at the slot it held, and the log says so', async () => {
    const p = await setup();
    const clock = fakeClock('2030-01-10T10:00:00Z');
    const first = await p.run('p.yaml', { clock });
    clock.set('2030-01-10T21:30:00Z');
    await decideApproval(p.project.state().approvals, first.of('step.waiting-approval', 'post')[0]!.approvalId, 'approve');
    const done = await p.run('p.yaml', { resume: first.runId, clock });
    expect(done.result).toMatchObject({ status: 'succeeded', outputs: { slot: '2030-01-10T18:00:00.000Z' } });
    expect(clock.now()).toBe(Date.parse('2030-01-10T21:30:00Z'));
    expect(posts(p)).toHaveLength(1);
    expect(runLog(p, first.runId)).toContain("2030-01-10T18:00:00.000Z (main's slot) has passed (the run was approved or continued after it): posting now");
  });

  it('rejected: the step is skipped, nothing posts, and the slot is given back (schedule posts shows it free)', async () => {
    const p = await setup();
    const clock = fakeClock('2030-01-10T10:00:00Z');
    const first = await p.run('p.yaml', { clock });
    expect(await reserved(p, '2030-01-10T10:00:00Z')).toEqual(['2030-01-10T18:00:00.000Z']);
    await decideApproval(p.project.state().approvals, first.of('step.waiting-approval', 'post')[0]!.approvalId, 'reject', { note: 'not this one' });
    const done = await p.run('p.yaml', { resume: first.runId, clock });
    expect(done.of('step.skipped', 'post')[0]!.reason).toBe('rejected: not this one');
    expect(posts(p)).toEqual([]);
    const rows = await upcomingPosts(openAccounts({ root: p.root, kv: p.project.state().kv }).store, { now: new Date('2030-01-10T10:00:00Z') });
    expect(rows[0]!.reserved).toEqual([]);
    expect(rows[0]!.free[0]).toBe('2030-01-10T18:00:00.000Z');
  });
  it('rejected with --no-resume (the decision only): the slot is free at once', async () => {
    const p = await setup();
    const clock = fakeClock('2030-01-10T10:00:00Z');
    const first = await p.run('p.yaml', { clock });
    const approvals = await openApprovals(p.project);
    try {
      await decideProjectApproval(approvals, first.of('step.waiting-approval', 'post')[0]!.approvalId, 'reject');
    } finally {
      await approvals.close();
    }
    expect(await reserved(p, '2030-01-10T10:00:00Z')).toEqual([]);
    expect((await p.project.state().journal.getRun(first.runId))!.status).toBe('waiting-approval');
  });
});

describe('a step with approval: required and a posting slot on a worker', () => {
  it('waiting-approval at once; approved, the resume job pauses the run until the slot and the timed job posts once', async () => {
    const p = await setup();
    const clock = fakeClock('2030-01-10T10:00:00Z');
    const queued: RunJob[] = [];
    const run = (job: RunJob) => runJob({ project: p.project, job, signal: new AbortController().signal, sink: () => undefined, clock, enqueue: async (j) => { queued.push(j); } });
    const job = makeJob({ pipeline: 'p.yaml', inputs: {} }, new Date(clock.now()));
    const runId = runIdForJob(job);
    expect(await run(job)).toMatchObject({ status: 'waiting-approval' });
    expect(queued).toEqual([]);
    const [approval] = await listApprovals(p.project.state().approvals);
    expect(approval!.preview.postAt).toBe('2030-01-10T18:00:00.000Z');

    await decideApproval(p.project.state().approvals, approval!.id, 'approve');
    expect(await run(makeResumeJob({ runId, pipeline: 'p.yaml', approvalId: approval!.id }, new Date(clock.now())))).toMatchObject({ status: 'waiting-slot', resumeAt: '2030-01-10T18:00:00.000Z' });
    expect(posts(p)).toEqual([]);
    expect(queued.map((j) => [j.resume, j.runAt])).toEqual([[runId, '2030-01-10T18:00:00.000Z']]);

    clock.set('2030-01-10T18:00:00Z');
    expect(await run(queued[0]!)).toMatchObject({ status: 'succeeded' });
    expect(posts(p)).toEqual([expect.objectContaining({ text: 'hello', slot: '2030-01-10T18:00:00.000Z' })]);
    // the timed job again (a duplicate delivery): nothing more is posted
    await run(queued[0]!);
    expect(posts(p)).toHaveLength(1);
  });

  it('approved after the slot: the resume job posts at once', async () => {
    const p = await setup();
    const clock = fakeClock('2030-01-10T10:00:00Z');
    const run = (job: RunJob) => runJob({ project: p.project, job, signal: new AbortController().signal, sink: () => undefined, clock, enqueue: async () => { throw new Error('nothing to queue'); } });
    const job = makeJob({ pipeline: 'p.yaml', inputs: {} }, new Date(clock.now()));
    expect(await run(job)).toMatchObject({ status: 'waiting-approval' });
    const [approval] = await listApprovals(p.project.state().approvals);
    clock.set('2030-01-11T09:00:00Z');
    await decideApproval(p.project.state().approvals, approval!.id, 'approve');
    expect(await run(makeResumeJob({ runId: runIdForJob(job), pipeline: 'p.yaml', approvalId: approval!.id }, new Date(clock.now())))).toMatchObject({ status: 'succeeded' });
    expect(posts(p)).toEqual([expect.objectContaining({ slot: '2030-01-10T18:00:00.000Z' })]);
  });

  it('rejected: the resume job skips the step and gives the slot back', async () => {
    const p = await setup();
    const clock = fakeClock('2030-01-10T10:00:00Z');
    const run = (job: RunJob) => runJob({ project: p.project, job, signal: new AbortController().signal, sink: () => undefined, clock, enqueue: async () => undefined });
    const job = makeJob({ pipeline: 'p.yaml', inputs: {} }, new Date(clock.now()));
    await run(job);
    const [approval] = await listApprovals(p.project.state().approvals);
    await decideApproval(p.project.state().approvals, approval!.id, 'reject');
    expect(await run(makeResumeJob({ runId: runIdForJob(job), pipeline: 'p.yaml', approvalId: approval!.id }, new Date(clock.now())))).toMatchObject({ status: 'succeeded' });
    expect(posts(p)).toEqual([]);
    expect(await reserved(p, '2030-01-10T10:00:00Z')).toEqual([]);
  });
});
