/**
 * The queue of one machine: queued runs in the project's key-value store, taken by
 * `mpv2 worker` in the order they came, a job with a `runAt` (a run that continues at its
 * posting time) not before then. An entry stays a day after it finished, so the same run (same
 * job id) enqueued again meanwhile is not run twice.
 */
import type { KvStore } from '../infra/store/types.js';
import type { JobOutcome, JobStatus, RunJob } from './types.js';

const NS = 'queue';
/** How long a finished entry keeps its job id taken. */
export const KEEP_FINISHED_MS = 86_400_000;

export interface QueueEntry {
  job: RunJob;
  status: JobStatus;
  runId?: string;
  startedAt?: string;
  finishedAt?: string;
  error?: { code: string; message: string };
}

export interface EnqueueResult {
  job: RunJob;
  /** False when the same job was already queued, running or finished within a day. */
  added: boolean;
  status: JobStatus;
}

export class LocalQueue {
  constructor(private readonly kv: KvStore, private readonly now: () => number = Date.now) {}

  async enqueue(job: RunJob): Promise<EnqueueResult> {
    const prev = await this.kv.get<QueueEntry>(NS, job.id);
    if (prev && !(prev.finishedAt && this.now() - Date.parse(prev.finishedAt) > KEEP_FINISHED_MS)) {
      // `resume --force` of a run whose resume is queued already: that job goes on with the changed file
      if (job.force && !prev.job.force && prev.status === 'queued') {
        const forced = { ...prev.job, force: true };
        await this.kv.set(NS, job.id, { ...prev, job: forced } satisfies QueueEntry);
        return { job: forced, added: false, status: prev.status };
      }
      return { job: prev.job, added: false, status: prev.status };
    }
    await this.kv.set(NS, job.id, { job, status: 'queued' } satisfies QueueEntry);
    return { job, added: true, status: 'queued' };
  }

  async entries(): Promise<QueueEntry[]> {
    const all = (await this.kv.list<QueueEntry>(NS, '')).map((e) => e.value);
    return all.sort((a, b) => a.job.enqueuedAt.localeCompare(b.job.enqueuedAt) || a.job.id.localeCompare(b.job.id));
  }

  /** The queued entries, in order; with `now` (ms), only those due by then (a job's `runAt`). */
  async queued(now?: number): Promise<QueueEntry[]> {
    return (await this.entries()).filter((e) => e.status === 'queued' && (now === undefined || e.job.runAt === undefined || Date.parse(e.job.runAt) <= now));
  }

  /** Schedules with a run queued or running (for overlap checks). */
  async busySchedules(): Promise<Map<string, JobStatus>> {
    const busy = new Map<string, JobStatus>();
    for (const e of await this.entries()) {
      if (e.job.schedule && (e.status === 'running' || e.status === 'queued') && busy.get(e.job.schedule) !== 'running') busy.set(e.job.schedule, e.status);
    }
    return busy;
  }

  async markRunning(job: RunJob, runId: string): Promise<void> {
    await this.kv.set(NS, job.id, { job, status: 'running', runId, startedAt: new Date(this.now()).toISOString() } satisfies QueueEntry);
  }

  async markFinished(job: RunJob, o: JobOutcome): Promise<void> {
    const prev = await this.kv.get<QueueEntry>(NS, job.id);
    // an interrupted run (worker stopped) goes back to the queue and resumes next time
    const status: JobStatus = o.status === 'interrupted' ? 'queued' : o.status;
    await this.kv.set(NS, job.id, {
      ...prev, job, status, runId: o.runId,
      ...(status !== 'queued' && { finishedAt: new Date(this.now()).toISOString() }),
      ...(o.error && { error: o.error }),
    } satisfies QueueEntry);
  }

  /** Entries left `running` by a worker that died: queued again (their runs resume). */
  async requeueStale(): Promise<number> {
    let n = 0;
    for (const e of await this.entries()) {
      if (e.status === 'running') { await this.kv.set(NS, e.job.id, { ...e, status: 'queued' }); n++; }
    }
    return n;
  }

  /** Drops finished entries older than a day. */
  async prune(): Promise<void> {
    for (const e of await this.entries()) {
      if (e.finishedAt && this.now() - Date.parse(e.finishedAt) > KEEP_FINISHED_MS) await this.kv.delete(NS, e.job.id);
    }
  }
}
