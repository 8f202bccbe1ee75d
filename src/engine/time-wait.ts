/**
 * A step that waits for a time (a posting slot, a `publishAt`) on a worker: rather than hold
 * the worker for hours, the wait ends the step `waiting-slot` and the run with it, recording
 * when it continues; the worker queues a job for that time, which resumes the run (the step
 * gets the same slot back: it is reserved for the act's effect key). Nothing of the act is
 * recorded yet — the wait happens in the effect's `ready` — so the pause leaves nothing in
 * doubt. Short waits are still slept in process: a job for 30 s is overhead.
 */

/** Thrown where the step stops until `at`; the runner journals the step `waiting-slot`. */
export class WaitsUntil extends Error {
  constructor(readonly at: string, readonly reason: string) {
    super(`waits until ${at} (${reason})`);
    this.name = 'WaitsUntil';
  }
}

/**
 * One step instance's pause: `park` is what `ctx.accounts.waitForSlot` calls for a wait
 * longer than `afterMs`; `stopped` tells the runner the try ended so, even when the plugin
 * caught the error and threw its own, or returned.
 */
export class TimeWait {
  private stop?: WaitsUntil;

  constructor(readonly afterMs: number) {}

  readonly park = (at: string, reason: string): never => {
    this.stop = new WaitsUntil(at, reason);
    throw this.stop;
  };

  get stopped(): WaitsUntil | undefined {
    return this.stop;
  }
}
