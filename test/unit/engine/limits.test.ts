import { describe, expect, it } from 'vitest';
import { Limit, LimitRegistry, parseRate, Semaphore, TokenBucket } from '../../../src/engine/limits.js';
import { FakeClock } from './fake-clock.js';

describe('parseRate', () => {
  it.each([['2/second', 2 / 1000], ['30/minute', 30 / 60_000], ['200/hour', 200 / 3_600_000], ['1/day', 1 / 86_400_000], ['5 / s', 5 / 1000]])('%s', (r, perMs) => {
    expect(parseRate(r)).toBeCloseTo(perMs, 12);
  });
  it.each(['fast', '0/second', '3/week', '3'])('rejects %j', (r) => {
    expect(() => parseRate(r, 'limits.x.rate')).toThrow(/limits\.x\.rate/);
  });
});

describe('TokenBucket (fake clock)', () => {
  it('2/second, burst 1: one token now, then one every 500 ms', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(parseRate('2/second'), 1, clock);
    const waits: number[] = [];
    const takenAt: number[] = [];
    for (let i = 0; i < 5; i++) {
      await bucket.take(undefined, (ms) => waits.push(ms));
      takenAt.push(clock.now());
    }
    expect(takenAt).toEqual([0, 500, 1000, 1500, 2000]);
    expect(waits).toEqual([500, 500, 500, 500]);
  });

  it('burst lets that many go at once after a quiet period', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(parseRate('1/second'), 3, clock);
    for (let i = 0; i < 3; i++) await bucket.take();
    expect(clock.now()).toBe(0);
    await bucket.take();
    expect(clock.now()).toBe(1000);
    clock.advance(10_000); // quiet: refills to burst, not beyond
    expect(bucket.waitTime()).toBe(0);
    for (let i = 0; i < 3; i++) await bucket.take();
    expect(clock.now()).toBe(11_000);
    expect(bucket.waitTime()).toBe(1000);
  });

  it('serves concurrent callers in order of arrival', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(parseRate('10/second'), 1, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => bucket.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(clock.now()).toBe(300);
  });

  it('an aborted waiter rejects and does not block the next one', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(parseRate('1/second'), 1, clock);
    await bucket.take();
    const ac = new AbortController();
    ac.abort();
    await expect(bucket.take(ac.signal)).rejects.toThrow();
    await bucket.take();
    expect(clock.now()).toBe(1000);
  });
});

describe('Semaphore and Limit', () => {
  it('a concurrency cap holds the rest until a slot is released', async () => {
    const sem = new Semaphore(2);
    const r1 = await sem.acquire();
    const r2 = await sem.acquire();
    let third = false;
    const p = sem.acquire().then((r) => { third = true; return r; });
    await Promise.resolve();
    expect(third).toBe(false);
    r1();
    r1(); // releasing twice is harmless
    const r3 = await p;
    expect(third).toBe(true);
    r2(); r3();
  });

  it('Limit.run takes a token and a slot: concurrency 1 runs one at a time', async () => {
    const clock = new FakeClock();
    const limit = new Limit('api', { rate: '4/second', concurrency: 1 }, clock);
    let active = 0;
    let maxActive = 0;
    const starts: number[] = [];
    const job = async () => {
      active++; maxActive = Math.max(maxActive, active); starts.push(clock.now());
      await clock.sleep(10);
      active--;
    };
    await Promise.all([1, 2, 3].map(() => limit.run(job)));
    expect(maxActive).toBe(1);
    expect(starts).toEqual([0, 250, 500]);
  });

  it('onWait hears each wait; takeToken: false skips the bucket', async () => {
    const clock = new FakeClock();
    const limit = new Limit('api', { rate: '1/minute' }, clock);
    const waits: number[] = [];
    await limit.run(async () => 1, { onWait: (ms) => waits.push(ms) });
    await limit.run(async () => 1, { onWait: (ms) => waits.push(ms), takeToken: false });
    expect(waits).toEqual([]);
    await limit.run(async () => 1, { onWait: (ms) => waits.push(ms) });
    expect(waits).toEqual([60_000]);
  });
});

describe('LimitRegistry', () => {
  it('the config overrides the pipeline, with a warning', () => {
    const reg = new LimitRegistry({ llm: { rate: '10/minute' }, pexels: { rate: '1/second' } }, { llm: { rate: '1/second', concurrency: 2 } });
    expect(reg.names().sort()).toEqual(['llm', 'pexels']);
    expect(reg.get('llm')?.semaphore).toBeDefined();
    expect(reg.warnings).toEqual([expect.stringMatching(/limit "llm".*config/)]);
    expect(reg.get('nobody')).toBeUndefined();
    expect(reg.has('pexels')).toBe(true);
  });
});
