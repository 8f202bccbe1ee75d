/**
 * `mpv2 worker` on a shared queue: a BullMQ Worker whose processor runs the job's pipeline
 * with the shared Redis stores. A worker that dies mid-job loses its lock; BullMQ's stalled
 * check hands the job to another worker, which resumes the same run id from the shared
 * journal (finished steps reused, done effects not repeated).
 *
 * Redis going away is told once and its return once (RedisWatch); the stop is bounded by
 * the grace period whatever the connection does (see `stop`).
 */
import { DelayedError, Worker, type Job } from 'bullmq';
import { makeJob } from './job-id.js';
import { QUEUE_NAME, type ScheduledJobData } from './bull-queue.js';
import { realClock } from '../engine/limits.js';
import { splitGrace, within } from './grace.js';
import { openRedis, type Redis } from './redis/connection.js';
import { isConnectionError, type RedisWatch } from './redis/watch.js';
import type { KvStore } from '../infra/store/types.js';
import { ScheduleStore } from './schedules.js';
import type { JobOutcome, RunJob } from './types.js';

export interface BullWorkerOptions {
  url: string;
  prefix: string;
  kv: KvStore;
  execute(job: RunJob, signal: AbortSignal): Promise<JobOutcome>;
  concurrency: number;
  /** @default 30_000 (BullMQ's); tests shorten it so a killed worker's job is taken over quickly */
  lockDuration?: number;
  /** @default 30_000 */
  stalledInterval?: number;
  /** A fire this late counts as missed (`missed: skip` drops it). @default 60_000 */
  lateToleranceMs?: number;
  onJob?(job: RunJob, phase: 'started' | 'finished', outcome?: JobOutcome): void;
  /** Tells Redis outages; the worker's own connection is watched. */
  watch: RedisWatch;
  log(level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void;
}

export class BullWorker {
  readonly worker: Worker;
  private readonly redis: Redis;
  private readonly schedules: ScheduleStore;
  private readonly running = new Map<string, AbortController>();
  private stopping = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly o: BullWorkerOptions) {
    this.redis = openRedis(o.url);
    this.schedules = new ScheduleStore(o.kv);
    this.worker = new Worker(QUEUE_NAME, (job, token) => this.process(job, token), {
      connection: this.redis, prefix: `${o.prefix}:bull`, concurrency: o.concurrency, autorun: false,
      lockDuration: o.lockDuration ?? 30_000, stalledInterval: o.stalledInterval ?? 30_000, maxStalledCount: 3,
    });
    o.watch.watch(this.redis);
    this.worker.on('error', (e) => {
      // BullMQ's own connections report every failed reconnect: the watch tells the outage once
      // (a connection error while the watched connection is up is a blip of BullMQ's own: one line)
      if (isConnectionError(e) && (this.stopping || this.redis.status !== 'ready')) { if (!this.stopping) o.watch.lost(e.message); return; }
      o.log('error', `queue: ${e.message}`);
    });
    this.worker.on('stalled', (id) => o.log('warn', `job ${id} stalled (its worker stopped answering); queued again`, { jobId: id }));
  }

  run(): Promise<void> {
    return this.worker.run();
  }

  private async process(bj: Job, token: string | undefined): Promise<JobOutcome | { status: 'skipped'; reason: string }> {
    if (this.stopping) {
      // fetched while stopping: back to the queue for another worker
      await bj.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    let job: RunJob;
    let lock: string | undefined;
    if (bj.repeatJobKey) {
      const d = bj.data as ScheduledJobData;
      const fireMs = bj.opts.prevMillis ?? bj.timestamp;
      const tick = new Date(fireMs).toISOString();
      job = makeJob({ pipeline: d.pipeline, inputs: d.inputs, schedule: d.schedule, tick }, new Date(fireMs));
      // a tick whose run already started (its worker died and the stalled job came back, late):
      // the run continues, whatever the schedule's pause, the hour or the overlap lock say now
      const begun = (await this.schedules.getTick(d.schedule, tick))?.jobId === job.id;
      const s = await this.schedules.get(d.schedule);
      if (!begun && (!s || s.paused)) return this.skip(d.schedule, tick, `schedule "${d.schedule}" is ${s ? 'paused' : 'gone'}`);
      if (!begun && Date.now() - fireMs > (this.o.lateToleranceMs ?? 60_000) && s!.missed === 'skip') {
        await this.schedules.putTick({ schedule: d.schedule, tick, status: 'skipped-missed', at: new Date().toISOString() });
        return this.skip(d.schedule, tick, `fire of ${tick} was missed while no worker ran (missed: skip)`);
      }
      lock = `${this.o.prefix}:schedule-active:${d.schedule}`;
      const got = await this.redis.set(lock, job.id, 'PX', (this.o.lockDuration ?? 30_000) * 2, 'NX');
      if (!begun && got === null && (await this.redis.get(lock)) !== job.id) {
        // (not begun: the schedule is there, checked above)
        if (s!.overlap === 'skip') {
          await this.schedules.putTick({ schedule: d.schedule, tick, status: 'skipped-overlap', at: new Date().toISOString() });
          return this.skip(d.schedule, tick, `fire of ${tick} skipped, the previous run is still going (overlap: skip)`);
        }
        await bj.moveToDelayed(Date.now() + 5000, token); // overlap: queue — look again in 5 s
        throw new DelayedError();
      }
      if (!begun) await this.schedules.putTick({ schedule: d.schedule, tick, status: 'queued', jobId: job.id, at: new Date().toISOString() });
    } else {
      job = bj.data as RunJob;
    }
    const controller = new AbortController();
    this.running.set(bj.id!, controller);
    const keepLock = lock ? setInterval(() => void this.redis.pexpire(lock!, (this.o.lockDuration ?? 30_000) * 2), this.o.lockDuration ?? 30_000) : undefined;
    this.o.onJob?.(job, 'started');
    try {
      const outcome = await this.o.execute(job, controller.signal);
      this.o.onJob?.(job, 'finished', outcome);
      if (outcome.status === 'interrupted') {
        // this worker is stopping: hand the job to another one, which resumes the run
        await bj.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      if (outcome.status === 'failed') throw Object.assign(new Error(`${outcome.error?.code ?? 'E_PLUGIN_FAILED'}: ${outcome.error?.message ?? 'the run failed'} (run ${outcome.runId})`), { runId: outcome.runId });
      return outcome;
    } finally {
      clearInterval(keepLock);
      this.running.delete(bj.id!);
      for (const wake of this.idleWaiters.splice(0)) wake();
      if (lock && (await this.redis.get(lock)) === job.id) await this.redis.del(lock);
    }
  }

  private skip(schedule: string, tick: string, reason: string): { status: 'skipped'; reason: string } {
    this.o.log('warn', `schedule "${schedule}": ${reason}`, { schedule, tick });
    return { status: 'skipped', reason };
  }

  /**
   * Takes no new jobs; running ones may finish for most of `graceMs`, then their steps are
   * aborted (see grace.ts). Resolves within `graceMs` whatever Redis does: BullMQ's close
   * waits for Redis, so it is raced with the grace, and when Redis is unreachable and no run
   * is left, or the grace is over, the connections are dropped instead of closed politely.
   * A run whose `interrupted` could not reach the Redis journal stays `running` there; its job
   * lock lapses and another worker takes the job over and resumes the run.
   * Returns true when runs were aborted.
   */
  async stop(graceMs: number): Promise<boolean> {
    this.stopping = true;
    const closing = this.worker.close().catch((e: Error) => { if (!isConnectionError(e)) this.o.log('error', `queue: ${e.message}`); });
    const timers = new AbortController();
    let aborted = false;
    void realClock.sleep(splitGrace(graceMs).finishMs, timers.signal).then(() => {
      aborted = this.running.size > 0;
      for (const c of this.running.values()) c.abort();
    }, () => undefined);
    // done when no run is left and BullMQ has closed — or Redis is away, when waiting gains nothing
    const afterRuns = <T>(p: Promise<T>) => this.whenIdle().then(() => p);
    const closed = await within(Promise.race([afterRuns(closing), afterRuns(this.o.watch.whenDown())]), graceMs, realClock.sleep);
    timers.abort();
    this.o.watch.close();
    if (!closed || this.o.watch.down) {
      if (this.running.size > 0) this.o.log('warn', `${this.running.size} run(s) could not record their end before the grace ran out; their jobs go to another worker when the job lock lapses`);
      this.redis.disconnect();
      // BullMQ's disconnect() waits for an 'end' that a reconnecting client never emits: drop its blocking connection directly
      const blocking = await this.worker.getBackend().blockingConnection?.client.catch(() => undefined);
      blocking?.disconnect();
    } else {
      await within(this.redis.quit(), 1000, realClock.sleep).then((ok) => { if (!ok) this.redis.disconnect(); });
    }
    return aborted;
  }

  /** Resolves when no job runs on this worker. */
  private async whenIdle(): Promise<void> {
    while (this.running.size > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }
}

