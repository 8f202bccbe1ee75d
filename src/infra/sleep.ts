import { mpv2Error } from '../errors.js';

/**
 * Waits `ms` milliseconds, calling `onTick(elapsedMs)` about every `tickMs`. Rejects with
 * E_ABORTED as soon as `signal` aborts, and clears its timer so nothing keeps the process
 * alive. Each tick is scheduled against the deadline, so ticks do not add up drift.
 */
export function abortableSleep(
  ms: number,
  signal: AbortSignal,
  onTick: (elapsedMs: number) => void = () => {},
  tickMs = 1000,
): Promise<number> {
  const started = Date.now();
  const deadline = started + ms;
  return new Promise<number>((resolve, reject) => {
    if (signal.aborted) {
      reject(aborted(signal, 0));
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      if (timer) clearTimeout(timer);
      reject(aborted(signal, Date.now() - started));
    };
    const step = (): void => {
      const now = Date.now();
      if (now >= deadline) {
        signal.removeEventListener('abort', onAbort);
        resolve(now - started);
        return;
      }
      if (now > started) onTick(now - started);
      timer = setTimeout(step, Math.min(tickMs, deadline - now));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    step();
  });
}

function aborted(signal: AbortSignal, elapsedMs: number): Error {
  return mpv2Error('E_ABORTED', `the wait was interrupted after ${elapsedMs}ms`, { cause: signal.reason });
}
