/**
 * Runs one queued job through the engine. The run id comes from the job, so a job taken
 * over after a crash (or a worker's SIGTERM) resumes its run: finished steps are reused,
 * done effects are not repeated. Taking the run over goes through the run's ownership like
 * `mpv2 resume`: while the process that runs it lives (a stalled worker, or someone's
 * `mpv2 resume`), the job waits for it, up to a bound, instead of running the steps twice.
 *
 * The timed job that continues a run paused for its posting time is superseded when the run
 * was continued elsewhere meanwhile (`mpv2 resume` in a terminal, which waits for the slot in
 * its own process): it ends `skipped`, saying so, instead of waiting for that owner and
 * failing. It tells its own earlier attempt (a worker that died or stopped during it) from
 * someone else's by the job id it records on the run when it continues it.
 */
import { isMpv2Error, mpv2Error } from '../errors.js';
import { fromSystemError } from '../infra/system-errors.js';
import type { EventSink } from '../engine/events.js';
import { realClock, type Clock } from '../engine/limits.js';
import { LEASE_MS, liveOwnerOf } from '../engine/owner.js';
import type { KvStore, RunRecord } from '../infra/store/types.js';
import type { Project } from '../engine/project.js';
import { executePrepared, prepareRun, type RunStores } from '../engine/run.js';
import { parseDuration } from '../infra/duration.js';
import { makeTimedResumeJob, runIdForJob } from './job-id.js';
import type { JobOutcome, RunJob } from './types.js';

export interface RunJobOptions {
  project: Project;
  job: RunJob;
  signal: AbortSignal;
  sink: EventSink;
  stores?: RunStores;
  concurrency?: number;
  /** How long to wait for a live owner of the job's run. @default two leases (60 s): a killed worker's lease has run out by then */
  ownerWaitMs?: number;
  /** Waits between looks at the owner, and the clock of the run's posting-time waits (tests inject it). */
  clock?: Clock;
  /**
   * Queues a job (the worker's queue). Given, a step's wait for its posting time longer than
   * the config's `queue.holdWaitUpTo` pauses the run (`waiting-slot`) and the job that
   * continues it at that time is queued here, before this job ends; without it every wait is
   * slept in this job.
   */
  enqueue?: (job: RunJob) => Promise<unknown>;
}

/**
 * prepareRun calls of one project, one at a time: a lazy project loads plugin namespaces on
 * first use, and two runs resolving at once could see a namespace half loaded.
 */
const preparing = new WeakMap<Project, Promise<unknown>>();

function serialized<T>(project: Project, fn: () => Promise<T>): Promise<T> {
  const turn = (preparing.get(project) ?? Promise.resolve()).then(fn, fn);
  preparing.set(project, turn.catch(() => undefined));
  return turn;
}

export async function runJob(o: RunJobOptions): Promise<JobOutcome> {
  const t0 = performance.now();
  const runId = runIdForJob(o.job);
  const journal = o.stores?.journal ?? o.project.state().journal;
  const clock = o.clock ?? realClock;
  const waitUntil = clock.now() + (o.ownerWaitMs ?? 2 * LEASE_MS);
  const done = (status: JobOutcome['status'], error?: JobOutcome['error']): JobOutcome => ({ runId, status, durationMs: performance.now() - t0, ...(error && { error }) });
  const kv = o.stores?.kv ?? o.project.state().kv;
  const failed = (e: unknown) => {
    const known = isMpv2Error(e) ? e : fromSystemError(e);
    return done('failed', known ? { code: known.code, message: o.project.redactor.redact(known.message) } : { code: 'E_INTERNAL', message: o.project.redactor.redact(String(e)) });
  };
  const hold = o.project.config.values.queue.holdWaitUpTo;
  const pauseAfter = o.enqueue && hold !== 'forever' ? parseDuration(hold, 'queue.holdWaitUpTo') : undefined;
  for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
    const prior = await journal.getRun(runId);
    const superseded = prior && (await supersededBy(o, kv, prior));
    if (superseded) return { ...done('skipped'), reason: superseded };
    if (prior?.status === 'succeeded') return done('succeeded'); // a worker died after the run finished, before the queue heard
    // a resume job only continues its run: it never starts one from nothing
    if (!prior && o.job.resume) return failed(mpv2Error('E_NOT_FOUND', `no run with id ${o.job.resume} to resume`, { hint: 'the journal this worker uses (queue.url) must hold the run: approve it where it ran' }));
    const req = {
      project: o.project, cwd: o.project.root, signal: o.signal, sink: o.sink, stores: o.stores, concurrency: o.concurrency,
      ...(o.clock && { clock: o.clock }), ...(pauseAfter !== undefined && { pauseWaitsOverMs: pauseAfter }),
      ...(prior ? { resume: runId, ...(o.job.force && { force: true }) } : { file: o.job.pipeline, inputs: o.job.inputs, runId }),
    };
    let prep;
    try {
      prep = await serialized(o.project, () => prepareRun(req));
    } catch (e) {
      if (!isMpv2Error(e) || e.code !== 'E_RUN_OWNED' || clock.now() >= waitUntil) return failed(e);
      // another live process runs it: look again (it finishes, or dies and its lease runs out)
      try {
        await clock.sleep(Math.min(delay, waitUntil - clock.now()), o.signal);
      } catch {
        return done('interrupted', { code: 'E_ABORTED', message: `stopped while run ${runId} was still owned by another process` });
      }
      continue;
    }
    // the run is this job's now: a later attempt of this same job (after a crash) is not taken for someone else's
    if (o.job.runAt) await kv.set(CONTINUED_NS, runId, o.job.id);
    const { result } = await executePrepared(req, prep);
    if (result.status === 'waiting-slot' && result.resumeAt) {
      // the run is journaled waiting; a crash before this line leaves this job to be taken
      // over (or queued again), and its resume pauses again and queues the same job
      await queueContinuation(o, runId, result.resumeAt);
      return { ...done('waiting-slot'), resumeAt: result.resumeAt };
    }
    return done(result.status, result.error && { code: result.error.code, message: o.project.redactor.redact(result.error.message) });
  }
}

/** Where a timed continuation records, per run, the job that last continued it. */
const CONTINUED_NS = 'queue-continued';

/**
 * Why a timed continuation has nothing to do (undefined: it continues the run): the run no
 * longer waits for this job's time and neither this job nor a dead process left it half-way —
 * it was continued elsewhere (a terminal's `mpv2 resume` runs it or ran it) or waits for another time.
 */
async function supersededBy(o: RunJobOptions, kv: KvStore, run: RunRecord): Promise<string | undefined> {
  if (!o.job.runAt || !o.job.resume) return undefined;
  if (run.status === 'waiting-slot' && run.resumeAt === o.job.runAt) return undefined;
  if ((await kv.get<string>(CONTINUED_NS, run.id)) === o.job.id) return undefined;
  const journal = o.stores?.journal ?? o.project.state().journal;
  if (run.status === 'running') {
    // (leases are written on the real clock, whatever clock the job's waits use)
    const owner = await liveOwnerOf(journal, run.id);
    // a process that died mid-run left it: this job takes it over, as any resume would
    if (!owner) return undefined;
    return `run ${run.id} is being continued elsewhere (process ${owner.pid} on ${owner.host}), which posts at its time; this job leaves it to it`;
  }
  if (run.status === 'waiting-slot') return `run ${run.id} now waits until ${run.resumeAt}; the job queued for that time continues it`;
  return `run ${run.id} was continued elsewhere and is ${run.status} now; this job, queued for ${o.job.runAt}, has nothing left to do`;
}

async function queueContinuation(o: RunJobOptions, runId: string, at: string): Promise<void> {
  try {
    // this very job was due at `at` and the time is still ahead here (this worker's clock is
    // behind the one that paused it): the job of the same id is this one, so its successor is
    // named after it, or the run would never be continued
    const after = o.job.runAt !== undefined && Date.parse(at) <= Date.parse(o.job.runAt) ? o.job.id : undefined;
    await o.enqueue!(makeTimedResumeJob({ runId, pipeline: o.job.pipeline, at, ...(after && { after }) }, new Date(o.clock?.now() ?? Date.now())));
  } catch (e) {
    const cause = isMpv2Error(e) ? e.message : (e as Error).message;
    throw mpv2Error('E_QUEUE', `run ${runId} paused until ${at}, but the job that continues it then could not be queued: ${cause}`, { hint: `\`mpv2 resume ${runId}\` queues it again`, cause: e });
  }
}
