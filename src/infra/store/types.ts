/**
 * The state interfaces the engine works against. SQLite implements them on one machine;
 * the scale-out issue puts them on Redis. Keep them small and async.
 */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';
export type StepStatus = 'running' | 'succeeded' | 'failed' | 'skipped' | 'interrupted';

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
  error?: { code: string; pluginCode?: string; message: string };
  skipReason?: string;
  /** A step skipped because this upstream step failed or did not run: not a result, it runs again on resume. */
  blockedBy?: string;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
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
   * done (atomic, so two workers can never both act).
   */
  claim(rec: Omit<EffectRecord, 'status' | 'createdAt' | 'updatedAt'>, opts: { takeOver: boolean }): Promise<boolean>;
  complete(key: string, result: unknown): Promise<void>;
  fail(key: string, error: { code: string; message: string }): Promise<void>;
  list(opts?: { status?: EffectStatus; runId?: string }): Promise<EffectRecord[]>;
  remove(key: string): Promise<void>;
}

export interface KvStore {
  get<T = unknown>(namespace: string, key: string): Promise<T | undefined>;
  set(namespace: string, key: string, value: unknown): Promise<void>;
  delete(namespace: string, key: string): Promise<void>;
  list<T = unknown>(namespace: string, prefix: string): Promise<Array<{ key: string; value: T }>>;
}
