/** `mpv2 effects list|resolve`: the record of external effects, and settling one by hand. */
import { mpv2Error } from '../../errors.js';
import { holdsPlaceholder } from '../../infra/redact.js';
import type { EffectAdmin, JournalReader } from '../../infra/store/merged.js';
import type { EffectRecord, EffectStatus } from '../../infra/store/types.js';
import { RESOLVED_BY_USER } from '../effects.js';
import { describeOwner, liveOwnerOf } from '../owner.js';

export const EFFECT_STATUSES: readonly EffectStatus[] = ['pending', 'done', 'failed'];

export async function listEffects(state: { effects: EffectAdmin }, opts: { status?: EffectStatus; runId?: string } = {}): Promise<EffectRecord[]> {
  return state.effects.list(opts);
}

export type Resolution = 'done' | 'retry';

export interface ResolveResult {
  key: string;
  /** What the record was before. */
  was: EffectStatus;
  /** `done`: recorded as done; `removed`: the next run acts again. */
  now: 'done' | 'removed';
}

/**
 * `done`: the user checked the platform and the act happened; record it (result
 * `{ resolvedBy: 'user' }`) so no run repeats it. `retry`: it did not happen; forget the
 * record so the next run (or `mpv2 resume`) acts again.
 */
export async function resolveEffect(state: { effects: EffectAdmin; journal: JournalReader }, key: string, how: Resolution): Promise<ResolveResult> {
  const rec = await state.effects.get(key);
  if (!rec) {
    const all = await listEffects(state, {});
    const near = all.filter((e) => e.key.startsWith(key) || e.key.includes(key)).map((e) => e.key);
    throw mpv2Error('E_NOT_FOUND', `no effect with key ${key}${near.length === 1 ? ` (did you mean ${near[0]}?)` : ''}`, {
      hint: '`mpv2 effects list` shows the recorded effects and their keys; quote the key in the shell',
    });
  }
  // pending in a run that is still going: it is being acted on right now, not in doubt; settling
  // it by hand would let that run's outcome land on nothing (and --retry act a second time)
  const holder = rec.status === 'pending' ? await liveOwnerOf(state.journal, rec.runId) : undefined;
  if (holder) {
    throw mpv2Error('E_RUN_OWNED', `effect ${key} is being performed right now by run ${rec.runId} (${describeOwner(holder)}); it is not in doubt`, {
      hint: `wait for run ${rec.runId} to finish (\`mpv2 runs show ${rec.runId}\`); it records the outcome itself`,
    });
  }
  if (how === 'done') {
    // an effect already done keeps its recorded result (an upload's URL, a post id), unless
    // the result held a secret and was kept only redacted: that one is of no use to a run
    if (rec.status !== 'done' || holdsPlaceholder(rec.result)) await state.effects.complete(key, RESOLVED_BY_USER);
    return { key, was: rec.status, now: 'done' };
  }
  await state.effects.remove(key);
  return { key, was: rec.status, now: 'removed' };
}
