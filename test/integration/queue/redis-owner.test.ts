/**
 * Run ownership on the Redis journal against a real redis-server: a lease key per owned run
 * that a live owner keeps, a dead owner loses at once on its own host, and that expires on
 * Redis' clock for an owner elsewhere; of concurrent claimers exactly one wins.
 */
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { claimRun } from '../../../src/engine/owner.js';
import type { RunOwner } from '../../../src/infra/store/types.js';
import { RedisEffects } from '../../../src/queue/redis/effects.js';
import { RedisJournal } from '../../../src/queue/redis/journal.js';
import { useRedisPair } from '../../servers/redis-pair.js';

const redis = useRedisPair();
let n = 0;
const prefix = () => `own${++n}`;

const foreign = (o: Partial<RunOwner>): RunOwner => ({
  host: hostname(), pid: process.pid, since: '2026-05-04T09:00:00.000Z', expiresAt: '2999-01-01T00:00:00.000Z', leaseMs: 30_000, token: 'other', ...o,
});
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid;

describe('run ownership on Redis', () => {
  it('a live owner keeps the run; release frees it; the lease key carries its TTL', async () => {
    const p = prefix();
    const ja = new RedisJournal(redis.a, p);
    const jb = new RedisJournal(redis.b, p);
    const lease = await claimRun(ja, 'r1', { leaseMs: 30_000 });
    const ttl = await redis.a.pttl(`${p}:owner:r1`);
    expect(ttl).toBeGreaterThan(20_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
    await expect(claimRun(jb, 'r1')).rejects.toMatchObject({ code: 'E_RUN_OWNED', message: expect.stringContaining(`process ${process.pid} on ${hostname()}`) });
    expect(await lease.renew(() => { throw new Error('not lost'); })).toBeUndefined();
    await lease.release();
    expect(await redis.a.exists(`${p}:owner:r1`)).toBe(0);
    await expect(claimRun(jb, 'r1')).resolves.toBeDefined();
  });

  it('of 10 claimers of a dead owner\'s run on two connections exactly one wins', async () => {
    const p = prefix();
    await new RedisJournal(redis.a, p).claimRun('r1', foreign({ pid: deadPid() }), () => false);
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => claimRun(new RedisJournal(i % 2 ? redis.a : redis.b, p), 'r1')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.code === 'E_RUN_OWNED')).toBe(true);
  });

  it('an owner on another host holds the run until its lease expires in Redis', async () => {
    const p = prefix();
    const j = new RedisJournal(redis.a, p);
    // its own clock is far behind ours: the expiry it wrote is long past, but Redis' TTL decides
    await j.claimRun('r1', foreign({ host: 'elsewhere', pid: 1, expiresAt: '2000-01-01T00:00:00.000Z' }), () => false);
    await expect(claimRun(j, 'r1')).rejects.toMatchObject({ code: 'E_RUN_OWNED' });
    // the owner stopped renewing: its lease runs out (here at once)
    await redis.a.pexpire(`${p}:owner:r1`, 1);
    while ((await redis.a.exists(`${p}:owner:r1`)) === 1) await redis.a.ping();
    await expect(claimRun(j, 'r1')).resolves.toBeDefined();
  });

  it('a lost lease is noticed at the next renewal', async () => {
    const p = prefix();
    const j = new RedisJournal(redis.a, p);
    const lease = await claimRun(j, 'r1');
    await j.claimRun('r1', foreign({ host: 'elsewhere', pid: 9, token: 'thief' }), () => false);
    const lost: Array<RunOwner | undefined> = [];
    await lease.renew((h) => lost.push(h));
    expect(lost).toEqual([expect.objectContaining({ host: 'elsewhere', pid: 9 })]);
    await lease.release();
    expect((await j.ownerOf('r1'))?.token).toBe('thief');
  });
});

describe('effect take-over on Redis', () => {
  it('replaces only the record the claimer saw: of two runs taking over the same one, one wins', async () => {
    const p = prefix();
    const ea = new RedisEffects(redis.a, p);
    const eb = new RedisEffects(redis.b, p);
    await ea.claim({ key: 'k', runId: 'dead', stepId: 's', plugin: 'x.post' }, { takeOver: false });
    const seen = (await ea.get('k'))!;
    const wins = await Promise.all(['B', 'C', 'D', 'E'].map((runId, i) => (i % 2 ? ea : eb).claim({ key: 'k', runId, stepId: 's', plugin: 'x.post' }, { takeOver: true, seen })));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect((await ea.get('k'))!.runId).toBe(['B', 'C', 'D', 'E'][wins.indexOf(true)]);
  });
});
