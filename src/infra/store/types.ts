import type { ApprovalRecord, ApprovalStatus } from './approval-schema.js';

/**
 * The state interfaces the engine works against. SQLite implements them on one machine;
 * the scale-out issue puts them on Redis. Keep them small and async.
 */
/**
 * `waiting-approval`: an effect step waits for a person's decision (src/engine/approvals.ts);
 * `waiting-slot`: a step on a worker waits for its posting time (`resumeAt`), and a queued job
 * continues the run then (src/engine/time-wait.ts). Either way the run holds no worker.
 */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted' | 'waiting-approval' | 'waiting-slot';
export type StepStatus = 'running' | 'succeeded' | 'failed' | 'skipped' | 'interrupted' | 'waiting-approval' | 'waiting-slot';

export interface RunRecord {
  id: string;
  pipeline: string;
  pipelineHash: string;
  name: string;
  status: RunStatus;
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  error?: { code: string; pluginCode?: string; message: string };
  startedAt: string;
  finishedAt?: string;
  /** The run this one took upstream outputs from (`run --from`). */
  parentRunId?: string;
  /** A run `waiting-slot` continues at this time (ISO); an `updateRun` patch that names it with no value clears it. */
  resumeAt?: string;
}

export interface StepRecord {
  runId: string;
  stepId: string;
  /** -1 for the step as a whole; the item index inside `foreach`. */
  index: number;
  status: StepStatus;
  plugin: string;
  attempts: number;
  cached: boolean;
  outputs?: unknown;
  /**
   * The outputs held a secret and are journaled with `[REDACTED]` in its place: they cannot
   * be handed on, so resume and `run --from` run the step again instead of reusing them.
   */
  redacted?: boolean;
  error?: { code: string; pluginCode?: string; message: string };
  skipReason?: string;
  /** A step skipped because this upstream step failed or did not run: not a result, it runs again on resume. */
  blockedBy?: string;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
}

/**
 * The process that owns a run: only it runs the run's steps. `host` + `pid` + `start` (the
 * process start time, so a recycled pid is not mistaken for the owner) decide on the owner's
 * own host; the lease (`expiresAt`, renewed by the owner every third of `leaseMs`) decides
 * anywhere else. See src/engine/owner.ts.
 */
export interface RunOwner {
  host: string;
  pid: number;
  /** Start time of the process (Linux: /proc/<pid>/stat field 22, clock ticks since boot). */
  start?: string;
  /** When this process took the run (ISO). */
  since: string;
  /** End of the lease (ISO); the owner renews it while it runs. */
  expiresAt: string;
  leaseMs: number;
  /** Tells this owner from an earlier one of the same process (renew and release check it). */
  token: string;
}

export interface JournalStore {
  createRun(run: RunRecord): Promise<void>;
  updateRun(id: string, patch: Partial<Omit<RunRecord, 'id'>>): Promise<void>;
  getRun(id: string): Promise<RunRecord | undefined>;
  listRuns(opts?: { limit?: number; pipeline?: string }): Promise<RunRecord[]>;
  latestSucceededRun(pipeline: string): Promise<RunRecord | undefined>;
  putStep(step: StepRecord): Promise<void>;
  getSteps(runId: string): Promise<StepRecord[]>;
  deleteRun(id: string): Promise<void>;
  /**
   * Makes `owner` the owner of run `id` unless its current owner is live (`isLive`); atomic,
   * so of two processes taking over a dead owner's run exactly one wins. Returns the live
   * holder when refused, undefined when `owner` now owns the run.
   */
  claimRun(id: string, owner: RunOwner, isLive: (current: RunOwner) => boolean): Promise<RunOwner | undefined>;
  /** Extends the lease (`owner.expiresAt`); false when `owner` no longer owns the run. */
  renewRun(id: string, owner: RunOwner): Promise<boolean>;
  /** Gives the run up, if `token` still owns it. */
  releaseRun(id: string, token: string): Promise<void>;
  ownerOf(id: string): Promise<RunOwner | undefined>;
}

export type EffectStatus = 'pending' | 'done' | 'failed';

export interface EffectRecord {
  key: string;
  status: EffectStatus;
  runId: string;
  stepId: string;
  plugin: string;
  result?: unknown;
  error?: { code: string; pluginCode?: string; message: string };
  createdAt: string;
  updatedAt: string;
}

export interface EffectStore {
  get(key: string): Promise<EffectRecord | undefined>;
  /**
   * Claims `key` as pending. Returns false when another holder already has it pending or
   * done (atomic, so two workers can never both act). `takeOver` replaces a pending or done
   * record, but only the one the caller `seen` when given: of two runs taking over the same
   * record, one wins.
   */
  claim(rec: Omit<EffectRecord, 'status' | 'createdAt' | 'updatedAt'>, opts: { takeOver: boolean; seen?: Pick<EffectRecord, 'status' | 'runId' | 'updatedAt'> }): Promise<boolean>;
  complete(key: string, result: unknown): Promise<void>;
  fail(key: string, error: { code: string; message: string }): Promise<void>;
  list(opts?: { status?: EffectStatus; runId?: string }): Promise<EffectRecord[]>;
  remove(key: string): Promise<void>;
  /**
   * The live process that owns run `runId`, when the store can tell (the engine adds this from
   * the journal's run ownership, src/engine/owner.ts): a pending record of a live run is being
   * acted on right now, not in doubt.
   */
  liveOwner?(runId: string): Promise<RunOwner | undefined>;
}

export interface KvStore {
  get<T = unknown>(namespace: string, key: string): Promise<T | undefined>;
  set(namespace: string, key: string, value: unknown): Promise<void>;
  delete(namespace: string, key: string): Promise<void>;
  list<T = unknown>(namespace: string, prefix: string): Promise<Array<{ key: string; value: T }>>;
  /** Sets the key only if it is unset, atomically; true when this call set it. */
  add(namespace: string, key: string, value: unknown): Promise<boolean>;
  /** Adds `by` to the integer at the key (0 when unset), atomically; the new value. */
  increment(namespace: string, key: string, by: number): Promise<number>;
}

/** One namespace of a KvStore, as plugins (`ctx.store`), commands and the accounts see it. */
export function namespaceKv(kv: KvStore, ns: string): import('../../plugin/types.js').KeyValueStore {
  return {
    get: (k) => kv.get(ns, k),
    set: (k, v) => kv.set(ns, k, v),
    delete: (k) => kv.delete(ns, k),
    list: (p) => kv.list(ns, p),
    add: (k, v) => kv.add(ns, k, v),
    increment: (k, by = 1) => kv.increment(ns, k, by),
  };
}

export type { ApprovalPreview, ApprovalRecord, ApprovalStatus } from './approval-schema.js';

export interface ApprovalStore {
  /** Records `rec` pending unless its id is already recorded; returns the record that holds (atomic). */
  request(rec: Omit<ApprovalRecord, 'status' | 'decidedAt' | 'note'>): Promise<ApprovalRecord>;
  get(id: string): Promise<ApprovalRecord | undefined>;
  /** Newest first. */
  list(opts?: { status?: ApprovalStatus; runId?: string }): Promise<ApprovalRecord[]>;
  /**
   * Decides a pending approval, atomically: of two deciders exactly one changes it. Returns
   * `decided: true` with the new record, or `decided: false` with the record as it is (already
   * decided), or no record when there is none with that id.
   */
  decide(id: string, d: { status: 'approved' | 'rejected'; note?: string; decidedAt: string }): Promise<{ decided: boolean; record?: ApprovalRecord }>;
  /** Forgets the approvals of a run that is deleted (`mpv2 runs prune`). */
  removeForRun(runId: string): Promise<void>;
}
