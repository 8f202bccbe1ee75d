/**
 * ioredis connections from `queue.url`. Commands wait while Redis is away
 * (`maxRetriesPerRequest: null`, as BullMQ workers require) and the client reconnects with
 * a capped backoff, so a Redis restart pauses the workers instead of failing their runs.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { mpv2Error } from '../../errors.js';

export type { Redis };

export function redisOptions(extra: RedisOptions = {}): RedisOptions {
  return {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
    ...extra,
  };
}

export function openRedis(url: string, extra: RedisOptions = {}): Redis {
  const r = new Redis(url, redisOptions(extra));
  // the client reconnects by itself; a dropped connection is not worth a crash or a stack trace
  r.on('error', () => undefined);
  return r;
}

/** PING with a deadline: the doctor and the CLI fail fast instead of waiting for Redis forever. */
export async function pingRedis(url: string, timeoutMs = 3000): Promise<{ version: string; ms: number }> {
  const t0 = performance.now();
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null, enableOfflineQueue: false });
  r.on('error', () => undefined); // reported by the rejected connect below
  try {
    await r.connect();
    await r.ping();
    const info = await r.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    return { version, ms: Math.round(performance.now() - t0) };
  } catch (e) {
    throw mpv2Error('E_QUEUE', `cannot reach Redis at ${safeUrl(url)}: ${(e as Error).message}`, {
      cause: e, retryable: true,
      hint: 'start Redis (e.g. `redis-server` or `docker compose up -d redis`) or fix `queue.url` / REDIS_URL',
    });
  } finally {
    r.disconnect();
  }
}

/** The URL without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured URL';
  }
}
