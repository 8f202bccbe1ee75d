/**
 * How a worker spends its grace period after SIGTERM / Ctrl-C, so that it is gone when the
 * grace ends whatever its runs or its Redis do: running runs may finish until the last
 * fifth of the grace (at most its last 5 s); then their steps are aborted, and that last part
 * is kept for the aborted runs to journal themselves `interrupted` and for the connections
 * to close. What has not settled by the end is abandoned as a crash would leave it (the next
 * worker takes it over).
 */
export interface GraceSplit {
  /** Runs may finish on their own this long. */
  finishMs: number;
  /** Then this long to record the aborted runs and close. */
  closeMs: number;
}

export function splitGrace(graceMs: number): GraceSplit {
  const closeMs = Math.min(5000, Math.floor(graceMs / 5));
  return { finishMs: graceMs - closeMs, closeMs };
}

/** True when `p` settles within `ms` of `sleep`, false when the time ran out first. */
export async function within(p: Promise<unknown>, ms: number, sleep: (ms: number, signal: AbortSignal) => Promise<void>): Promise<boolean> {
  const timer = new AbortController();
  try {
    return await Promise.race([p.then(() => true, () => true), sleep(ms, timer.signal).then(() => false, () => false)]);
  } finally {
    timer.abort();
  }
}
