/**
 * Runs tasks side by side under one abort signal: when one fails, the others are aborted (their
 * child processes killed) and the first failure is what the caller sees.
 */
export async function allOrNone<T extends readonly unknown[]>(
  parent: AbortSignal,
  start: (signal: AbortSignal) => { [K in keyof T]: Promise<T[K]> },
): Promise<T> {
  const local = new AbortController();
  const signal = AbortSignal.any([parent, local.signal]);
  const tasks = start(signal);
  try {
    return (await Promise.all(tasks)) as unknown as T;
  } catch (e) {
    local.abort();
    // wait for the others to stop, so nothing is still writing when the caller cleans up
    await Promise.allSettled(tasks);
    throw e;
  }
}
