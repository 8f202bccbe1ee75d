/**
 * The run journal on Redis: a JSON string per run, a hash of steps per run, sorted sets to
 * list them, and a lease key per owned run (expires on Redis' clock unless its owner renews it).
 */
import type { JournalStore, RunOwner, RunRecord, StepRecord } from '../../infra/store/types.js';
import type { Redis } from './connection.js';

/**
 * KEYS: lease. ARGV: token of the expected holder, owner (JSON), lease ms. Writes the lease
 * only if the expected holder still has it: renewal by the owner, or taking over a dead one.
 */
const SWAP = `
local cur = redis.call('GET', KEYS[1])
if not cur or cjson.decode(cur).token ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

/** KEYS: lease. ARGV: token. Deletes the lease if `token` holds it. */
const RELEASE = `
local cur = redis.call('GET', KEYS[1])
if cur and cjson.decode(cur).token == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`;

export class RedisJournal implements JournalStore {
  constructor(private readonly r: Redis, private readonly prefix: string) {}

  private run = (id: string) => `${this.prefix}:run:${id}`;
  private steps = (id: string) => `${this.prefix}:steps:${id}`;
  private all = () => `${this.prefix}:runs`;
  private byPipeline = (p: string) => `${this.prefix}:runs:p:${p}`;
  private lease = (id: string) => `${this.prefix}:owner:${id}`;

  async createRun(run: RunRecord): Promise<void> {
    const score = Date.parse(run.startedAt);
    await this.r.multi().set(this.run(run.id), JSON.stringify(run)).zadd(this.all(), score, run.id).zadd(this.byPipeline(run.pipeline), score, run.id).exec();
  }

  async updateRun(id: string, patch: Partial<Omit<RunRecord, 'id'>>): Promise<void> {
    // one worker owns a run at a time, so read-modify-write needs no lock
    const cur = await this.getRun(id);
    if (!cur) return;
    const next: Record<string, unknown> = { ...cur };
    for (const [k, v] of Object.entries(patch)) {
      if ((v === undefined || v === null) && (k === 'finishedAt' || k === 'resumeAt')) delete next[k];
      else if (v !== undefined) next[k] = v;
    }
    await this.r.set(this.run(id), JSON.stringify(next));
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const s = await this.r.get(this.run(id));
    return s ? (JSON.parse(s) as RunRecord) : undefined;
  }

  private async load(ids: string[]): Promise<RunRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.r.mget(ids.map(this.run));
    return rows.filter((s): s is string => s !== null).map((s) => JSON.parse(s) as RunRecord);
  }

  async listRuns(opts: { limit?: number; pipeline?: string } = {}): Promise<RunRecord[]> {
    const key = opts.pipeline ? this.byPipeline(opts.pipeline) : this.all();
    return this.load(await this.r.zrevrange(key, 0, (opts.limit ?? 50) - 1));
  }

  async latestSucceededRun(pipeline: string): Promise<RunRecord | undefined> {
    for (let from = 0; ; from += 100) {
      const ids = await this.r.zrevrange(this.byPipeline(pipeline), from, from + 99);
      const hit = (await this.load(ids)).find((r) => r.status === 'succeeded');
      if (hit || ids.length < 100) return hit;
    }
  }

  async putStep(step: StepRecord): Promise<void> {
    await this.r.hset(this.steps(step.runId), `${step.stepId}\u0000${step.index}`, JSON.stringify(step));
  }

  async getSteps(runId: string): Promise<StepRecord[]> {
    const rows = (await this.r.hvals(this.steps(runId))).map((s) => JSON.parse(s) as StepRecord);
    return rows.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.stepId.localeCompare(b.stepId) || a.index - b.index);
  }

  async deleteRun(id: string): Promise<void> {
    const run = await this.getRun(id);
    const m = this.r.multi().del(this.run(id), this.steps(id), this.lease(id)).zrem(this.all(), id);
    if (run) m.zrem(this.byPipeline(run.pipeline), id);
    await m.exec();
  }

  async claimRun(id: string, owner: RunOwner, isLive: (current: RunOwner) => boolean): Promise<RunOwner | undefined> {
    const json = JSON.stringify(owner);
    // each pass either takes a free lease, replaces a dead holder (compare-and-set on its token),
    // or finds a live holder; a pass loses only to another claimer, whom the next pass judges
    for (let pass = 0; pass < 5; pass++) {
      if ((await this.r.set(this.lease(id), json, 'PX', owner.leaseMs, 'NX')) === 'OK') return undefined;
      const cur = await this.ownerOf(id);
      if (!cur) continue; // expired in between
      if (cur.token === owner.token) return undefined;
      if (isLive(cur)) return cur;
      if (Number(await this.r.eval(SWAP, 1, this.lease(id), cur.token, json, String(owner.leaseMs))) === 1) return undefined;
    }
    const cur = await this.ownerOf(id);
    return cur && cur.token !== owner.token ? cur : undefined;
  }

  async renewRun(id: string, owner: RunOwner): Promise<boolean> {
    return Number(await this.r.eval(SWAP, 1, this.lease(id), owner.token, JSON.stringify(owner), String(owner.leaseMs))) === 1;
  }

  async releaseRun(id: string, token: string): Promise<void> {
    await this.r.eval(RELEASE, 1, this.lease(id), token);
  }

  async ownerOf(id: string): Promise<RunOwner | undefined> {
    const res = await this.r.multi().get(this.lease(id)).pttl(this.lease(id)).exec();
    const s = res?.[0]?.[1] as string | null | undefined;
    const ttl = Number(res?.[1]?.[1]);
    if (!s) return undefined;
    // the lease ends when the key expires on Redis' clock: say when in this machine's time, so
    // a worker whose clock is ahead does not judge a live owner's lease over
    const o = JSON.parse(s) as RunOwner;
    return ttl > 0 ? { ...o, expiresAt: new Date(Date.now() + ttl).toISOString() } : o;
  }
}
