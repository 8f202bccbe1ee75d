/** Every shared store of a worker on one Redis connection: journal, effects, kv, approvals, cache, limits. */
import type { RunStores } from '../../engine/run.js';
import { RedisApprovals } from './approvals.js';
import { closeRedis, openRedis, type Redis } from './connection.js';
import { RedisEffects } from './effects.js';
import { RedisJournal } from './journal.js';
import { RedisKeyvStore } from './keyv-store.js';
import { RedisKv } from './kv.js';
import { RedisLimitRegistry } from './token-bucket.js';

/** Key prefix of mpv2's own keys (BullMQ's are under `bull:`-style keys of the same prefix). */
export const DEFAULT_PREFIX = 'mpv2';

export interface SharedStores {
  redis: Redis;
  prefix: string;
  stores: Required<Pick<RunStores, 'journal' | 'effects' | 'kv' | 'approvals' | 'limits'>> & { keyvStore: RedisKeyvStore };
  close(): Promise<void>;
}

export function openSharedStores(url: string, prefix = DEFAULT_PREFIX, redis: Redis = openRedis(url)): SharedStores {
  return {
    redis, prefix,
    stores: {
      journal: new RedisJournal(redis, prefix),
      effects: new RedisEffects(redis, prefix),
      kv: new RedisKv(redis, prefix),
      approvals: new RedisApprovals(redis, prefix),
      keyvStore: new RedisKeyvStore(redis, prefix),
      limits: (pipeline, config) => new RedisLimitRegistry(redis, prefix, pipeline, config),
    },
    close: () => closeRedis(redis),
  };
}
