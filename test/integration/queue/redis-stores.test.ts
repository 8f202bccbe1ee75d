/**
 * The Redis-backed stores against a real redis-server: journal, atomic effect claims,
 * key-value, the keyv cache store and the shared token bucket (two connections, one rate).
 */
import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';
import { pingRedis } from '../../../src/queue/redis/connection.js';
import { RedisEffects } from '../../../src/queue/redis/effects.js';
import { RedisJournal } from '../../../src/queue/redis/journal.js';
import { RedisKeyvStore } from '../../../src/queue/redis/keyv-store.js';
import { RedisKv } from '../../../src/queue/redis/kv.js';
import type { Clock } from '../../../src/engine/limits.js';
import { RedisLimitRegistry } from '../../../src/queue/redis/token-bucket.js';
import { useRedisPair } from '../../servers/redis-pair.js';

const redis = useRedisPair();
let n = 0;
const prefix = () => `t${++n}`;

describe('journal', () => {
  it('creates, updates, lists and deletes runs and steps', async () => {
    const j = new RedisJournal(redis.a, prefix());
    const run = { id: 'r1', pipeline: 'p.yaml', pipelineHash: 'h', name: 'p', status: 'running' as const, inputs: { x: 1 }, startedAt: '2026-05-04T09:00:00.000Z' };
    await j.createRun(run);
    await j.createRun({ ...run, id: 'r2', startedAt: '2026-05-04T10:00:00.000Z' });
    await j.createRun({ ...run, id: 'r3', pipeline: 'q.yaml', startedAt: '2026-05-04T11:00:00.000Z' });
    await j.updateRun('r1', { status: 'succeeded', outputs: { y: 2 }, finishedAt: '2026-05-04T09:01:00.000Z' });
    expect(await j.getRun('r1')).toMatchObject({ status: 'succeeded', outputs: { y: 2 }, inputs: { x: 1 } });
    expect((await j.listRuns()).map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
    expect((await j.listRuns({ pipeline: 'p.yaml', limit: 1 })).map((r) => r.id)).toEqual(['r2']);
    expect((await j.latestSucceededRun('p.yaml'))?.id).toBe('r1');
    const step = { runId: 'r1', stepId: 's', index: -1, status: 'running' as const, plugin: 'core.set', attempts: 0, cached: false, startedAt: '2026-05-04T09:00:01.000Z' };
    await j.putStep(step);
    await j.putStep({ ...step, status: 'succeeded', outputs: { ok: true } });
    await j.putStep({ ...step, index: 0 });
    expect((await j.getSteps('r1')).map((s) => [s.index, s.status])).toEqual([[-1, 'succeeded'], [0, 'running']]);
    await j.deleteRun('r1');
    expect(await j.getRun('r1')).toBeUndefined();
    expect(await j.getSteps('r1')).toEqual([]);
  });
});

describe('effects', () => {
  it('of 20 simultaneous claims on two connections exactly one wins', async () => {
    const p = prefix();
    const ea = new RedisEffects(redis.a, p);
    const eb = new RedisEffects(redis.b, p);
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? ea : eb).claim({ key: 'k', runId: `r${i}`, stepId: 's', plugin: 'x.post' }, { takeOver: false })));
    expect(claims.filter(Boolean)).toHaveLength(1);
    await ea.complete('k', { id: 42 });
    expect(await eb.get('k')).toMatchObject({ status: 'done', result: { id: 42 } });
    expect(await eb.claim({ key: 'k', runId: 'z', stepId: 's', plugin: 'x.post' }, { takeOver: false })).toBe(false);
    await ea.claim({ key: 'f', runId: 'r', stepId: 's', plugin: 'x.post' }, { takeOver: false });
    await ea.fail('f', { code: 'E_HTTP', message: 'no' });
    expect(await eb.claim({ key: 'f', runId: 'r2', stepId: 's', plugin: 'x.post' }, { takeOver: false })).toBe(true); // failed: may try again
    expect((await ea.list({ status: 'done' })).map((e) => e.key)).toEqual(['k']);
    await ea.remove('k');
    expect(await ea.list({ status: 'done' })).toEqual([]);
  });
});

describe('kv', () => {
  it('gets, sets, deletes and lists by prefix in key order', async () => {
    const kv = new RedisKv(redis.a, prefix());
    await kv.set('acc', 'b:1', { n: 1 });
    await kv.set('acc', 'a:2', { n: 2 });
    await kv.set('acc', 'a:1', { n: 3 });
    await kv.set('acc', 'a*', { n: 4 });
    expect(await kv.get('acc', 'b:1')).toEqual({ n: 1 });
    expect((await kv.list('acc', 'a:')).map((e) => e.key)).toEqual(['a:1', 'a:2']);
    expect((await kv.list('acc', 'a*')).map((e) => e.key)).toEqual(['a*']);
    await kv.delete('acc', 'b:1');
    expect(await kv.get('acc', 'b:1')).toBeUndefined();
  });

  it('add and increment are atomic across two connections', async () => {
    const p = prefix();
    const [x, y] = [new RedisKv(redis.a, p), new RedisKv(redis.b, p)];
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? x : y).add('ns', 'slot', { by: i })));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = claims.indexOf(true);
    expect(await x.get('ns', 'slot')).toEqual({ by: winner });
    const counts = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? x : y).increment('ns', 'uses', 1)));
    expect(counts.sort((m, n) => m - n)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await y.get('ns', 'uses')).toBe(20);
    expect(await x.increment('ns', 'uses', 5)).toBe(25);
  });
});

describe('keyv store', () => {
  it('works as keyv 5 store and expires entries in Redis', async () => {
    const p = prefix();
    const keyv = new Keyv({ store: new RedisKeyvStore(redis.a, p) as never, namespace: 'mpv2' });
    await keyv.set('x', { big: [1, 2, 3] });
    await keyv.set('short', 'v', 50);
    const other = new Keyv({ store: new RedisKeyvStore(redis.b, p) as never, namespace: 'mpv2' });
    expect(await other.get('x')).toEqual({ big: [1, 2, 3] });
    const ttl = await redis.a.pttl(`${p}:cache:mpv2:short`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(50);
    expect(await redis.a.pttl(`${p}:cache:mpv2:x`)).toBe(-1);
  });
});

describe('shared token bucket', () => {
  it('two registries on two connections together stay within 10/second, and neither starves', async () => {
    const p = prefix();
    const spec = { fast: { rate: '10/second' } };
    // one fake clock for both (Redis takes its `now`): the test steps time 7 ms at a time, the
    // registries trying first in turn; a take that would have to wait is refused instead of sleeping
    const clock: Clock = { now: () => t, sleep: async () => { throw new Error('would wait'); } };
    let t = 1_000_000;
    const regs = [new RedisLimitRegistry(redis.a, p, spec, {}, clock), new RedisLimitRegistry(redis.b, p, spec, {}, clock)];
    const granted: Array<{ at: number; who: number }> = [];
    for (let round = 0; t <= 1_000_000 + 3000; t += 7, round++) {
      for (const who of round % 2 ? [1, 0] : [0, 1]) {
        if (await regs[who]!.get('fast')!.bucket!.take().then(() => true, () => false)) granted.push({ at: t, who });
      }
    }
    // a burst of one, then one each 100 ms: at most 31 over 3 s (a token taken up to 7 ms late
    // loses those ms, the burst being one), and no second-long window holds more than 11
    expect(granted.length).toBeLessThanOrEqual(31);
    expect(granted.length).toBeGreaterThanOrEqual(28);
    for (const g of granted) expect(granted.filter((h) => h.at >= g.at && h.at < g.at + 1000).length).toBeLessThanOrEqual(11);
    expect(granted.filter((g) => g.who === 0).length).toBeGreaterThan(5);
    expect(granted.filter((g) => g.who === 1).length).toBeGreaterThan(5);
  });
});

describe('ping', () => {
  it('answers with the server version, and fails fast with E_QUEUE when nobody listens', async () => {
    expect((await pingRedis(redis.url)).version).toMatch(/^\d+\.\d+/);
    await expect(pingRedis('redis://127.0.0.1:1', 1000)).rejects.toMatchObject({ code: 'E_QUEUE', hint: /queue.url/ });
  });
});
