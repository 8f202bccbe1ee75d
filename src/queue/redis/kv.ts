/** The key-value store on Redis (accounts and their caps, campaign history, schedules): one hash per namespace. */
import type { KvStore } from '../../infra/store/types.js';
import type { Redis } from './connection.js';

export class RedisKv implements KvStore {
  constructor(private readonly r: Redis, private readonly prefix: string) {}

  private ns = (namespace: string) => `${this.prefix}:kv:${namespace}`;

  async get<T = unknown>(namespace: string, key: string): Promise<T | undefined> {
    const s = await this.r.hget(this.ns(namespace), key);
    return s === null ? undefined : (JSON.parse(s) as T);
  }

  async set(namespace: string, key: string, value: unknown): Promise<void> {
    await this.r.hset(this.ns(namespace), key, JSON.stringify(value));
  }

  async delete(namespace: string, key: string): Promise<void> {
    await this.r.hdel(this.ns(namespace), key);
  }

  async add(namespace: string, key: string, value: unknown): Promise<boolean> {
    return (await this.r.hsetnx(this.ns(namespace), key, JSON.stringify(value))) === 1;
  }

  // values are JSON, and an integer's JSON is its decimal text: HINCRBY reads and writes it as is
  async increment(namespace: string, key: string, by: number): Promise<number> {
    return this.r.hincrby(this.ns(namespace), key, by);
  }

  async list<T = unknown>(namespace: string, prefix: string): Promise<Array<{ key: string; value: T }>> {
    // HSCAN may return a field twice while the hash grows: keep one per key
    const out = new Map<string, T>();
    let cursor = '0';
    do {
      const [next, flat] = await this.r.hscan(this.ns(namespace), cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 500);
      for (let i = 0; i < flat.length; i += 2) out.set(flat[i]!, JSON.parse(flat[i + 1]!) as T);
      cursor = next;
    } while (cursor !== '0');
    return [...out].map(([key, value]) => ({ key, value })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
