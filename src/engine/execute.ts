/**
 * The runner: walks the step graph, runs ready steps in parallel up to the concurrency,
 * evaluates expressions, checks inputs, consults the cache, retries, journals every step as
 * it finishes and reports everything as events.
 */
import { mpv2Error, toMpv2Error, type Mpv2Error } from '../errors.js';
import { holdsPlaceholder } from '../infra/redact.js';
import type { StepRecord } from '../infra/store/types.js';
import { fromSystemError } from '../infra/system-errors.js';
import type { StepLogger } from '../plugin/types.js';
import { AwaitingApproval } from './approval-gate.js';
import { WaitsUntil } from './time-wait.js';
import { SkipStep } from './context.js';
import { evaluate, isTruthy, type Scope } from './expr/index.js';
import { runInstance, type InstanceEnv } from './instance.js';
import type { ResolvedStep } from './pipeline.js';
import { ReadyQueue } from './ready-queue.js';

export type StepOutcome =
  /** `errors`: for a `foreach` step, aligned with its outputs: why each item failed (continueOnError), null for the others. */
  | { status: 'succeeded'; outputs: unknown; errors?: Array<ItemError | null> }
  | { status: 'skipped'; reason: string; /** Set when the step did not run because this upstream step failed or did not run. */ blockedBy?: string }
  | { status: 'failed'; error: Mpv2Error; blocking: boolean }
  /** Stopped before acting until a person decides (approval ids: one, or one per waiting `foreach` item). */
  | { status: 'waiting-approval'; approvals: string[] }
  /** Stopped before acting until its posting time on a worker (./time-wait.ts): the earliest of its items' times. */
  | { status: 'waiting-slot'; until: string };

/** Why a `foreach` item failed, as expressions read it (`steps.<id>.errors[i]`); the message is redacted. */
export interface ItemError {
  code: string;
  pluginCode?: string;
  message: string;
}

export interface RunResult {
  status: 'succeeded' | 'failed' | 'interrupted' | 'waiting-approval' | 'waiting-slot';
  /** `waiting-slot`: when the run continues (the earliest time a step waits for). */
  resumeAt?: string;
  outputs?: Record<string, unknown>;
  error?: Mpv2Error;
  steps: Map<string, StepOutcome>;
}

export interface ExecuteOptions extends InstanceEnv {
  concurrency: number;
  inputs: Record<string, unknown>;
  scopeBase: Omit<Scope, 'steps' | 'inputs' | 'item' | 'index'>;
  /** Finished steps to reuse (resume, run --from), by step id. */
  reuse?: Map<string, StepRecord[]>;
  log: StepLogger;
}

export async function executeRun(o: ExecuteOptions): Promise<RunResult> {
  const { pipeline } = o;
  const results = new Map<string, StepOutcome>();
  const running = new Set<string>();
  const scopeSteps: Record<string, { outputs?: unknown; status?: string; errors?: unknown }> = {};
  const scope = (): Scope => ({ ...o.scopeBase, inputs: o.inputs, steps: scopeSteps });
  const ready = new ReadyQueue(pipeline.order, (id) => pipeline.stepById.get(id)!.deps);
  // a step that settles wakes the loop; `settledSinceWait` covers one that settled while the loop was busy
  let wake: (() => void) | undefined;
  let settledSinceWait = false;

  const finish = (step: ResolvedStep, outcome: StepOutcome) => {
    results.set(step.id, outcome);
    scopeSteps[step.id] = { outputs: outcome.status === 'succeeded' ? outcome.outputs : null, status: outcome.status, errors: (outcome.status === 'succeeded' && outcome.errors) || null };
    ready.settled(step.id);
  };

  // set when the journal cannot be written (a full disk): no further step starts, since
  // nothing it did could be recorded
  let halted: Mpv2Error | undefined;
  for (;;) {
    while (!o.signal.aborted && !halted && running.size < o.concurrency && ready.size > 0) {
      const id = ready.take()!;
      const step = pipeline.stepById.get(id)!;
      const blocker = step.deps.find((d) => { const r = results.get(d)!; return (r.status === 'failed' && r.blocking) || (r.status === 'skipped' && r.blockedBy !== undefined) || r.status === 'waiting-approval' || r.status === 'waiting-slot'; });
      if (blocker) {
        const held = results.get(blocker)!.status;
        const reason = `not run: step "${blocker}" ${held === 'failed' ? 'failed' : held === 'waiting-approval' ? 'waits for approval' : held === 'waiting-slot' ? 'waits for its posting time' : 'was not run'}`;
        await journal(o, step, -1, { status: 'skipped', skipReason: reason, blockedBy: blocker });
        o.emit({ event: 'step.skipped', stepId: id, reason });
        finish(step, { status: 'skipped', reason, blockedBy: blocker });
        continue;
      }
      running.add(id);
      runStep(o, step, scope()).then((outcome) => finish(step, outcome), (e: unknown) => {
        halted ??= fromSystemError(e, o.runsDir) ?? toMpv2Error(e, 'E_INTERNAL');
        finish(step, { status: 'failed', error: halted, blocking: true });
      }).finally(() => {
        running.delete(id);
        settledSinceWait = true;
        wake?.();
      });
    }
    if (running.size === 0) break;
    if (!settledSinceWait) await new Promise<void>((resolve) => { wake = resolve; });
    settledSinceWait = false;
    wake = undefined;
  }

  const failed = [...results.entries()].find(([, r]) => r.status === 'failed' && r.blocking);
  if (halted) return { status: 'failed', steps: results, error: halted };
  if (o.signal.aborted) return { status: 'interrupted', steps: results, error: mpv2Error('E_ABORTED', 'the run was interrupted') };
  if (failed) return { status: 'failed', steps: results, error: (failed[1] as { error: Mpv2Error }).error };
  // the rest of the run is done; the steps that wait hold no worker: a queued job continues the
  // run at the earliest time one waits for (approvals still open then stop it again), a
  // decision continues one that only waits for approvals
  const times = [...results.values()].flatMap((r) => (r.status === 'waiting-slot' ? [r.until] : [])).sort();
  if (times.length > 0) return { status: 'waiting-slot', resumeAt: times[0], steps: results };
  if ([...results.values()].some((r) => r.status === 'waiting-approval')) return { status: 'waiting-approval', steps: results };
  if (!pipeline.outputs) return { status: 'succeeded', steps: results, outputs: {} };
  try {
    return { status: 'succeeded', steps: results, outputs: evaluate(pipeline.outputs, scope()) as Record<string, unknown> };
  } catch (e) {
    const err = toMpv2Error(e, 'E_EXPR_EVAL');
    err.loc ??= pipeline.locate(['outputs']);
    return { status: 'failed', steps: results, error: err };
  }
}

async function journal(o: ExecuteOptions, step: ResolvedStep, index: number, rec: Partial<StepRecord>): Promise<void> {
  const now = new Date().toISOString();
  await o.journal.putStep({
    runId: o.runId, stepId: step.id, index, plugin: step.plugin.def.id, status: 'running', attempts: 0, cached: false,
    startedAt: now, ...rec,
    ...(rec.outputs !== undefined && { outputs: o.redactor.redactDeep(rec.outputs), redacted: o.redactor.holdsSecret(rec.outputs) }),
    ...(rec.status && rec.status !== 'running' && { finishedAt: now }),
  });
}

/**
 * A journaled result can stand for the step only if its outputs were journaled as they were:
 * outputs that held a secret carry `[REDACTED]` in its place (older journals have no flag, only
 * the placeholder), and are computed again rather than handed on.
 */
function reusable(r: StepRecord): boolean {
  return !r.redacted && !holdsPlaceholder(r.outputs);
}

async function runStep(o: ExecuteOptions, step: ResolvedStep, scope: Scope): Promise<StepOutcome> {
  const t0 = performance.now();
  const reused = o.reuse?.get(step.id) ?? [];
  const whole = reused.find((r) => r.index === -1);
  if (whole?.status === 'succeeded' && !reusable(whole)) o.stepLog(step.id).info('the journaled outputs held a secret (kept only redacted): running the step again');
  // a step skipped because an upstream step failed is not a result: it runs again on resume
  if (whole && reusable(whole) && (whole.status === 'succeeded' || (whole.status === 'skipped' && whole.blockedBy === undefined))) {
    await o.journal.putStep({ ...whole, runId: o.runId });
    if (whole.status === 'skipped') {
      o.emit({ event: 'step.skipped', stepId: step.id, reason: whole.skipReason ?? 'skipped' });
      return { status: 'skipped', reason: whole.skipReason ?? 'skipped' };
    }
    o.emit({ event: 'step.finished', stepId: step.id, cached: whole.cached, reused: true, durationMs: 0, outputs: o.redactor.redactDeep(whole.outputs) });
    return { status: 'succeeded', outputs: whole.outputs, ...(step.foreach !== undefined && Array.isArray(whole.outputs) && { errors: journaledErrors(whole.outputs.length, reused) }) };
  }
  const fail = async (e: unknown): Promise<StepOutcome> => {
    const err = fromSystemError(e, o.runsDir) ?? toMpv2Error(e, 'E_PLUGIN_FAILED');
    err.step ??= step.id;
    err.plugin ??= step.plugin.def.id;
    err.message = o.redactor.redact(err.message);
    const error = { code: err.code, ...(err.pluginCode && { pluginCode: err.pluginCode }), message: err.message, ...(err.hint && { hint: err.hint }) };
    await journal(o, step, -1, { status: o.signal.aborted ? 'interrupted' : 'failed', error, durationMs: performance.now() - t0 });
    o.emit({ event: 'step.failed', stepId: step.id, error });
    return { status: 'failed', error: err, blocking: !step.continueOnError || o.signal.aborted };
  };
  const waitForApproval = async (approvals: string[]): Promise<StepOutcome> => {
    await journal(o, step, -1, { status: 'waiting-approval', durationMs: performance.now() - t0 });
    return { status: 'waiting-approval', approvals };
  };
  const waitForTime = async (until: string): Promise<StepOutcome> => {
    await journal(o, step, -1, { status: 'waiting-slot', durationMs: performance.now() - t0 });
    return { status: 'waiting-slot', until };
  };
  const skip = async (reason: string): Promise<StepOutcome> => {
    await journal(o, step, -1, { status: 'skipped', skipReason: reason });
    o.emit({ event: 'step.skipped', stepId: step.id, reason });
    return { status: 'skipped', reason };
  };
  try {
    if (step.if !== undefined && !isTruthy(evalAt(step, step.if, scope, 'if'))) return await skip('`if` condition is false');
    if (step.foreach === undefined) {
      o.emit({ event: 'step.started', stepId: step.id, plugin: step.plugin.def.id });
      await journal(o, step, -1, { status: 'running' });
      const r = await runInstance(o, step, scope, undefined);
      await journal(o, step, -1, { status: 'succeeded', outputs: r.outputs, cached: r.cached, attempts: r.attempts, durationMs: performance.now() - t0 });
      o.emit({ event: 'step.finished', stepId: step.id, cached: r.cached, durationMs: Math.round(performance.now() - t0), outputs: o.redactor.redactDeep(r.outputs) });
      return { status: 'succeeded', outputs: r.outputs };
    }
    const list = evalAt(step, step.foreach, scope, 'foreach');
    if (!Array.isArray(list)) {
      throw mpv2Error('E_EXPR_EVAL', `\`foreach\` of step "${step.id}" must be a list, got ${list === null ? 'null' : typeof list}`, { loc: step.loc, hint: 'point foreach at a list, e.g. `${{ steps.x.outputs.items }}`' });
    }
    o.emit({ event: 'step.started', stepId: step.id, plugin: step.plugin.def.id, items: list.length });
    await journal(o, step, -1, { status: 'running' });
    const { outputs, errors } = await runItems(o, step, scope, list, reused);
    await journal(o, step, -1, { status: 'succeeded', outputs, durationMs: performance.now() - t0 });
    o.emit({ event: 'step.finished', stepId: step.id, cached: false, durationMs: Math.round(performance.now() - t0), outputs: o.redactor.redactDeep(outputs) });
    return { status: 'succeeded', outputs, errors };
  } catch (e) {
    if (e instanceof SkipStep) return skip(e.reason);
    if (e instanceof AwaitingApproval) {
      emitWaiting(o, step.id, undefined, e);
      return waitForApproval([e.approval.id]);
    }
    if (e instanceof WaitsUntil) {
      o.emit({ event: 'step.waiting-slot', stepId: step.id, at: e.at, reason: e.reason });
      return waitForTime(e.at);
    }
    if (e instanceof ItemsWait) return e.until ? waitForTime(e.until) : waitForApproval(e.approvals);
    return fail(e);
  }
}

function evalAt(step: ResolvedStep, c: Parameters<typeof evaluate>[0], scope: Scope, field: string): unknown {
  try {
    return evaluate(c, scope);
  } catch (e) {
    const err = toMpv2Error(e, 'E_EXPR_EVAL');
    err.message = `step "${step.id}" ${field}: ${err.message}`;
    err.loc ??= step.loc;
    throw err;
  }
}

/**
 * Items run with the step's own concurrency; outputs keep input order; a failed item is null
 * under continueOnError, and its error (redacted) is at the same index of `errors`.
 */
async function runItems(o: ExecuteOptions, step: ResolvedStep, scope: Scope, list: unknown[], reused: StepRecord[]): Promise<{ outputs: unknown[]; errors: Array<ItemError | null> }> {
  const outputs: unknown[] = new Array(list.length).fill(null);
  const errors: Array<ItemError | null> = new Array(list.length).fill(null);
  const width = Math.max(1, step.concurrency ?? o.concurrency);
  let next = 0;
  let firstError: unknown;
  const waiting: string[] = [];
  const times: string[] = [];
  const doneItems = new Map(reused.filter((r) => r.index >= 0 && r.status === 'succeeded' && reusable(r)).map((r) => [r.index, r]));
  const worker = async () => {
    while (next < list.length && firstError === undefined && !o.signal.aborted) {
      const i = next++;
      const done = doneItems.get(i);
      if (done) { outputs[i] = done.outputs; await o.journal.putStep({ ...done, runId: o.runId }); continue; }
      const t0 = performance.now();
      const itemScope: Scope = { ...scope, item: list[i], index: i, ...(step.as && { aliases: { [step.as]: list[i] } }) };
      o.emit({ event: 'step.started', stepId: step.id, index: i, plugin: step.plugin.def.id });
      await journal(o, step, i, { status: 'running' });
      try {
        const r = await runInstance(o, step, itemScope, i);
        outputs[i] = r.outputs;
        await journal(o, step, i, { status: 'succeeded', outputs: r.outputs, cached: r.cached, attempts: r.attempts, durationMs: performance.now() - t0 });
        o.emit({ event: 'step.finished', stepId: step.id, index: i, cached: r.cached, durationMs: Math.round(performance.now() - t0), outputs: o.redactor.redactDeep(r.outputs) });
      } catch (e) {
        if (e instanceof SkipStep) {
          await journal(o, step, i, { status: 'skipped', skipReason: e.reason });
          o.emit({ event: 'step.skipped', stepId: step.id, index: i, reason: e.reason });
          continue;
        }
        if (e instanceof AwaitingApproval) {
          await journal(o, step, i, { status: 'waiting-approval' });
          emitWaiting(o, step.id, i, e);
          waiting.push(e.approval.id);
          continue;
        }
        if (e instanceof WaitsUntil) {
          await journal(o, step, i, { status: 'waiting-slot' });
          o.emit({ event: 'step.waiting-slot', stepId: step.id, index: i, at: e.at, reason: e.reason });
          times.push(e.at);
          continue;
        }
        const err = fromSystemError(e, o.runsDir) ?? toMpv2Error(e, 'E_PLUGIN_FAILED');
        err.message = o.redactor.redact(err.message);
        errors[i] = { code: err.code, ...(err.pluginCode && { pluginCode: err.pluginCode }), message: err.message };
        const error = { code: err.code, ...(err.pluginCode && { pluginCode: err.pluginCode }), message: `item ${i}: ${err.message}` };
        await journal(o, step, i, { status: o.signal.aborted ? 'interrupted' : 'failed', error });
        o.emit({ event: 'step.failed', stepId: step.id, index: i, error });
        if (!step.continueOnError || o.signal.aborted) {
          err.message = `item ${i} of ${list.length}: ${err.message}`;
          firstError ??= err;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, list.length) }, worker));
  if (firstError !== undefined) throw firstError;
  if (o.signal.aborted) throw mpv2Error('E_ABORTED', `step "${step.id}" was interrupted`);
  // the other items are done and journaled; the step as a whole waits for the open decisions
  // and the posting times (the earliest continues it)
  if (waiting.length > 0 || times.length > 0) throw new ItemsWait(waiting, times.sort()[0]);
  return { outputs, errors };
}

/** The item errors of a `foreach` step reused from the journal, from its items' records (journaled redacted). */
function journaledErrors(length: number, reused: StepRecord[]): Array<ItemError | null> {
  const errors: Array<ItemError | null> = new Array(length).fill(null);
  for (const r of reused) {
    if (r.index < 0 || r.index >= length || r.status !== 'failed' || !r.error) continue;
    const { code, pluginCode, message } = r.error;
    errors[r.index] = { code, ...(pluginCode && { pluginCode }), message: message.replace(/^item \d+: /, '') };
  }
  return errors;
}

/** Some `foreach` items of a step wait for approval or a posting time (each journaled and announced on its own). */
class ItemsWait extends Error {
  constructor(readonly approvals: string[], readonly until: string | undefined) {
    super(`${approvals.length} item(s) wait for approval${until ? `, some until ${until}` : ''}`);
  }
}

function emitWaiting(o: ExecuteOptions, stepId: string, index: number | undefined, e: AwaitingApproval): void {
  const a = e.approval;
  o.emit({ event: 'step.waiting-approval', stepId, ...(index !== undefined && { index }), approvalId: a.id, plugin: a.plugin, preview: a.preview });
}

