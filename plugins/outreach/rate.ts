/**
 * `rate: 30/hour`: messages are spread evenly, one every period/count (30/hour → one every
 * 2 minutes), which is kinder to a sender's reputation than bursts. The first goes at once.
 */
import { mpv2Error } from 'mpv2/plugin';
import { parseDuration } from 'mpv2/plugin';

const UNITS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** `30/hour`, `5/minute`, `1/90s` → milliseconds between two messages. */
export function parseRate(rate: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\S+)\s*$/.exec(rate);
  const count = m ? Number(m[1]) : NaN;
  if (!m || !(count > 0)) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `expected \`rate\` like "30/hour", got "${rate}"`, { hint: 'count/unit with unit second, minute, hour or day, or count/duration such as 1/90s' });
  }
  const unit = m[2]!.toLowerCase().replace(/s$/, '');
  const period = UNITS[unit] ?? parseDuration(m[2]!, 'rate');
  return period / count;
}

export interface Pacer {
  /** Waits until the next message may go; call before each send's effect opens. */
  wait(): Promise<void>;
}

export function makePacer(gapMs: number | undefined, clock: { now: () => number; sleep: (ms: number) => Promise<void>; onWait?: (ms: number) => void }): Pacer {
  let next = 0;
  return {
    async wait() {
      if (!gapMs) return;
      const now = clock.now();
      if (next > now) {
        clock.onWait?.(next - now);
        await clock.sleep(next - now);
      }
      next = Math.max(now, next) + gapMs;
    },
  };
}
