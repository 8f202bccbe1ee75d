/**
 * Continuing a run the workers ran (`queue.url`): its journal is in Redis, so it continues on
 * the workers, as a resume job — from `mpv2 resume` and `POST /api/runs/{id}/resume` alike.
 */
import { randomBytes } from 'node:crypto';
import { mpv2Error } from '../errors.js';
import type { Project } from '../engine/project.js';
import type { RunRecord } from '../infra/store/types.js';
import { makeResumeJob, makeTimedResumeJob } from './job-id.js';
import type { EnqueueResult } from './local-queue.js';

/** `key` makes the job: an approval's id (its decision resumes once), else each request is its own job. */
export async function enqueueRunResume(project: Project, run: RunRecord, o: { key?: string; now?: Date; /** `--force`: the job goes on with a changed pipeline file; a job already queued for the run is made so too. */ force?: boolean } = {}): Promise<EnqueueResult> {
  // a decided approval resumes whatever the run's status says yet: the worker waits for its owner
  if (!o.key && run.status === 'running') throw mpv2Error('E_RUN_OWNED', `run ${run.id} is still running on a worker`, { hint: 'a worker that dies leaves it to the next one, which resumes it' });
  if (!o.key && run.status === 'succeeded') throw mpv2Error('E_USAGE', `run ${run.id} already succeeded; nothing to resume`, { hint: '`mpv2 runs show ' + run.id + '` shows its outputs' });
  const { openBackend } = await import('./backend.js');
  const backend = await openBackend(project);
  try {
    // a run waiting for its posting time continues then, never earlier: this queues the job the
    // worker that paused it queued (the same id, so once), or queues it again if it was lost
    if (!o.key && run.status === 'waiting-slot' && run.resumeAt) return await backend.enqueue(makeTimedResumeJob({ runId: run.id, pipeline: run.pipeline, at: run.resumeAt, force: o.force }, o.now ?? new Date()));
    return await backend.enqueue(makeResumeJob({ runId: run.id, pipeline: run.pipeline, approvalId: o.key ?? `resume-${randomBytes(6).toString('hex')}`, force: o.force }, o.now ?? new Date()));
  } finally {
    await backend.close();
  }
}
