/**
 * ioredis connections from `queue.url`. Commands wait while Redis is away
 * (`maxRetriesPerRequest: null`, as BullMQ workers require) and the client reconnects with
 * a capped exponential backoff, so a Redis restart pauses the workers instead of failing
 * their runs, and a long outage costs one attempt every few seconds, not a busy loop.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { mpv2Error } from '../../errors.js';

export type { Redis };

/** Reconnect backoff: 200 ms after the first failed attempt, doubling, at most 5 s apart. */
export const RECONNECT_FIRST_MS = 200;
export const RECONNECT_MAX_MS = 5000;

export function reconnectDelay(attempt: number): number {
  return Math.min(RECONNECT_FIRST_MS * 2 ** Math.min(attempt - 1, 16), RECONNECT_MAX_MS);
}

export function redisOptions(extra: RedisOptions = {}): RedisOptions {
  return {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: reconnectDelay,
    ...extra,
  };
}

export function openRedis(url: string, extra: RedisOptions = {}): Redis {
  const r = new Redis(url, redisOptions(extra));
  // the client reconnects by itself; a dropped connection is not worth a crash or a stack trace
  // (a worker's RedisWatch tells the outage and its end once each)
  r.on('error', () => undefined);
  return r;
}

/**
 * Closes a connection without waiting on an absent Redis: QUIT when it is connected (and
 * answers within `timeoutMs`), else the socket is dropped. A plain `quit()` on a client that
 * is reconnecting waits in the offline queue until Redis is back, which kept workers alive.
 */
export async function closeRedis(r: Redis, timeoutMs = 1000): Promise<void> {
  if (r.status !== 'ready') { r.disconnect(); return; }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), timeoutMs); });
  const how = await Promise.race([r.quit().then(() => 'quit' as const, () => 'failed' as const), late]);
  clearTimeout(timer);
  if (how !== 'quit') r.disconnect();
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

/** `host:port` of a Redis URL: names the server in log lines without user, password or the URL the redactor hides whole. */
export function redisHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'the configured Redis';
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
