/** The shapes the scheduler, the local queue and the BullMQ adapter share. */

/** What a schedule does when its previous run is still going. */
export type OverlapPolicy = 'skip' | 'queue';
/** What a schedule does with fires missed while no worker ran. */
export type MissedPolicy = 'run-once' | 'skip';

export interface Schedule {
  /** Unique name (defaults to the pipeline file's base name). */
  name: string;
  /** Pipeline file, relative to the project root. */
  pipeline: string;
  /** Cron pattern (5 fields, or 6 with seconds first). */
  cron: string;
  /** IANA time zone, e.g. `Europe/Berlin`. @default the worker's local zone */
  tz?: string;
  inputs: Record<string, unknown>;
  /** @default 'skip' */
  overlap: OverlapPolicy;
  /** @default 'run-once' */
  missed: MissedPolicy;
  paused: boolean;
  createdAt: string;
  /** Fires up to this time (ISO) have been handled; later fires are still to come. */
  checkedUntil: string;
}

/** One queued run: a pipeline with checked inputs, and the schedule tick that made it, if any. */
export interface RunJob {
  /** Derived from pipeline + inputs (+ key, + schedule tick): the same run is never queued twice. */
  id: string;
  pipeline: string;
  inputs: Record<string, unknown>;
  schedule?: string;
  /** The scheduled fire time (ISO) of a schedule's job. */
  tick?: string;
  /** The run this job continues (a resume after an approval was decided); its run id is this one. */
  resume?: string;
  /** Not taken before this time (ISO): the resume of a run that waits for its posting time. */
  runAt?: string;
  /** The resume goes on with a pipeline file changed since the run started (`mpv2 resume --force`). */
  force?: boolean;
  enqueuedAt: string;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted' | 'skipped' | 'waiting-approval' | 'waiting-slot';

export interface JobOutcome {
  runId: string;
  status: 'succeeded' | 'failed' | 'interrupted' | 'skipped' | 'waiting-approval' | 'waiting-slot';
  /** `waiting-slot`: when the run continues (a job queued for then resumes it). */
  resumeAt?: string;
  /** `skipped`: why the job had nothing to do (its run was continued elsewhere). */
  reason?: string;
  error?: { code: string; message: string };
  durationMs: number;
}
