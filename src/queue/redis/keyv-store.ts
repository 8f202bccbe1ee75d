/**
 * A Map-like keyv store on Redis for the step and call cache, on the worker's ioredis
 * connection (@keyv/redis would bring node-redis as a second client and connection).
 * Entries expire in Redis itself (PX) when keyv gives them a TTL.
 */
import type { Redis } from './connection.js';

export class RedisKeyvStore {
  readonly opts = { dialect: 'redis' };
  constructor(private readonly r: Redis, private readonly prefix: string) {}

  private k = (key: string) => `${this.prefix}:cache:${key}`;

  async get(key: string): Promise<string | undefined> {
    return (await this.r.get(this.k(key))) ?? undefined;
  }

  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    const s = typeof value === 'string' ? value : JSON.stringify(value);
    let ms = typeof ttl === 'number' && ttl > 0 ? ttl : undefined;
    if (ms === undefined) {
      try {
        const e = (JSON.parse(s) as { expires?: unknown }).expires;
        if (typeof e === 'number') ms = Math.max(1, e - Date.now());
      } catch { /* not JSON: no expiry */ }
    }
    if (ms !== undefined) await this.r.set(this.k(key), s, 'PX', Math.ceil(ms));
    else await this.r.set(this.k(key), s);
    return true;
  }

  async has(key: string): Promise<boolean> {
    return (await this.r.exists(this.k(key))) === 1;
  }

  async delete(key: string): Promise<boolean> {
    return (await this.r.del(this.k(key))) > 0;
  }

  /** Every cache key under this prefix, a SCAN page at a time. */
  private async *keyPages(): AsyncGenerator<string[]> {
    let cursor = '0';
    do {
      const [next, keys] = await this.r.scan(cursor, 'MATCH', `${this.prefix}:cache:*`, 'COUNT', 500);
      if (keys.length) yield keys;
      cursor = next;
    } while (cursor !== '0');
  }

  /** How many entries there are under this prefix, and their bytes (`mpv2 cache stats`). */
  async stats(): Promise<{ entries: number; bytes: number }> {
    let [entries, bytes] = [0, 0];
    for await (const keys of this.keyPages()) {
      const sizes = await this.r.pipeline(keys.map((k) => ['strlen', k])).exec();
      for (const [, n] of sizes ?? []) { entries++; bytes += Number(n) || 0; }
    }
    return { entries, bytes };
  }

  /** Removes every cache entry under this prefix. */
  async clear(): Promise<void> {
    for await (const keys of this.keyPages()) await this.r.del(...keys);
  }
}
