/**
 * A pending effect record of another run that is still going is not "in doubt": that run is
 * acting right now. `ctx.effect` waits for it to settle and then uses its outcome (done: its
 * result; failed: act; its owner died with the record still pending: the usual in-doubt
 * path). Waiting rather than skipping keeps the step's outputs whole: a later step that needs
 * the post's id gets it. The wait is bounded; past the bound the step fails with
 * E_RUN_OWNED and nothing was done, so running it again later is safe.
 */
import { mpv2Error } from '../errors.js';
import { formatDuration } from '../infra/duration.js';
import type { EffectRecord, EffectStore } from '../infra/store/types.js';
import type { StepLogger } from '../plugin/types.js';
import { describeOwner } from './owner.js';
import { abortableSleep } from './retry.js';

/** How long an effect waits for another live run's act to settle. */
export const HOLDER_WAIT_MS = 15 * 60_000;
const FIRST_POLL_MS = 250;
const MAX_POLL_MS = 5_000;

export interface HolderWaitScope {
  store: EffectStore;
  runId: string;
  log: StepLogger;
  signal?: AbortSignal;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  holderWaitMs?: number;
}

/**
 * Returns the record once no live run holds it pending (the record as it then is, or
 * undefined when it was removed). A record of this very run, or a store that cannot tell
 * owners, comes back at once.
 */
export async function waitForLiveHolder(scope: HolderWaitScope, key: string, rec: EffectRecord): Promise<EffectRecord | undefined> {
  if (rec.status !== 'pending' || rec.runId === scope.runId || !scope.store.liveOwner) return rec;
  let holder = await scope.store.liveOwner(rec.runId);
  if (!holder) return rec;
  const now = scope.now ?? Date.now;
  const sleep = scope.sleep ?? abortableSleep;
  const bound = scope.holderWaitMs ?? HOLDER_WAIT_MS;
  const t0 = now();
  scope.log.info(`another live run (${rec.runId}, ${describeOwner(holder)}) is performing this effect; waiting for it to settle (${key})`);
  let cur: EffectRecord | undefined = rec;
  for (let delay = FIRST_POLL_MS; ; delay = Math.min(delay * 2, MAX_POLL_MS)) {
    if (now() - t0 >= bound) {
      throw mpv2Error('E_RUN_OWNED', `another live run (${cur.runId}, ${describeOwner(holder)}) has been performing this effect for more than ${formatDuration(bound)}; not acting (${key})`, {
        hint: `run this again once run ${cur.runId} has finished (\`mpv2 runs show ${cur.runId}\`)`,
        details: { key, runId: cur.runId, owner: { pid: holder.pid, host: holder.host, since: holder.since } },
      });
    }
    await sleep(Math.min(delay, bound - (now() - t0)), scope.signal);
    cur = await scope.store.get(key);
    if (cur?.status !== 'pending' || cur.runId === scope.runId) return cur;
    const next = await scope.store.liveOwner(cur.runId);
    if (!next) {
      scope.log.info(`run ${cur.runId} stopped without recording the outcome of this effect (${key})`);
      return cur;
    }
    holder = next;
  }
}
