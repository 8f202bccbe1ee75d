/**
 * Runs one queued job through the engine. The run id comes from the job, so a job taken
 * over after a crash (or a worker's SIGTERM) resumes its run: finished steps are reused,
 * done effects are not repeated.
 */
import { isMpv2Error } from '../errors.js';
import { fromSystemError } from '../infra/system-errors.js';
import type { EventSink } from '../engine/events.js';
import type { Project } from '../engine/project.js';
import { executePrepared, prepareRun, type RunStores } from '../engine/run.js';
import { runIdForJob } from './job-id.js';
import type { JobOutcome, RunJob } from './types.js';

export interface RunJobOptions {
  project: Project;
  job: RunJob;
  signal: AbortSignal;
  sink: EventSink;
  stores?: RunStores;
  concurrency?: number;
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
  const prior = await journal.getRun(runId);
  const done = (status: JobOutcome['status'], error?: JobOutcome['error']): JobOutcome => ({ runId, status, durationMs: performance.now() - t0, ...(error && { error }) });
  if (prior?.status === 'succeeded') return done('succeeded'); // a worker died after the run finished, before the queue heard
  const req = {
    project: o.project, cwd: o.project.root, signal: o.signal, sink: o.sink, stores: o.stores, concurrency: o.concurrency,
    ...(prior ? { resume: runId } : { file: o.job.pipeline, inputs: o.job.inputs, runId }),
  };
  let prep;
  try {
    prep = await serialized(o.project, () => prepareRun(req));
  } catch (e) {
    const known = isMpv2Error(e) ? e : fromSystemError(e);
    const error = known ? { code: known.code, message: o.project.redactor.redact(known.message) } : { code: 'E_INTERNAL', message: o.project.redactor.redact(String(e)) };
    return done('failed', error);
  }
  const { result } = await executePrepared(req, prep);
  return done(result.status, result.error && { code: result.error.code, message: o.project.redactor.redact(result.error.message) });
}
