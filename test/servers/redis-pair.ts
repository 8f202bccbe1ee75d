/**
 * A real redis-server (test/servers/redis.ts) with two connections to it, as two processes hold
 * them, for the tests of the Redis-backed stores: started before the file's tests, closed after.
 *
 *   const redis = useRedisPair();
 *   it('…', async () => { const [x, y] = [new RedisKv(redis.a, p), new RedisKv(redis.b, p)]; });
 */
import { afterAll, beforeAll } from 'vitest';
import { openRedis, type Redis } from '../../src/queue/redis/connection.js';
import { startRedis, type TestRedis } from './redis.js';

export interface RedisPair {
  readonly server: TestRedis;
  readonly url: string;
  readonly a: Redis;
  readonly b: Redis;
}

/** Call at the top level of a test file: the fields are there from its first test on. */
export function useRedisPair(): RedisPair {
  let opened: { server: TestRedis; a: Redis; b: Redis } | undefined;
  const get = () => {
    if (!opened) throw new Error('useRedisPair: the Redis pair is there only inside tests (after beforeAll)');
    return opened;
  };
  beforeAll(async () => {
    const server = await startRedis();
    opened = { server, a: openRedis(server.url), b: openRedis(server.url) };
  });
  afterAll(async () => {
    if (!opened) return;
    const { server, a, b } = opened;
    await Promise.all([a.quit(), b.quit()]);
    await server.close();
  });
  return {
    get server() { return get().server; },
    get url() { return get().server.url; },
    get a() { return get().a; },
    get b() { return get().b; },
  };
}
