/**
 * The shared queue over BullMQ: `enqueue` adds a job whose id is the run's job id (BullMQ
 * keeps one job per id, so the same run is never queued twice), and schedules are BullMQ
 * job schedulers, whose per-tick job ids (`repeat:<name>:<fire ms>`) make each tick fire
 * once across the fleet.
 */
import { Queue, type JobsOptions } from 'bullmq';
import { mpv2Error } from '../errors.js';
import { closeRedis, openRedis, type Redis } from './redis/connection.js';
import { isConnectionError } from './redis/watch.js';
import type { EnqueueResult } from './local-queue.js';
import type { JobStatus, RunJob, Schedule } from './types.js';

export const QUEUE_NAME = 'runs';

/** Finished jobs keep their id a day (completed) or a week (failed, for inspection). */
export const JOB_OPTIONS: JobsOptions = {
  removeOnComplete: { age: 86_400 },
  removeOnFail: { age: 7 * 86_400 },
  attempts: 1,
};

/** What a scheduler's jobs carry; the tick comes from the job itself. */
export interface ScheduledJobData {
  schedule: string;
  pipeline: string;
  inputs: Record<string, unknown>;
}

const STATE: Record<string, JobStatus> = { completed: 'succeeded', failed: 'failed', active: 'running', waiting: 'queued', delayed: 'queued', prioritized: 'queued', 'waiting-children': 'queued' };

export class BullQueue {
  readonly queue: Queue;
  private readonly redis: Redis;

  /**
   * `onError` hears the queue's connection errors (a worker passes its RedisWatch). Without
   * one, connection errors are left to the commands that wait on the connection (the CLI pings
   * Redis first and fails fast) and anything else is one line on stderr — never BullMQ's
   * fallback of a stack trace per reconnect attempt, which is what an `error` event with no
   * listener turns into.
   */
  constructor(url: string, readonly prefix = 'mpv2', redis?: Redis, onError?: (e: Error) => void) {
    this.redis = redis ?? openRedis(url);
    this.queue = new Queue(QUEUE_NAME, { connection: this.redis, prefix: `${prefix}:bull` });
    this.queue.on('error', onError ?? ((e: Error) => { if (!isConnectionError(e)) process.stderr.write(`mpv2: queue: ${e.message}\n`); }));
  }

  async enqueue(job: RunJob): Promise<EnqueueResult> {
    const prev = await this.queue.getJob(job.id);
    if (prev) {
      const status = STATE[await prev.getState()] ?? 'queued';
      // `resume --force` of a run whose resume is queued already (the timed one of a paused run): that job goes on with the changed file
      if (job.force && !(prev.data as RunJob).force && status === 'queued') {
        const forced = { ...(prev.data as RunJob), force: true };
        await prev.updateData(forced);
        return { job: forced, added: false, status };
      }
      return { job: prev.data as RunJob, added: false, status };
    }
    // a run continuing at its posting time: BullMQ keeps the job delayed until then
    const delay = job.runAt ? Math.max(0, Date.parse(job.runAt) - Date.now()) : 0;
    const added = await this.queue.add('run', job, { ...JOB_OPTIONS, jobId: job.id, ...(delay > 0 && { delay }) });
    // two enqueues racing: BullMQ keeps the first job under the id and hands it back to both
    return { job: added.data as RunJob, added: (added.data as RunJob).enqueuedAt === job.enqueuedAt, status: 'queued' };
  }

  async upsertSchedule(s: Schedule): Promise<void> {
    const data: ScheduledJobData = { schedule: s.name, pipeline: s.pipeline, inputs: s.inputs };
    await this.queue.upsertJobScheduler(s.name, { pattern: s.cron, ...(s.tz && { tz: s.tz }) }, { name: 'run', data, opts: { removeOnComplete: JOB_OPTIONS.removeOnComplete, removeOnFail: JOB_OPTIONS.removeOnFail } });
  }

  async removeSchedule(name: string): Promise<void> {
    await this.queue.removeJobScheduler(name);
  }

  /** The next fire BullMQ has queued for a schedule (ms), if any. */
  async nextFire(name: string): Promise<number | undefined> {
    return (await this.queue.getJobScheduler(name))?.next;
  }

  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
  }

  /** Closes without waiting on an absent Redis (BullMQ's close waits for it). */
  async close(): Promise<void> {
    if (this.redis.status === 'ready') await Promise.race([this.queue.close(), new Promise((r) => setTimeout(r, 1000).unref())]);
    await closeRedis(this.redis);
  }
}

export function requireQueueUrl(url: string | undefined): string {
  if (!url) throw mpv2Error('E_USAGE', 'no shared queue is configured', { hint: 'set `queue.url` in the config or REDIS_URL' });
  return url;
}
