/**
 * Named limits shared by every worker: the token bucket lives in Redis and is taken by one
 * Lua script (atomic, on Redis' own clock unless a clock is injected), so N workers together
 * stay within one rate.
 * Concurrency caps stay per worker process.
 */
import { Limit, LimitRegistry, parseRate, realClock, TokenBucket, type Clock, type LimitSpec } from '../../engine/limits.js';
import type { Redis } from './connection.js';

/**
 * KEYS: bucket. ARGV: tokens per ms, burst, and optionally now (ms). Takes a token and
 * returns 0, or returns the ms to wait. Without a `now` it is Redis' own clock, the one all
 * workers agree on; a test passes its fake clock's.
 */
const TAKE = `
local now = tonumber(ARGV[3])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local v = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(v[1]) or burst
local ts = tonumber(v[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 60000)
return wait`;

export class RedisTokenBucket extends TokenBucket {
  constructor(private readonly r: Redis, private readonly key: string, private readonly rate: number, private readonly size: number, private readonly sleeper: Clock = realClock) {
    super(rate, size, sleeper);
  }

  /** Local estimate only; the shared bucket decides in `take`. */
  override waitTime(): number {
    return 0;
  }

  override async take(signal?: AbortSignal, onWait?: (ms: number) => void): Promise<void> {
    for (;;) {
      const now = this.sleeper === realClock ? [] : [String(this.sleeper.now())];
      const wait = Number(await this.r.eval(TAKE, 1, this.key, String(this.rate), String(this.size), ...now));
      if (wait <= 0) return;
      onWait?.(wait);
      await this.sleeper.sleep(wait, signal);
    }
  }
}

class SharedLimit extends Limit {
  override readonly bucket?: TokenBucket;
  constructor(name: string, spec: LimitSpec, bucket: TokenBucket | undefined) {
    super(name, { concurrency: spec.concurrency });
    this.bucket = bucket;
  }
}

/** A LimitRegistry whose rates are Redis token buckets named `<prefix>:bucket:<limit>`. */
export class RedisLimitRegistry extends LimitRegistry {
  private readonly shared = new Map<string, Limit>();

  constructor(r: Redis, prefix: string, pipeline: Record<string, LimitSpec> = {}, config: Record<string, LimitSpec> = {}, clock: Clock = realClock) {
    super(pipeline, config, clock);
    for (const [name, spec] of Object.entries({ ...pipeline, ...config })) {
      const bucket = spec.rate ? new RedisTokenBucket(r, `${prefix}:bucket:${name}`, parseRate(spec.rate, `limits.${name}.rate`), spec.burst ?? 1, clock) : undefined;
      this.shared.set(name, new SharedLimit(name, spec, bucket));
    }
  }

  override get(name: string): Limit | undefined {
    return this.shared.get(name);
  }
}
