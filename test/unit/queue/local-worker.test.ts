/**
 * The local worker with a fake clock: runs queued jobs up to its concurrency, keeps one run
 * per schedule at a time (overlap: queue), and on stop aborts runs after the grace period,
 * putting them back in the queue.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/engine/limits.js';
import { FakeClock } from '../engine/fake-clock.js';
import { openDatabase, SqliteKv } from '../../../src/infra/store/sqlite.js';
import { makeJob } from '../../../src/queue/job-id.js';
import { LocalQueue } from '../../../src/queue/local-queue.js';
import { LocalWorker } from '../../../src/queue/local-worker.js';
import type { JobOutcome, RunJob } from '../../../src/queue/types.js';

let queue: LocalQueue;
const now = new Date('2026-05-04T09:00:00Z');
/** Sleeping is instant: a grace period "passes" at once unless the runs finished first. */
const clock: Clock = { now: () => now.getTime(), sleep: async () => undefined };

beforeEach(() => { queue = new LocalQueue(new SqliteKv(openDatabase(':memory:'))); });

/** An execute() whose runs finish when the test says so (or abort with the signal). */
function controlled() {
  const gates = new Map<string, () => void>();
  const started: string[] = [];
  const execute = (job: RunJob, signal: AbortSignal) => new Promise<JobOutcome>((resolve) => {
    started.push(job.id);
    gates.set(job.id, () => resolve({ runId: 'r', status: 'succeeded', durationMs: 1 }));
    signal.addEventListener('abort', () => resolve({ runId: 'r', status: 'interrupted', durationMs: 1 }), { once: true });
  });
  const until = async (ok: () => boolean) => { while (!ok()) await new Promise((r) => setImmediate(r)); };
  // execute() starts after the queue marked the job running: wait for its gate
  return { execute, started, finish: async (id: string) => { await until(() => gates.has(id)); gates.get(id)!(); }, until };
}

describe('local worker', () => {
  it('the same job enqueued twice runs once', async () => {
    const job = makeJob({ pipeline: 'p.yaml', inputs: { a: 1 } }, now);
    expect((await queue.enqueue(job)).added).toBe(true);
    expect((await queue.enqueue(makeJob({ pipeline: 'p.yaml', inputs: { a: 1 } }, new Date(now.getTime() + 5)))).added).toBe(false);
    expect((await queue.enqueue(makeJob({ pipeline: 'p.yaml', inputs: { a: 1 }, key: 'again' }, now))).added).toBe(true);
    const c = controlled();
    const w = new LocalWorker({ queue, execute: c.execute, clock, concurrency: 4 });
    expect(await w.pass()).toHaveLength(2);
    await c.until(() => c.started.length === 2);
    for (const id of c.started) await c.finish(id);
    await w.drain();
    expect(await w.pass()).toEqual([]);
    expect((await queue.entries()).map((e) => e.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('runs one job of a schedule at a time, up to the concurrency otherwise', async () => {
    const a1 = makeJob({ pipeline: 'a.yaml', inputs: {}, schedule: 'a', tick: '2026-05-04T09:00:00.000Z' }, now);
    const a2 = makeJob({ pipeline: 'a.yaml', inputs: {}, schedule: 'a', tick: '2026-05-04T09:01:00.000Z' }, new Date(now.getTime() + 1));
    const b = makeJob({ pipeline: 'b.yaml', inputs: {} }, new Date(now.getTime() + 2));
    for (const j of [a1, a2, b]) await queue.enqueue(j);
    const c = controlled();
    const w = new LocalWorker({ queue, execute: c.execute, clock, concurrency: 3 });
    expect((await w.pass()).map((j) => j.id)).toEqual([a1.id, b.id]);
    expect(await w.pass()).toEqual([]);
    await c.finish(a1.id);
    await c.until(() => w.active === 1);
    expect((await w.pass()).map((j) => j.id)).toEqual([a2.id]);
    await c.finish(a2.id); await c.finish(b.id);
    await w.drain();
  });

  it('stop(): after the grace period running runs are aborted and queued again', async () => {
    const job = makeJob({ pipeline: 'p.yaml', inputs: {} }, now);
    await queue.enqueue(job);
    const c = controlled();
    const w = new LocalWorker({ queue, execute: c.execute, clock });
    await w.pass();
    await c.until(() => c.started.length === 1);
    expect(await w.stop(10_000)).toBe(true);
    expect((await queue.entries()).map((e) => e.status)).toEqual(['queued']);
    expect(await w.pass()).toEqual([]); // stopped: takes no work
  });

  it('stop(): runs that finish within the grace period are not aborted', async () => {
    const job = makeJob({ pipeline: 'p.yaml', inputs: {} }, now);
    await queue.enqueue(job);
    const c = controlled();
    const slowClock: Clock = { now: clock.now, sleep: () => new Promise(() => undefined) };
    const w = new LocalWorker({ queue, execute: c.execute, clock: slowClock });
    await w.pass();
    await c.until(() => c.started.length === 1);
    const stopping = w.stop(10_000);
    await c.finish(job.id);
    expect(await stopping).toBe(false);
    expect((await queue.entries())[0]!.status).toBe('succeeded');
  });

  it('stop(): a run that ignores the abort does not hold the worker past the grace period; it stays running for the next start', async () => {
    const job = makeJob({ pipeline: 'p.yaml', inputs: {} }, now);
    await queue.enqueue(job);
    const started: string[] = [];
    const deaf = (j: RunJob) => { started.push(j.id); return new Promise<JobOutcome>(() => undefined); };
    const errors: string[] = [];
    const fake = new FakeClock();
    const w = new LocalWorker({ queue, execute: deaf, clock: fake, onError: (e) => errors.push((e as Error).message) });
    await w.pass();
    while (started.length === 0) await new Promise((r) => setImmediate(r));
    expect(await w.stop(10_000)).toBe(true);
    // 8 s to finish, then 2 s (a fifth) for the aborted run to settle: the grace, and no more
    expect(fake.sleeps).toEqual([8000, 2000]);
    expect(errors).toEqual([expect.stringMatching(/did not stop within the grace period; .*queued again when a worker starts/)]);
    expect((await queue.entries()).map((e) => e.status)).toEqual(['running']);
    expect(await queue.requeueStale()).toBe(1);
  });
});
