/**
 * The worker loop of one machine: fires due schedules, starts queued runs up to the
 * concurrency (one run per schedule at a time), and stops cleanly: no new work, running
 * steps get a grace period, then they are aborted and their runs journaled as interrupted.
 */
import type { Clock } from '../engine/limits.js';
import { splitGrace, within } from './grace.js';
import { isMpv2Error } from '../errors.js';
import { fromSystemError } from '../infra/system-errors.js';
import type { LocalQueue } from './local-queue.js';
import { runIdForJob } from './job-id.js';
import type { Scheduler } from './scheduler.js';
import type { JobOutcome, RunJob } from './types.js';

export interface LocalWorkerOptions {
  queue: LocalQueue;
  scheduler?: Scheduler;
  execute(job: RunJob, signal: AbortSignal): Promise<JobOutcome>;
  clock: Clock;
  /** Runs at once. @default 1 */
  concurrency?: number;
  /** How often the loop looks for due schedules and queued runs. @default 1000 */
  pollMs?: number;
  onJob?(job: RunJob, phase: 'started' | 'finished', outcome?: JobOutcome): void;
  onError?(e: unknown): void;
}

interface Running {
  job: RunJob;
  controller: AbortController;
  done: Promise<void>;
}

export class LocalWorker {
  private readonly running = new Map<string, Running>();
  private stopping = false;
  private wake = new AbortController();

  constructor(private readonly o: LocalWorkerOptions) {}

  get active(): number {
    return this.running.size;
  }

  /** One round: due schedules, then queued runs. Returns the jobs it started. */
  async pass(): Promise<RunJob[]> {
    if (this.stopping) return [];
    await this.o.scheduler?.tick(new Date(this.o.clock.now()));
    const started: RunJob[] = [];
    const busySchedules = new Set([...this.running.values()].map((r) => r.job.schedule).filter((s): s is string => !!s));
    for (const e of await this.o.queue.queued(this.o.clock.now())) {
      if (this.stopping || this.running.size >= (this.o.concurrency ?? 1)) break;
      if (this.running.has(e.job.id)) continue;
      // overlap: queue — a schedule's next run waits for the one before it
      if (e.job.schedule && busySchedules.has(e.job.schedule)) continue;
      if (e.job.schedule) busySchedules.add(e.job.schedule);
      this.start(e.job);
      started.push(e.job);
    }
    return started;
  }

  private start(job: RunJob): void {
    const controller = new AbortController();
    const done = (async () => {
      await this.o.queue.markRunning(job, runIdForJob(job));
      this.o.onJob?.(job, 'started');
      let outcome: JobOutcome;
      try {
        outcome = await this.o.execute(job, controller.signal);
      } catch (e) {
        const known = isMpv2Error(e) ? e : fromSystemError(e);
        outcome = { runId: runIdForJob(job), status: 'failed', durationMs: 0, error: { code: known?.code ?? 'E_INTERNAL', message: known?.message ?? (e as Error).message } };
      }
      await this.o.queue.markFinished(job, outcome);
      this.o.onJob?.(job, 'finished', outcome);
    })().catch((e) => this.o.onError?.(e)).finally(() => {
      this.running.delete(job.id);
      this.wake.abort(); // a finished run may let the next one start
    });
    this.running.set(job.id, { job, controller, done });
  }

  /** Resolves when no run is going. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Loops until `stop()`. */
  async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.pass();
      } catch (e) {
        this.o.onError?.(e);
      }
      if (this.stopping) break;
      this.wake = new AbortController();
      await this.o.clock.sleep(this.o.pollMs ?? 1000, this.wake.signal).catch(() => undefined);
    }
  }

  /**
   * Takes no new work; running runs may finish for most of `graceMs` (see grace.ts), then
   * their steps are aborted (the runs are journaled as interrupted and go back to the queue).
   * Resolves within `graceMs` even when a run ignores the abort: such a run stays `running`
   * in the journal and the queue, and the next worker's start queues it again (it resumes).
   * Returns true when runs had to be aborted.
   */
  async stop(graceMs: number): Promise<boolean> {
    this.stopping = true;
    this.wake.abort();
    if (this.running.size === 0) return false;
    const { finishMs, closeMs } = splitGrace(graceMs);
    const sleep = (ms: number, signal: AbortSignal) => this.o.clock.sleep(ms, signal);
    if (await within(this.drain(), finishMs, sleep)) return false;
    for (const r of this.running.values()) r.controller.abort();
    if (!(await within(this.drain(), closeMs, sleep))) {
      const left = [...this.running.values()].map((r) => runIdForJob(r.job));
      this.o.onError?.(new Error(`run(s) ${left.join(', ')} did not stop within the grace period; they are left running and queued again when a worker starts next`));
    }
    return true;
  }
}
