/**
 * `ctx.effect`: an external act (upload, post, email, POST) recorded before and after it
 * runs, so a key already done is never repeated and a crash mid-act is reconciled, not guessed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMpv2Error, mpv2Error } from '../errors.js';
import { parseDuration } from '../infra/duration.js';
import { hashValue } from '../infra/hash.js';
import { holdsPlaceholder, type Redactor } from '../infra/redact.js';
import type { EffectStore } from '../infra/store/types.js';
import type { EffectOptions, StepLogger } from '../plugin/types.js';

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
    const prev = await scope.store.get(k);
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
    const claimed = await scope.store.claim({ key: k, runId: scope.runId, stepId: scope.stepId, plugin: scope.plugin }, { takeOver });
    if (!claimed) {
      throw mpv2Error('E_EFFECT_IN_DOUBT', `another run is performing this effect right now (${k})`, { retryable: true, retryAfterMs: 5000 });
    }
    let result: T;
    try {
      result = await act();
    } catch (e) {
      // interrupted mid-act (Ctrl-C, SIGTERM, timeout): it may or may not have happened, so the
      // record stays pending and the next run reconciles, exactly as after a crash
      if (scope.signal?.aborted || (isMpv2Error(e) && e.code === 'E_ABORTED')) throw e;
      const err = isMpv2Error(e) ? { code: e.code, message: scope.redactor.redact(e.message) } : { code: 'E_PLUGIN_FAILED', message: scope.redactor.redact(String(e)) };
      await scope.store.fail(k, err);
      throw e;
    }
    await scope.store.complete(k, scope.redactor.redactDeep(result ?? null));
    return result;
  };
}
