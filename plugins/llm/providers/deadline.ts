/**
 * One signal for one provider request: aborted by the step's signal (Ctrl-C, step timeout)
 * or by the provider's own timeout, and able to say which of the two it was.
 */
export interface Deadline {
  signal: AbortSignal;
  timedOut(): boolean;
  dispose(): void;
}

export function deadline(parent: AbortSignal, ms: number): Deadline {
  const ac = new AbortController();
  let fired = false;
  const onAbort = () => ac.abort(parent.reason);
  if (parent.aborted) ac.abort(parent.reason);
  else parent.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => { fired = true; ac.abort(new Error(`timed out after ${ms} ms`)); }, ms);
  timer.unref?.();
  return {
    signal: ac.signal,
    timedOut: () => fired,
    dispose() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}
