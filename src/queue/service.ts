/**
 * `mpv2 worker`: the local loop or a BullMQ worker, with metrics, an optional health
 * server and a clean stop (no new work; running steps get a grace period, then abort).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mpv2Error } from '../errors.js';
import type { RunEvent } from '../engine/events.js';
import { realClock } from '../engine/limits.js';
import type { Project } from '../engine/project.js';
import { openBackend, type QueueBackend } from './backend.js';
import { BullWorker } from './bull-worker.js';
import { within } from './grace.js';
import { startHealthServer, type HealthServer } from './health.js';
import { LocalWorker } from './local-worker.js';
import { WorkerMetrics } from './metrics.js';
import { ProcessLimits } from './process-limits.js';
import { pingRedis } from './redis/connection.js';
import { RunEventPublisher } from './redis/event-stream.js';
import { isConnectionError, RedisWatch } from './redis/watch.js';
import { runIdForJob } from './job-id.js';
import { runJob } from './run-job.js';
import { Scheduler } from './scheduler.js';
import type { JobOutcome, RunJob } from './types.js';

export interface WorkerOptions {
  project: Project;
  /** Runs at once on this worker. @default 1 */
  concurrency?: number;
  /** Steps run at once inside one run. @default the config's `concurrency` */
  stepConcurrency?: number;
  healthPort?: number;
  healthHost?: string;
  /** Local mode: how often due schedules and queued runs are looked for. @default 1000 */
  pollMs?: number;
  /** Redis mode: BullMQ lock duration / stalled-check interval (tests shorten them). */
  lockDuration?: number;
  stalledInterval?: number;
  /** Worker messages (human lines or JSON), one a call. */
  log(level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void;
  /** Redis mode: how long a run's event stream is kept after run.finished. @default EVENT_STREAM_TTL_SECONDS (a day) */
  eventStreamTtlSeconds?: number;
  /** Every event of every run (for --json). */
  onEvent?(e: RunEvent): void;
}

export interface RunningWorker {
  mode: 'local' | 'redis';
  healthPort?: number;
  metrics: WorkerMetrics;
  /** Resolves when the worker loop ends. */
  done: Promise<void>;
  /** Stops taking work; after `graceMs` running steps are aborted. True when runs were aborted. */
  stop(graceMs: number): Promise<boolean>;
}

export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const metrics = new WorkerMetrics();
  const url = o.project.config.values.queue.url;
  const watch = url ? new RedisWatch({ url, log: o.log, onAttempt: () => metrics.redisAttempt(), onChange: (up) => metrics.redis(up) }) : undefined;
  const backend = await openBackend(o.project, watch && { onQueueError: (e) => { if (isConnectionError(e)) watch.lost(e.message); else o.log('error', `queue: ${e.message}`); } });
  // Redis mode: every run event also goes to the run's event stream, for `mpv2 serve` (best effort)
  const events = backend.shared && new RunEventPublisher({ redis: backend.shared.redis, prefix: backend.shared.prefix, root: o.project.root, ttlSeconds: o.eventStreamTtlSeconds, counts: metrics });
  const sink = (e: RunEvent) => { metrics.event(e); o.onEvent?.(e); events?.publish(e); };
  const processLimits = new ProcessLimits();
  const stores = backend.shared ? backend.shared.stores : { limits: processLimits.factory };
  // a run whose step waits long for its posting time pauses, and the job continuing it is queued here
  const execute = (job: RunJob, signal: AbortSignal) => {
    events?.begin(runIdForJob(job)); // before the run's first journal write (see event-stream.ts)
    return runJob({ project: o.project, job, signal, sink, stores, concurrency: o.stepConcurrency, enqueue: (j) => backend.enqueue(j) });
  };
  const onJob = (job: RunJob, phase: 'started' | 'finished', out?: JobOutcome) => {
    const what = `${job.pipeline}${job.schedule ? ` (schedule ${job.schedule} @ ${job.tick})` : ''}`;
    if (phase === 'started') { metrics.jobStarted(); o.log('info', `started ${what}`, { jobId: job.id, pipeline: job.pipeline, schedule: job.schedule, tick: job.tick }); return; }
    metrics.jobFinished(out!);
    o.log(out!.status === 'failed' ? 'error' : 'info', `${out!.status} ${what}: run ${out!.runId} in ${Math.round(out!.durationMs)} ms${out!.error ? ` — ${out!.error.code}: ${out!.error.message}` : ''}${out!.reason ? ` — ${out!.reason}` : ''}`,
      { jobId: job.id, runId: out!.runId, status: out!.status, durationMs: Math.round(out!.durationMs), ...(out!.error && { error: out!.error }) });
  };

  let stopImpl: (graceMs: number) => Promise<boolean>;
  let done: Promise<void>;
  let healthy: () => Promise<Record<string, unknown>>;
  if (backend.mode === 'local') {
    const release = lockLocalWorker(o.project);
    const requeued = await backend.local!.requeueStale();
    if (requeued) o.log('warn', `${requeued} run(s) left running by a worker that stopped were queued again; they resume`);
    await backend.local!.prune();
    const scheduler = new Scheduler({ schedules: backend.schedules, enqueue: (j) => backend.enqueue(j), busy: () => backend.local!.busySchedules(), log: o.log });
    const worker = new LocalWorker({ queue: backend.local!, scheduler, execute, clock: realClock, concurrency: o.concurrency, pollMs: o.pollMs, onJob, onError: (e) => o.log('error', `worker: ${(e as Error).message}`) });
    done = worker.run().finally(release);
    stopImpl = async (g) => { const aborted = await worker.stop(g); await done; return aborted; };
    healthy = async () => ({ ok: true, mode: 'local', active: worker.active });
  } else {
    metrics.redis(true);
    const worker = new BullWorker({
      url: url!, prefix: backend.shared!.prefix, kv: backend.kv, execute, concurrency: o.concurrency ?? 1, lockDuration: o.lockDuration, stalledInterval: o.stalledInterval, onJob, watch: watch!, log: o.log,
    });
    const loop = worker.run();
    let stopped: () => void;
    // the loop ends when the worker closes; with Redis away BullMQ's loop may never hear it, so stop() ends `done` too
    done = Promise.race([loop, new Promise<void>((resolve) => { stopped = resolve; })]);
    stopImpl = async (g) => {
      const aborted = await worker.stop(g);
      // the last events (run.finished) go out unless Redis is away; bounded, a stop never waits on Redis
      if (events) await within(events.drain(), 1000, realClock.sleep);
      await backend.close();
      stopped();
      return aborted;
    };
    healthy = async () => {
      if (watch!.down) return { ok: false, mode: 'redis', redis: 'unreachable' };
      try { await pingRedis(url!, 2000); return { ok: worker.worker.isRunning(), mode: 'redis', redis: 'ok' }; } catch (e) { return { ok: false, mode: 'redis', redis: (e as Error).message }; }
    };
  }
  let health: HealthServer | undefined;
  if (o.healthPort !== undefined) health = await startHealthServer({ port: o.healthPort, host: o.healthHost, metrics, status: async () => ({ ok: false, ...(await healthy()) }) as { ok: boolean } });
  o.log('info', `worker ready (${backend.mode === 'local' ? 'local queue in .mpv2/state.db' : 'shared queue on Redis'}, ${o.concurrency ?? 1} run(s) at once${health ? `, health on :${health.port}` : ''})`, { mode: backend.mode, healthPort: health?.port });
  return {
    mode: backend.mode, healthPort: health?.port, metrics, done,
    async stop(graceMs) {
      const aborted = await stopImpl(graceMs);
      await health?.close();
      return aborted;
    },
  };
}

/** One local worker per project: its queue lives in the project's own SQLite file. */
function lockLocalWorker(project: Project): () => void {
  const file = join(project.state().dir, 'worker.pid');
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8'));
    let alive = false;
    try { if (pid > 0 && pid !== process.pid) { process.kill(pid, 0); alive = true; } } catch { /* gone */ }
    if (alive) throw mpv2Error('E_LOCKED', `another mpv2 worker (pid ${pid}) already serves this project's local queue`, { hint: 'run one local worker per project, or set `queue.url` to share a Redis queue between several' });
  }
  writeFileSync(file, String(process.pid));
  return () => { try { if (readFileSync(file, 'utf8') === String(process.pid)) rmSync(file); } catch { /* already gone */ } };
}

export type { QueueBackend };
