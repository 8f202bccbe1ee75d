/**
 * A schedule's tick whose run already started comes back to a worker later (its worker died
 * and BullMQ handed the stalled job on, or a stopping worker gave it back): it continues its run
 * — never skipped as a missed fire (`missed: skip`), nor for a pause or the overlap lock taken
 * since. The worker's processor is called with the tick's job as BullMQ would hand it over.
 */
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullWorker } from '../../../src/queue/bull-worker.js';
import { openSharedStores, type SharedStores } from '../../../src/queue/redis/stores.js';
import { RedisWatch } from '../../../src/queue/redis/watch.js';
import { ScheduleStore } from '../../../src/queue/schedules.js';
import type { JobOutcome, RunJob } from '../../../src/queue/types.js';
import { startRedis, type TestRedis } from '../../servers/redis.js';

let srv: TestRedis;
let shared: SharedStores;
beforeAll(async () => {
  srv = await startRedis();
  shared = openSharedStores(srv.url, 'ticks');
}, 60_000);
afterAll(async () => {
  await shared?.close();
  await srv?.close();
});

describe('a schedule tick handed to a worker again', () => {
  it('continues its run late, paused or not, instead of skipping it as missed', async () => {
    const schedules = new ScheduleStore(shared.stores.kv);
    await schedules.add({ pipeline: 'p.yaml', cron: '0 9 * * *', name: 'daily', missed: 'skip' }, new Date());
    const ran: RunJob[] = [];
    const worker = (lateToleranceMs: number) => new BullWorker({
      url: srv.url, prefix: 'ticks', kv: shared.stores.kv, concurrency: 1, lateToleranceMs,
      execute: async (job) => { ran.push(job); return { runId: 'r', status: 'succeeded', durationMs: 0 } satisfies JobOutcome; },
      watch: new RedisWatch({ url: srv.url, log: () => undefined }), log: () => undefined,
    });
    const process = (w: BullWorker, fireMs: number) => (w as unknown as { process(j: Job, t: string): Promise<unknown> }).process({
      id: `repeat:daily:${fireMs}`, repeatJobKey: 'daily', data: { schedule: 'daily', pipeline: 'p.yaml', inputs: {} }, opts: { prevMillis: fireMs }, timestamp: fireMs,
    } as unknown as Job, 'token');
    const fire = Date.now() - 120_000;
    const first = worker(600_000); // two minutes after the fire is still on time for this one
    const second = worker(60_000); // and late for this one
    try {
      await process(first, fire);
      expect(ran).toHaveLength(1);
      // the schedule is paused meanwhile, and the job comes back to a worker for which it is late
      await schedules.setPaused('daily', true, new Date());
      expect(await process(second, fire)).toMatchObject({ status: 'succeeded' });
      expect(ran.map((j) => j.id)).toEqual([ran[0]!.id, ran[0]!.id]);
      expect((await schedules.getTick('daily', new Date(fire).toISOString()))?.status).toBe('queued');
      // a fire that never started, as late: skipped as missed, as before
      await schedules.setPaused('daily', false, new Date());
      expect(await process(second, fire - 86_400_000)).toMatchObject({ status: 'skipped' });
      expect(ran).toHaveLength(2);
    } finally {
      await first.stop(500);
      await second.stop(500);
    }
  });
});
