import { exitClassOf } from '../errors.js';

/** `waiting`: the run stopped at an effect step that waits for approval (`mpv2 approve <id>` continues it). */
export const EXIT = { ok: 0, failed: 1, usage: 2, waiting: 3, sigint: 130, sigterm: 143 } as const;

/** Bad input (the catalogue's exit class 2: usage, pipeline, inputs, config) exits 2; any other failure 1. */
export function exitCodeFor(e: unknown): number {
  return exitClassOf(e) === 2 ? EXIT.usage : EXIT.failed;
}
