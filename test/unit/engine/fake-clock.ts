import type { Clock } from '../../../src/engine/limits.js';

/** A clock whose `sleep` advances `now` at once: token-bucket tests without real waiting. */
export class FakeClock implements Clock {
  t = 0;
  readonly sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new Error('aborted');
    this.sleeps.push(ms);
    this.t += ms;
    await Promise.resolve();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
