/**
 * Named limits: a token bucket (rate + burst) and a concurrency cap, shared by every step
 * that names the limit. The clock is injectable so tests use tick ids, not sleeps.
 */
import { mpv2Error } from '../errors.js';
import { abortableSleep } from './retry.js';

export interface LimitSpec {
  rate?: string;
  burst?: number;
  concurrency?: number;
}

const PERIOD_MS: Record<string, number> = { second: 1000, s: 1000, minute: 60_000, m: 60_000, hour: 3_600_000, h: 3_600_000, day: 86_400_000, d: 86_400_000 };

/** `30/minute` → tokens per millisecond. */
export function parseRate(rate: string, field = 'rate'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(second|minute|hour|day|s|m|h|d)\s*$/.exec(rate);
  if (!m || Number(m[1]) <= 0) throw mpv2Error('E_INPUT_INVALID', `expected \`${field}\` like "30/minute" (N/second|minute|hour|day), got ${JSON.stringify(rate)}`);
  return Number(m[1]) / PERIOD_MS[m[2]!]!;
}

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = { now: () => Date.now(), sleep: abortableSleep };

export class TokenBucket {
  private tokens: number;
  private last: number;
  /** Reservation chain: callers are served in order of arrival. */
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly perMs: number, private readonly burst: number, private readonly clock: Clock = realClock) {
    this.tokens = burst;
    this.last = clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
  }

  /** Milliseconds until a token is available (0 when one is there now). */
  waitTime(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.perMs);
  }

  /** Takes one token, waiting for it; `onWait` hears how long before waiting. */
  take(signal?: AbortSignal, onWait?: (ms: number) => void): Promise<void> {
    const turn = this.tail.then(async () => {
      for (;;) {
        const wait = this.waitTime();
        if (wait === 0) { this.tokens -= 1; return; }
        onWait?.(wait);
        await this.clock.sleep(wait, signal);
      }
    });
    this.tail = turn.catch(() => undefined);
    return turn;
  }
}

export class Semaphore {
  private active = 0;
  private readonly queue: Array<() => void> = [];
  constructor(private readonly size: number) {}

  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.active >= this.size) {
      await new Promise<void>((resolve, reject) => {
        const go = () => { signal?.removeEventListener('abort', onAbort); resolve(); };
        const onAbort = () => { const i = this.queue.indexOf(go); if (i >= 0) this.queue.splice(i, 1); reject(mpv2Error('E_ABORTED', 'aborted while waiting for a limit')); };
        this.queue.push(go);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    } else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next(); else this.active--;
    };
  }
}

export class Limit {
  readonly bucket?: TokenBucket;
  readonly semaphore?: Semaphore;
  constructor(readonly name: string, spec: LimitSpec, clock: Clock = realClock) {
    if (spec.rate) this.bucket = new TokenBucket(parseRate(spec.rate, `limits.${name}.rate`), spec.burst ?? 1, clock);
    if (spec.concurrency) this.semaphore = new Semaphore(spec.concurrency);
  }

  /** Runs `fn` holding a concurrency slot, after taking a token. */
  async run<T>(fn: () => Promise<T>, opts: { signal?: AbortSignal; onWait?: (ms: number) => void; takeToken?: boolean } = {}): Promise<T> {
    const release = this.semaphore ? await this.semaphore.acquire(opts.signal) : undefined;
    try {
      if (opts.takeToken !== false) await this.bucket?.take(opts.signal, opts.onWait);
      return await fn();
    } finally {
      release?.();
    }
  }
}

/** All named limits of a run: the pipeline's definitions, overridden by the config's. */
export class LimitRegistry {
  private readonly limits = new Map<string, Limit>();
  readonly warnings: string[] = [];

  constructor(pipeline: Record<string, LimitSpec> = {}, config: Record<string, LimitSpec> = {}, clock: Clock = realClock) {
    for (const [name, spec] of Object.entries({ ...pipeline, ...config })) {
      if (pipeline[name] && config[name]) this.warnings.push(`limit "${name}" is defined in the pipeline and in the config; the config's definition is used`);
      this.limits.set(name, new Limit(name, spec, clock));
    }
  }

  has(name: string): boolean {
    return this.limits.has(name);
  }

  names(): string[] {
    return [...this.limits.keys()];
  }

  /** A limit by name; a name nobody defined gets no limit (plugins may name their provider's). */
  get(name: string): Limit | undefined {
    return this.limits.get(name);
  }
}
