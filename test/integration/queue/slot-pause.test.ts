/**
 * A run on a worker whose step waits hours for its posting slot does not hold the worker: it
 * ends `waiting-slot` with the time it continues, a job for that time is queued (the local
 * queue's `runAt`, a BullMQ delayed job on real Redis), and that job resumes the run, which
 * posts exactly once at the slot it reserved. Time is a fake clock the test moves; a post is a
 * line in a file, written by a project plugin that waits in its effect's `ready` as the
 * platform plugins do.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccount, openAccounts } from '../../../src/infra/accounts/index.js';
import type { KvStore } from '../../../src/infra/store/types.js';
import { queuePrefix } from '../../../src/queue/backend.js';
import { BullQueue } from '../../../src/queue/bull-queue.js';
import { BullWorker } from '../../../src/queue/bull-worker.js';
import { makeJob, runIdForJob } from '../../../src/queue/job-id.js';
import { LocalQueue } from '../../../src/queue/local-queue.js';
import { LocalWorker } from '../../../src/queue/local-worker.js';
import { openSharedStores, type SharedStores } from '../../../src/queue/redis/stores.js';
import { RedisWatch } from '../../../src/queue/redis/watch.js';
import { enqueueRunResume } from '../../../src/queue/resume-run.js';
import { runJob } from '../../../src/queue/run-job.js';
import type { JobOutcome, RunJob } from '../../../src/queue/types.js';
import { startRedis, type TestRedis } from '../../servers/redis.js';
import { makeProject, type TestProject } from '../engine/harness.js';
import type { Clock } from '../../../src/engine/limits.js';
import { fakeClock, SLOT_PLUGIN, SLOT_TYPE } from './slot-fixtures.js';

const MASTER = 'slot-pause-master-key-0001';

const pipeline = (text: string, extra = '') => `name: ${text}\nsteps:\n  - id: post\n    uses: slothub.post\n    with: { account: main, text: ${text}${extra} }\n  - id: after\n    uses: core.set\n    with: { slot: "\${{ steps.post.outputs.slot }}" }\noutputs:\n  slot: \${{ steps.after.outputs.slot }}\n`;

async function project(extraConfig: Record<string, unknown> = {}): Promise<TestProject> {
  return makeProject({
    '.mpv2rc.json': JSON.stringify({ plugins: ['./local/slothub.mjs'], ...extraConfig }),
    'local/slothub.mjs': SLOT_PLUGIN,
    'evening.yaml': pipeline('evening'),
    'at-time.yaml': pipeline('at-time', ', publishAt: "2030-01-10T20:00:00Z"'),
    'soon.yaml': pipeline('soon'),
    'skew.yaml': pipeline('skew', ', publishAt: "2030-01-13T18:00:00Z"'),
    'hang.yaml': pipeline('hang', ', hang: true'),
    'other.yaml': 'name: other\nsteps:\n  - id: s\n    uses: core.set\n    with: { v: 1 }\n',
    'items.yaml': 'name: items\nsteps:\n  - id: times\n    uses: core.set\n    with: { v: ["2030-01-12T22:00:00Z", "2030-01-12T20:00:00Z"] }\n  - id: post\n    uses: slothub.post\n    foreach: ${{ steps.times.outputs.v }}\n    as: at\n    with: { account: main, text: "${{ at }}", publishAt: "${{ at }}" }\n',
  }, { MPV2_MASTER_KEY: MASTER });
}

async function account(t: TestProject, kv: KvStore, slots: string[]): Promise<void> {
  await addAccount(openAccounts({ root: t.root, kv, masterKey: MASTER }), SLOT_TYPE, { name: 'main', settings: {}, secrets: {}, slots, timezone: 'UTC' });
}

const posts = (t: TestProject): Array<{ text: string; slot: string }> =>
  existsSync(join(t.root, 'posts.log')) ? readFileSync(join(t.root, 'posts.log'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];

describe('posting slots on the local queue (mpv2 worker without queue.url)', () => {
  let t: TestProject;
  beforeAll(async () => {
    t = await project();
    await account(t, t.project.state().kv, ['18:00']);
  });
  afterAll(() => t.close());

  it('a run 8 hours before its slot pauses without holding the worker; the queued job resumes it at the slot and it posts once', async () => {
    const clock = fakeClock('2030-01-10T10:00:00Z');
    const queue = new LocalQueue(t.project.state().kv, clock.now);
    const outcomes: JobOutcome[] = [];
    const worker = new LocalWorker({
      queue, clock, concurrency: 1,
      execute: (job, signal) => runJob({ project: t.project, job, signal, sink: () => undefined, clock, enqueue: (j) => queue.enqueue(j) }),
      onJob: (_job, phase, out) => { if (phase === 'finished') outcomes.push(out!); },
    });
    const job = makeJob({ pipeline: 'evening.yaml', inputs: {} }, new Date(clock.now()));
    await queue.enqueue(job);
    await worker.pass();
    await worker.drain();
    const runId = runIdForJob(job);
    expect(outcomes.at(-1)).toMatchObject({ runId, status: 'waiting-slot', resumeAt: '2030-01-10T18:00:00.000Z' });
    expect(posts(t)).toEqual([]);
    const run = await t.project.state().journal.getRun(runId);
    expect(run).toMatchObject({ status: 'waiting-slot', resumeAt: '2030-01-10T18:00:00.000Z' });
    expect((await t.project.state().journal.getSteps(runId)).map((s) => [s.stepId, s.status])).toEqual(expect.arrayContaining([['post', 'waiting-slot'], ['after', 'skipped']]));
    expect((await t.project.state().effects.list()).filter((e) => e.runId === runId)).toEqual([]); // nothing of the act is recorded: nothing in doubt
    const continuation = (await queue.entries()).find((e) => e.job.resume === runId)!;
    expect(continuation).toMatchObject({ status: 'queued', job: { runAt: '2030-01-10T18:00:00.000Z' } });

    // the worker is free meanwhile: another run goes through at once, the paused one is not due
    await queue.enqueue(makeJob({ pipeline: 'other.yaml', inputs: {} }, new Date(clock.now())));
    expect((await worker.pass()).map((j) => j.pipeline)).toEqual(['other.yaml']);
    await worker.drain();
    expect(outcomes.at(-1)).toMatchObject({ status: 'succeeded' });
    clock.set('2030-01-10T17:59:59Z');
    expect(await worker.pass()).toEqual([]);

    // at the slot: the continuation resumes the run, which posts once, at the slot it reserved
    clock.set('2030-01-10T18:00:00Z');
    expect((await worker.pass()).map((j) => j.id)).toEqual([continuation.job.id]);
    await worker.drain();
    expect(outcomes.at(-1)).toMatchObject({ runId, status: 'succeeded' });
    expect(posts(t)).toEqual([{ text: 'evening', slot: '2030-01-10T18:00:00.000Z' }]);
    expect(await t.project.state().journal.getRun(runId)).toMatchObject({ status: 'succeeded', outputs: { slot: '2030-01-10T18:00:00.000Z' } });
    expect((await t.project.state().journal.getRun(runId))!.resumeAt).toBeUndefined();
    clock.set('2030-01-11T18:00:00Z');
    expect(await worker.pass()).toEqual([]);
    expect(posts(t)).toHaveLength(1);
  });

  it('a worker killed after the run paused, before the continuation was queued: the next worker takes the job again, the run pauses again and posts once', async () => {
    const clock = fakeClock('2030-01-10T19:00:00Z');
    const queue = new LocalQueue(t.project.state().kv, clock.now);
    const job = makeJob({ pipeline: 'at-time.yaml', inputs: {} }, new Date(clock.now()));
    await queue.enqueue(job);
    await queue.markRunning(job, runIdForJob(job));
    // the process dies right where it would queue the continuation: the run is journaled waiting, the entry left running
    const killed = new Error('killed');
    await expect(runJob({ project: t.project, job, signal: new AbortController().signal, sink: () => undefined, clock, enqueue: async () => { throw killed; } })).rejects.toMatchObject({ code: 'E_QUEUE' });
    expect(await t.project.state().journal.getRun(runIdForJob(job))).toMatchObject({ status: 'waiting-slot', resumeAt: '2030-01-10T20:00:00.000Z' });

    // a new worker starts: the stale entry is queued again and resumed; the run pauses again, for the same time
    expect(await queue.requeueStale()).toBe(1);
    const outcomes: JobOutcome[] = [];
    const worker = new LocalWorker({
      queue, clock,
      execute: (j, signal) => runJob({ project: t.project, job: j, signal, sink: () => undefined, clock, enqueue: (x) => queue.enqueue(x) }),
      onJob: (_j, phase, out) => { if (phase === 'finished') outcomes.push(out!); },
    });
    await worker.pass();
    await worker.drain();
    expect(outcomes).toMatchObject([{ status: 'waiting-slot', resumeAt: '2030-01-10T20:00:00.000Z' }]);
    clock.set('2030-01-10T20:00:00Z');
    await worker.pass();
    await worker.drain();
    expect(outcomes.at(-1)).toMatchObject({ status: 'succeeded' });
    expect(posts(t).filter((p) => p.text === 'at-time')).toEqual([{ text: 'at-time', slot: '2030-01-10T20:00:00.000Z' }]);
  });

  it('a wait within queue.holdWaitUpTo (2 minutes by default) is slept in the job; a run resumed before its time never posts early', async () => {
    const clock = fakeClock('2030-01-11T17:50:00Z');
    const job = makeJob({ pipeline: 'soon.yaml', inputs: {} }, new Date(clock.now()));
    const enqueued: RunJob[] = [];
    const run = () => runJob({ project: t.project, job, signal: new AbortController().signal, sink: () => undefined, clock, enqueue: async (j) => { enqueued.push(j); } });
    // 10 minutes to the slot: more than the hold, so it pauses
    expect(await run()).toMatchObject({ status: 'waiting-slot', resumeAt: '2030-01-11T18:00:00.000Z' });
    expect(enqueued.map((j) => j.runAt)).toEqual(['2030-01-11T18:00:00.000Z']);
    // resumed 90 s early (`mpv2 resume`, a worker's clock ahead): the same slot, slept in the job, posted at it
    clock.set('2030-01-11T17:58:30Z');
    expect(await run()).toMatchObject({ status: 'succeeded' });
    expect(enqueued).toHaveLength(1);
    expect(clock.now()).toBe(Date.parse('2030-01-11T18:00:00Z'));
    expect(posts(t).filter((p) => p.text === 'soon')).toEqual([{ text: 'soon', slot: '2030-01-11T18:00:00.000Z' }]);
  });

  it('a continuation taken by a worker whose clock is behind pauses again under a job of its own, and the run still posts once', async () => {
    const clock = fakeClock('2030-01-13T10:00:00Z');
    const queue = new LocalQueue(t.project.state().kv, clock.now);
    const run = (job: RunJob) => runJob({ project: t.project, job, signal: new AbortController().signal, sink: () => undefined, clock, enqueue: (j) => queue.enqueue(j) });
    const job = makeJob({ pipeline: 'skew.yaml', inputs: {} }, new Date(clock.now()));
    expect(await run(job)).toMatchObject({ status: 'waiting-slot', resumeAt: '2030-01-13T18:00:00.000Z' });
    const first = (await queue.queued()).find((e) => e.job.resume === runIdForJob(job))!.job;
    await queue.markRunning(first, runIdForJob(job));
    clock.set('2030-01-13T17:50:00Z'); // this worker is 10 minutes behind the one that paused the run
    const out = await run(first);
    await queue.markFinished(first, out);
    expect(out).toMatchObject({ status: 'waiting-slot', resumeAt: '2030-01-13T18:00:00.000Z' });
    const next = (await queue.queued()).find((e) => e.job.resume === runIdForJob(job))!.job;
    expect(next.id).not.toBe(first.id);
    clock.set('2030-01-13T18:00:00Z');
    expect(await run(next)).toMatchObject({ status: 'succeeded' });
    expect(posts(t).filter((p) => p.text === 'skew')).toHaveLength(1);
  });
});

describe('foreach items with different posting times', () => {
  let t: TestProject;
  beforeAll(async () => {
    t = await project();
    await account(t, t.project.state().kv, ['18:00']);
  });
  afterAll(() => t.close());

  it('the run continues at the earliest; the item due then posts, the later one pauses the run again until its own time', async () => {
    const clock = fakeClock('2030-01-12T10:00:00Z');
    const queued: RunJob[] = [];
    const run = (job: RunJob) => runJob({ project: t.project, job, signal: new AbortController().signal, sink: () => undefined, clock, enqueue: async (j) => { queued.push(j); } });
    const job = makeJob({ pipeline: 'items.yaml', inputs: {} }, new Date(clock.now()));
    expect(await run(job)).toMatchObject({ status: 'waiting-slot', resumeAt: '2030-01-12T20:00:00.000Z' });
    const steps = await t.project.state().journal.getSteps(runIdForJob(job));
    expect(steps.filter((s) => s.stepId === 'post').map((s) => [s.index, s.status]).sort()).toEqual([[-1, 'waiting-slot'], [0, 'waiting-slot'], [1, 'waiting-slot']]);
    clock.set('2030-01-12T20:00:00Z');
    expect(await run(queued.at(-1)!)).toMatchObject({ status: 'waiting-slot', resumeAt: '2030-01-12T22:00:00.000Z' });
    expect(posts(t).map((p) => p.text)).toEqual(['2030-01-12T20:00:00Z']);
    clock.set('2030-01-12T22:00:00Z');
    expect(await run(queued.at(-1)!)).toMatchObject({ status: 'succeeded' });
    expect(posts(t).map((p) => p.text)).toEqual(['2030-01-12T20:00:00Z', '2030-01-12T22:00:00Z']);
    expect(queued.map((j) => j.runAt)).toEqual(['2030-01-12T20:00:00.000Z', '2030-01-12T22:00:00.000Z']);
  });
});

describe('posting slots on the shared queue (BullMQ on Redis)', () => {
  let srv: TestRedis;
  let t: TestProject;
  let shared: SharedStores;
  const prefix = queuePrefix(); // the one `mpv2 resume` opens
  beforeAll(async () => {
    srv = await startRedis();
    t = await project({ queue: { url: srv.url } });
    shared = openSharedStores(srv.url, prefix);
    await account(t, shared.stores.kv, ['18:00']);
  }, 60_000);
  afterAll(async () => {
    await shared?.close();
    t?.close();
    await srv?.close();
  });

  function worker(queue: BullQueue, clock: Clock, outcomes: JobOutcome[], stalled?: { lockDuration: number; stalledInterval: number }): BullWorker {
    const w = new BullWorker({
      url: srv.url, prefix, kv: shared.stores.kv, concurrency: 1, ...stalled,
      execute: (job, signal) => runJob({ project: t.project, job, signal, sink: () => undefined, stores: shared.stores, clock, enqueue: (j) => queue.enqueue(j) }),
      onJob: (_j, phase, out) => { if (phase === 'finished') outcomes.push(out!); },
      watch: new RedisWatch({ url: srv.url, log: () => undefined }), log: () => undefined,
    });
    void w.run();
    return w;
  }
  const until = async (what: () => boolean | Promise<boolean>) => { for (let i = 0; i < 2000 && !(await what()); i++) await new Promise((r) => setTimeout(r, 10)); expect(await what()).toBe(true); };

  it('pauses into a delayed job; `mpv2 resume` before the time queues nothing new; two workers at the slot: one resumes it and it posts once', async () => {
    const clock = fakeClock('2030-01-10T10:00:00Z');
    const queue = new BullQueue(srv.url, prefix);
    const outcomes: JobOutcome[] = [];
    const a = worker(queue, clock, outcomes);
    try {
      const job = makeJob({ pipeline: 'evening.yaml', inputs: {} }, new Date(clock.now()));
      const runId = runIdForJob(job);
      await queue.enqueue(job);
      await until(() => outcomes.length === 1);
      expect(outcomes[0]).toMatchObject({ runId, status: 'waiting-slot', resumeAt: '2030-01-10T18:00:00.000Z' });
      expect(await shared.stores.journal.getRun(runId)).toMatchObject({ status: 'waiting-slot', resumeAt: '2030-01-10T18:00:00.000Z' });
      const delayed = await queue.queue.getDelayed();
      expect(delayed.map((j) => (j.data as RunJob).resume)).toEqual([runId]);
      const continuation = delayed[0]!;
      // BullMQ holds it until the slot (delay from the real clock: the fake one is years ahead)
      expect(continuation.delay).toBeGreaterThan(Date.parse('2030-01-10T18:00:00Z') - Date.now() - 60_000);
      expect(posts(t)).toEqual([]);

      // `mpv2 resume` before the time: the same job, not a second one, and nothing posts early
      const again = await enqueueRunResume(t.project, (await shared.stores.journal.getRun(runId))!);
      expect(again).toMatchObject({ added: false, job: { id: continuation.id } });
      expect((await queue.queue.getDelayed()).length).toBe(1);

      // a second worker; at the slot the job comes due (promoted: BullMQ's timer runs on the real clock)
      const b = worker(queue, clock, outcomes);
      try {
        clock.set('2030-01-10T18:00:00Z');
        await (await Job.fromId(queue.queue, continuation.id!))!.promote();
        await until(() => outcomes.length === 2);
        expect(outcomes[1]).toMatchObject({ runId, status: 'succeeded' });
        expect(posts(t)).toEqual([{ text: 'evening', slot: '2030-01-10T18:00:00.000Z' }]);
        expect(await queue.counts()).toMatchObject({ delayed: 0, waiting: 0, active: 0 });
      } finally {
        await b.stop(1000);
      }
    } finally {
      await a.stop(1000);
      await queue.close();
    }
  });

  it('a worker stopped during the resumed act leaves it in doubt; another worker takes the job, reconciles the act and it is posted once', async () => {
    const clock = fakeClock('2030-01-10T10:00:00Z');
    const queue = new BullQueue(srv.url, prefix);
    const outcomes: JobOutcome[] = [];
    const a = worker(queue, clock, outcomes);
    const job = makeJob({ pipeline: 'hang.yaml', inputs: {} }, new Date(clock.now()));
    const runId = runIdForJob(job);
    await queue.enqueue(job);
    await until(() => outcomes.length === 1);
    expect(outcomes[0]).toMatchObject({ status: 'waiting-slot' });
    clock.set(outcomes[0]!.resumeAt!);
    await (await queue.queue.getDelayed())[0]!.promote();
    // the act has posted and hangs: the worker is stopped (SIGTERM) with the act's outcome unknown
    await until(() => posts(t).some((p) => p.text === 'hang'));
    await a.stop(1000);
    expect(outcomes.at(-1)).toMatchObject({ status: 'interrupted' });
    expect((await shared.stores.effects.list()).filter((e) => e.runId === runId).map((e) => e.status)).toEqual(['pending']);
    const b = worker(queue, clock, outcomes);
    try {
      await until(() => outcomes.at(-1)!.status === 'succeeded');
      expect(posts(t).filter((p) => p.text === 'hang')).toHaveLength(1);
      expect((await shared.stores.effects.list()).filter((e) => e.runId === runId).map((e) => e.status)).toEqual(['done']);
    } finally {
      await b.stop(1000);
      await queue.close();
    }
  });
});
