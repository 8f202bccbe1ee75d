/**
 * Effect records on Redis. `claim` is one Lua script, so of two workers that try the same
 * key at once exactly one gets it: nobody posts, uploads or emails the same thing twice.
 */
import type { EffectRecord, EffectStatus, EffectStore } from '../../infra/store/types.js';
import type { Redis } from './connection.js';

/**
 * KEYS: record, index. ARGV: the pending record (JSON), takeOver ('1'/'0'), key, the record
 * the caller saw (JSON, or '' for any). Returns 1 when claimed.
 */
const CLAIM = `
local cur = redis.call('GET', KEYS[1])
local rec = cjson.decode(ARGV[1])
if cur then
  local old = cjson.decode(cur)
  if ARGV[2] ~= '1' and old.status ~= 'failed' then return 0 end
  if ARGV[2] == '1' and ARGV[4] ~= '' then
    local seen = cjson.decode(ARGV[4])
    if old.status ~= seen.status or old.runId ~= seen.runId or old.updatedAt ~= seen.updatedAt then return 0 end
  end
  rec.createdAt = old.createdAt
end
redis.call('SET', KEYS[1], cjson.encode(rec))
redis.call('SADD', KEYS[2], ARGV[3])
return 1`;

export class RedisEffects implements EffectStore {
  constructor(private readonly r: Redis, private readonly prefix: string) {}

  private key = (k: string) => `${this.prefix}:effect:${k}`;
  private index = () => `${this.prefix}:effects`;

  async get(key: string): Promise<EffectRecord | undefined> {
    const s = await this.r.get(this.key(key));
    return s ? (JSON.parse(s) as EffectRecord) : undefined;
  }

  async claim(rec: Omit<EffectRecord, 'status' | 'createdAt' | 'updatedAt'>, opts: { takeOver: boolean; seen?: Pick<EffectRecord, 'status' | 'runId' | 'updatedAt'> }): Promise<boolean> {
    const now = new Date().toISOString();
    const pending: EffectRecord = { key: rec.key, status: 'pending', runId: rec.runId, stepId: rec.stepId, plugin: rec.plugin, createdAt: now, updatedAt: now };
    const n = await this.r.eval(CLAIM, 2, this.key(rec.key), this.index(), JSON.stringify(pending), opts.takeOver ? '1' : '0', rec.key,
      opts.seen ? JSON.stringify({ status: opts.seen.status, runId: opts.seen.runId, updatedAt: opts.seen.updatedAt }) : '');
    return n === 1;
  }

  private async patch(key: string, p: Partial<EffectRecord>): Promise<void> {
    const cur = await this.get(key);
    if (!cur) return;
    const next = { ...cur, ...p, updatedAt: new Date().toISOString() };
    if (p.status === 'done') delete next.error;
    await this.r.set(this.key(key), JSON.stringify(next));
  }

  complete(key: string, result: unknown): Promise<void> {
    return this.patch(key, { status: 'done', result });
  }

  fail(key: string, error: { code: string; message: string }): Promise<void> {
    return this.patch(key, { status: 'failed', error });
  }

  async list(opts: { status?: EffectStatus; runId?: string } = {}): Promise<EffectRecord[]> {
    const keys = await this.r.smembers(this.index());
    if (keys.length === 0) return [];
    const rows = (await this.r.mget(keys.map(this.key))).filter((s): s is string => s !== null).map((s) => JSON.parse(s) as EffectRecord);
    return rows
      .filter((e) => (!opts.status || e.status === opts.status) && (!opts.runId || e.runId === opts.runId))
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async remove(key: string): Promise<void> {
    await this.r.multi().del(this.key(key)).srem(this.index(), key).exec();
  }
}
