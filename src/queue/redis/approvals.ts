/**
 * Approvals on Redis, shared by every worker and `mpv2 serve`. Recording and deciding are
 * each one Lua script: a second request finds the first record, and of two deciders exactly
 * one changes a pending approval. A record is a hash: the fixed part as JSON (never decoded by
 * Lua, whose cjson would turn an empty list into `{}`), and the status, time and note of the decision.
 */
import type { ApprovalRecord, ApprovalStatus, ApprovalStore } from '../../infra/store/types.js';
import type { Redis } from './connection.js';

/** KEYS: record, index. ARGV: the fixed part (JSON), id, creation time (ms). */
const REQUEST = `
if redis.call('HSETNX', KEYS[1], 'rec', ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], 'status', 'pending')
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
end
return 1`;

/** KEYS: record. ARGV: status, decidedAt, note ('' for none). Returns 1 decided, 0 not pending, -1 no record. */
const DECIDE = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return -1 end
if status ~= 'pending' then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'decidedAt', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'note', ARGV[3]) end
return 1`;

type Fixed = Omit<ApprovalRecord, 'status' | 'decidedAt' | 'note'>;

export class RedisApprovals implements ApprovalStore {
  constructor(private readonly r: Redis, private readonly prefix: string) {}

  private key = (id: string) => `${this.prefix}:approval:${id}`;
  private index = () => `${this.prefix}:approvals`;

  private static toRecord(h: Record<string, string>): ApprovalRecord | undefined {
    if (!h.rec || !h.status) return undefined;
    return { ...(JSON.parse(h.rec) as Fixed), status: h.status as ApprovalStatus, ...(h.decidedAt && { decidedAt: h.decidedAt }), ...(h.note && { note: h.note }) };
  }

  async request(rec: Fixed): Promise<ApprovalRecord> {
    const { id, runId, stepId, index, plugin, preview, createdAt, inputHash } = rec;
    await this.r.eval(REQUEST, 2, this.key(id), this.index(), JSON.stringify({ id, runId, stepId, index, plugin, preview, createdAt, ...(inputHash && { inputHash }) }), id, String(Date.parse(createdAt)));
    return (await this.get(id))!;
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    return RedisApprovals.toRecord(await this.r.hgetall(this.key(id)));
  }

  async list(opts: { status?: ApprovalStatus; runId?: string } = {}): Promise<ApprovalRecord[]> {
    const ids = await this.r.zrevrange(this.index(), 0, -1);
    const pipe = this.r.pipeline();
    for (const id of ids) pipe.hgetall(this.key(id));
    const rows = ((await pipe.exec()) ?? []).map(([, h]) => RedisApprovals.toRecord(h as Record<string, string>)).filter((a): a is ApprovalRecord => a !== undefined);
    return rows.filter((a) => (!opts.status || a.status === opts.status) && (!opts.runId || a.runId === opts.runId));
  }

  async decide(id: string, d: { status: 'approved' | 'rejected'; note?: string; decidedAt: string }): Promise<{ decided: boolean; record?: ApprovalRecord }> {
    const n = (await this.r.eval(DECIDE, 1, this.key(id), d.status, d.decidedAt, d.note ?? '')) as number;
    const record = n === -1 ? undefined : await this.get(id);
    return { decided: n === 1, ...(record && { record }) };
  }

  async removeForRun(runId: string): Promise<void> {
    const ids = (await this.list({ runId })).map((a) => a.id);
    if (ids.length > 0) await this.r.multi().del(...ids.map(this.key)).zrem(this.index(), ...ids).exec();
  }
}
