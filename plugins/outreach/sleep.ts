/** Pacing and retry waits of outreach: end as soon as the step is interrupted. */
import { setTimeout as delay } from 'node:timers/promises';
import { mpv2Error } from 'mpv2/plugin';

/** Waits `ms`; fails E_ABORTED the moment `signal` aborts (timeout, Ctrl-C), leaving no timer behind. */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (e) {
    if (signal.aborted) throw mpv2Error('E_ABORTED', `the wait was interrupted`, { cause: signal.reason });
    throw e;
  }
}
