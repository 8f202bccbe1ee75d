/**
 * `ctx.effect`: an external act (upload, post, email, POST) recorded before and after it
 * runs, so a key already done is never repeated and a crash mid-act is reconciled, not guessed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMpv2Error, mpv2Error, toMpv2Error, type Mpv2Error } from '../errors.js';
import { parseDuration } from '../infra/duration.js';
import { hashValue } from '../infra/hash.js';
import { holdsPlaceholder, type Redactor } from '../infra/redact.js';
import type { EffectStore } from '../infra/store/types.js';
import type { EffectOptions, StepLogger } from '../plugin/types.js';
import { waitForLiveHolder } from './effect-holder.js';

export interface EffectScope {
  store: EffectStore;
  runId: string;
  stepId: string;
  plugin: string;
  workdir: string;
  dryRun: boolean;
  signal?: AbortSignal;
  log: StepLogger;
  redactor: Redactor;
  now?: () => number;
  /**
   * Present when the step has an explicit `retry:` (more than one try): the user says its acts
   * are safe to repeat. Holds the keys this step's earlier tries left in doubt, which a later
   * try may act on again.
   */
  repeatable?: Set<string>;
  /** Waits between looks at a record another live run holds (tests inject it). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** How long to wait for another live run's act to settle. @default 15 minutes */
  holderWaitMs?: number;
  /**
   * Present when the step needs approval (./approval-gate.ts): called when an act is due, it
   * returns once the step is approved and otherwise records the approval and stops the step.
   */
  approve?: (key: string, describe: unknown) => Promise<void>;
}

/** The result `mpv2 effects resolve --done` records. */
export const RESOLVED_BY_USER = { resolvedBy: 'user' } as const;

function settledByHand(result: unknown): boolean {
  return typeof result === 'object' && result !== null && (result as { resolvedBy?: unknown }).resolvedBy === 'user';
}

export function effectKey(plugin: string, key: string | unknown[]): string {
  return `${plugin}:${typeof key === 'string' ? key : hashValue(key)}`;
}

/**
 * A done act whose result held a secret: the record keeps it only redacted, and handing the
 * placeholder on as the result would send `[REDACTED]` where the value belongs.
 */
function resultNotKept(k: string, runId: string) {
  return mpv2Error('E_EFFECT_RESULT_NOT_KEPT', `this effect was done in run ${runId} and is not repeated, but its result held a secret, which mpv2 never stores, so the step cannot give its outputs back (${k})`, {
    hint: `\`mpv2 effects resolve '${k}' --done\` lets the step go on without the result; \`--retry\` acts again. Better: have the step return no secret`,
    details: { key: k },
  });
}

export function makeEffect(scope: EffectScope) {
  let dryCount = 0;
  const now = scope.now ?? Date.now;
  return async function effect<T>(key: string | unknown[], act: () => Promise<T>, opts: EffectOptions<T> = {}): Promise<T> {
    const k = effectKey(scope.plugin, key);
    if (scope.dryRun) {
      const dir = join(scope.workdir, 'dry-run');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `effect-${String(++dryCount).padStart(3, '0')}.json`);
      writeFileSync(file, `${JSON.stringify(scope.redactor.redactDeep({ key: k, plugin: scope.plugin, wouldDo: opts.describe ?? null }), null, 2)}\n`);
      scope.log.info(`dry run: would act (${k}); see ${file}`);
      return undefined as T;
    }
    // a pending record of another run that is still going: wait for its outcome (effect-holder.ts)
    const first = await scope.store.get(k);
    const prev = first && (await waitForLiveHolder(scope, k, first));
    let takeOver = false;
    if (prev?.status === 'done') {
      const windowMs = opts.window === undefined ? undefined : parseDuration(opts.window, 'window');
      if (windowMs === undefined || now() - Date.parse(prev.updatedAt) < windowMs) {
        if (!settledByHand(prev.result)) {
          if (holdsPlaceholder(prev.result)) throw resultNotKept(k, prev.runId);
          scope.log.info(`already done in run ${prev.runId}; not repeated (${k})`);
          return prev.result as T;
        }
        // `mpv2 effects resolve --done` records no result: ask the platform, else hand back nothing
        const found = opts.reconcile ? await opts.reconcile() : undefined;
        scope.log.info(`marked done by hand; not repeated (${k})`);
        return found as T;
      }
      takeOver = true;
    } else if (prev?.status === 'pending' && !opts.reconcile && scope.repeatable?.has(k)) {
      // this step's own earlier try left it in doubt, and the step's retry: says it is safe to repeat
      scope.log.info(`acting again after a try in doubt: the step's retry: says this act is safe to repeat (${k})`);
      takeOver = true;
    } else if (prev?.status === 'pending') {
      if (!opts.reconcile) {
        throw mpv2Error('E_EFFECT_IN_DOUBT', `an earlier attempt (run ${prev.runId}, step ${prev.stepId}) started this effect and did not record its outcome; it may or may not have happened (${k})`, {
          hint: `check the platform, then \`mpv2 effects resolve '${k}' --done\` (it happened) or \`--retry\` (act again)`,
          details: { key: k },
        });
      }
      const found = await opts.reconcile();
      if (found !== undefined) {
        await scope.store.complete(k, scope.redactor.redactDeep(found));
        scope.log.info(`reconciled: the platform shows the earlier attempt succeeded (${k})`);
        return found;
      }
      scope.log.info(`reconciled: the earlier attempt did not happen; acting again (${k})`);
      takeOver = true;
    }
    // only what the act needs but is not the act (see EffectOptions.ready): a kill here
    // leaves no record behind
    if (opts.ready) await opts.ready();
    // approve before publish: the act is due and nothing is recorded pending yet, so stopping
    // here for a decision leaves nothing in doubt
    if (scope.approve) await scope.approve(k, opts.describe);
    // a take-over replaces only the record this run judged: another run that took it over meanwhile wins
    const claimed = await scope.store.claim({ key: k, runId: scope.runId, stepId: scope.stepId, plugin: scope.plugin }, { takeOver, ...(takeOver && prev && { seen: prev }) });
    // another run claimed the key between our look and our claim: decide again from its record
    // (done: its result; pending: wait while it lives, in doubt once it died)
    if (!claimed) return effect(key, act, opts);
    let result: T;
    try {
      result = await act();
    } catch (e) {
      // only an error that proves nothing was done (nothing left the machine, or the other side
      // refused it) may record `failed`, which lets a later run act again
      if (isMpv2Error(e) && e.notDone === true) {
        await scope.store.fail(k, { code: e.code, message: scope.redactor.redact(e.message) });
        throw e;
      }
      // anything else may have reached the other side: the record stays pending, exactly as
      // after a crash, and the next run reconciles or reports it in doubt
      scope.repeatable?.add(k);
      // interrupted mid-act (Ctrl-C, SIGTERM, timeout): the engine reports the interruption
      if (scope.signal?.aborted || (isMpv2Error(e) && e.code === 'E_ABORTED')) throw e;
      throw leftInDoubt(k, e, scope.repeatable !== undefined);
    }
    await scope.store.complete(k, scope.redactor.redactDeep(result ?? null));
    return result;
  };
}

/**
 * The act failed in a way that does not prove it did nothing (a reset after the request was
 * sent, a timeout, a 5xx …). Retryable only when the step's `retry:` says the act is safe to
 * repeat; otherwise the next run reconciles or asks the user.
 */
function leftInDoubt(k: string, e: unknown, repeatable: boolean): Mpv2Error {
  const cause = toMpv2Error(e);
  return mpv2Error('E_EFFECT_IN_DOUBT', `${cause.message}; the act may have reached the other side, so it is left in doubt, not failed (${k})`, {
    hint: `the next run asks the platform where it can; otherwise check it, then \`mpv2 effects resolve '${k}' --done\` (it happened) or \`--retry\` (act again)`,
    cause: e,
    status: cause.status,
    retryable: repeatable && cause.retryable,
    retryAfterMs: cause.retryAfterMs,
    details: { key: k, cause: cause.code },
  });
}
