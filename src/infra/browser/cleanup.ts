/**
 * Last-resort cleanup of open browsers when the process ends: on `exit` (normal end,
 * `process.exit`, an uncaught error) and on SIGINT/SIGTERM. Everything here is synchronous,
 * because an `exit` handler cannot wait: it kills the profile's processes by pid and frees
 * the lock. Sessions closed normally unregister themselves first.
 */

type Killer = () => void;

const live = new Set<Killer>();
let exitHooked = false;
let signalsHooked = false;

function killAll(): void {
  for (const k of [...live]) {
    live.delete(k);
    try { k(); } catch { /* keep going: the others must die too */ }
  }
}

function onSignal(sig: NodeJS.Signals): void {
  signalsHooked = false;
  process.removeListener('SIGINT', onSigint);
  process.removeListener('SIGTERM', onSigterm);
  killAll();
  // with nobody else listening, do what Node would have done: die of the signal
  if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
}
const onSigint = () => onSignal('SIGINT');
const onSigterm = () => onSignal('SIGTERM');

/** Registers a synchronous killer; returns the function that unregisters it. */
export function registerCleanup(kill: Killer): () => void {
  live.add(kill);
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', killAll);
  }
  if (!signalsHooked) {
    signalsHooked = true;
    process.once('SIGINT', onSigint);
    process.once('SIGTERM', onSigterm);
  }
  return () => {
    live.delete(kill);
    if (live.size === 0 && signalsHooked) {
      // no browser open: leave Ctrl-C to its usual owner
      signalsHooked = false;
      process.removeListener('SIGINT', onSigint);
      process.removeListener('SIGTERM', onSigterm);
    }
  };
}

/** How many browsers are registered (tests). */
export function liveCount(): number {
  return live.size;
}
