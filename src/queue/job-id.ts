/**
 * Job and run ids derived from what makes a run the same: the pipeline, its inputs, an
 * optional user key, and the schedule tick. Equal ids are one run, queued once.
 */
import { canonicalJson, sha256 } from '../infra/hash.js';
import type { RunJob } from './types.js';

export interface JobIdParts {
  pipeline: string;
  inputs: Record<string, unknown>;
  key?: string;
  schedule?: string;
  tick?: string;
}

/** `r-<20 hex>`: BullMQ job ids must not be plain integers nor contain `:`. */
export function jobIdFor(p: JobIdParts): string {
  return `r-${sha256(canonicalJson({ pipeline: p.pipeline, inputs: p.inputs, key: p.key ?? null, schedule: p.schedule ?? null, tick: p.tick ?? null })).slice(0, 20)}`;
}

export function makeJob(p: JobIdParts, now: Date): RunJob {
  return {
    id: jobIdFor(p), pipeline: p.pipeline, inputs: p.inputs, enqueuedAt: now.toISOString(),
    ...(p.schedule !== undefined && { schedule: p.schedule }), ...(p.tick !== undefined && { tick: p.tick }),
  };
}

/**
 * The run id of a job: shaped like `mpv2 run`'s ids (time of enqueue, then a suffix) and
 * fixed per job, so a worker that takes over a stalled job resumes the same run.
 */
export function runIdForJob(job: Pick<RunJob, 'id' | 'enqueuedAt' | 'tick' | 'resume'>): string {
  if (job.resume) return job.resume;
  const at = new Date(job.tick ?? job.enqueuedAt).toISOString();
  return `${at.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-')}-${job.id.slice(2, 8)}`;
}

/**
 * A job that continues run `runId` once approval `approvalId` was decided: one job per
 * decision, so deciding enqueues the resume once however often it is asked.
 */
export function makeResumeJob(p: { runId: string; pipeline: string; approvalId: string; force?: boolean }, now: Date): RunJob {
  return { id: `r-${sha256(canonicalJson({ resume: p.runId, approval: p.approvalId })).slice(0, 20)}`, pipeline: p.pipeline, inputs: {}, resume: p.runId, enqueuedAt: now.toISOString(), ...(p.force && { force: true }) };
}

/**
 * The job that continues run `runId` at `at`, the posting time it paused for: one job per run
 * and time, so the worker that paused it, one that took its job over after a crash, and
 * `mpv2 resume` all queue the same job, once.
 */
export function makeTimedResumeJob(p: { runId: string; pipeline: string; at: string; /** The job due at `at` that found it still ahead (a clock behind): its successor gets an id of its own. */ after?: string; force?: boolean }, now: Date): RunJob {
  return { id: `r-${sha256(canonicalJson({ resume: p.runId, at: p.at, ...(p.after && { after: p.after }) })).slice(0, 20)}`, pipeline: p.pipeline, inputs: {}, resume: p.runId, runAt: p.at, enqueuedAt: now.toISOString(), ...(p.force && { force: true }) };
}
