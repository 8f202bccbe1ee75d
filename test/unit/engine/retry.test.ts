import { describe, expect, it } from 'vitest';
import { normalizeRetry, retryDelay, withRetry, type RetryPolicy } from '../../../src/engine/retry.js';
import { mpv2Error } from '../../../src/errors.js';

const policy: RetryPolicy = { attempts: 5, backoff: 'exponential', initialMs: 1000, maxMs: 8000 };

describe('normalizeRetry', () => {
  it('fills defaults in one place', () => {
    expect(normalizeRetry(undefined, 3)).toEqual({ attempts: 3, backoff: 'exponential', initialMs: 1000, maxMs: 60_000 });
    expect(normalizeRetry({ attempts: 2, initial: '250ms', max: '2s', backoff: 'fixed' }, 3)).toEqual({ attempts: 2, backoff: 'fixed', initialMs: 250, maxMs: 2000 });
  });
  it('rejects a bad duration', () => {
    expect(() => normalizeRetry({ initial: 'soon' }, 3)).toThrow(/retry\.initial/);
  });
});

describe('retryDelay', () => {
  it('doubles per attempt with jitter in [base/2, base]', () => {
    expect(retryDelay(policy, 1, undefined, () => 0)).toBe(500);
    expect(retryDelay(policy, 1, undefined, () => 1)).toBe(1000);
    expect(retryDelay(policy, 2, undefined, () => 1)).toBe(2000);
    expect(retryDelay(policy, 3, undefined, () => 0.5)).toBe(3000);
  });
  it('is capped at max', () => {
    expect(retryDelay(policy, 10, undefined, () => 1)).toBe(8000);
    expect(retryDelay(policy, 10, undefined, () => 0)).toBe(4000);
  });
  it('fixed backoff does not grow', () => {
    const fixed = { ...policy, backoff: 'fixed' as const };
    expect(retryDelay(fixed, 1, undefined, () => 1)).toBe(1000);
    expect(retryDelay(fixed, 4, undefined, () => 1)).toBe(1000);
  });
  it('Retry-After wins when longer, even beyond max', () => {
    expect(retryDelay(policy, 1, 5000, () => 0)).toBe(5000);
    expect(retryDelay(policy, 1, 30_000, () => 1)).toBe(30_000);
    // a shorter Retry-After does not shorten the backoff
    expect(retryDelay(policy, 3, 100, () => 1)).toBe(4000);
  });
});

describe('withRetry', () => {
  const retryable = () => mpv2Error('E_HTTP', 'HTTP 503', { retryable: true, status: 503 });

  it('retries retryable errors until success and counts attempts', async () => {
    const slept: number[] = [];
    const retries: Array<{ attempt: number; delayMs: number }> = [];
    let calls = 0;
    const r = await withRetry(policy, async (attempt) => {
      calls++;
      expect(attempt).toBe(calls);
      if (calls < 3) throw retryable();
      return 'ok';
    }, { sleep: async (ms) => { slept.push(ms); }, random: () => 1, onRetry: ({ attempt, delayMs }) => retries.push({ attempt, delayMs }) });
    expect(r).toEqual({ value: 'ok', attempts: 3 });
    expect(slept).toEqual([1000, 2000]);
    expect(retries).toEqual([{ attempt: 1, delayMs: 1000 }, { attempt: 2, delayMs: 2000 }]);
  });

  it('uses retryAfterMs from the error', async () => {
    const slept: number[] = [];
    let calls = 0;
    await withRetry(policy, async () => {
      if (calls++ === 0) throw mpv2Error('E_RATE_LIMITED', '429', { retryable: true, retryAfterMs: 7000 });
      return 1;
    }, { sleep: async (ms) => { slept.push(ms); }, random: () => 0 });
    expect(slept).toEqual([7000]);
  });

  it('does not retry errors that say a retry cannot help', async () => {
    let calls = 0;
    const err = await withRetry(policy, async () => { calls++; throw mpv2Error('E_AUTH', 'bad key'); }, { sleep: async () => {} }).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(err).toMatchObject({ code: 'E_AUTH', details: { attempts: 1 } });
  });

  it('does not retry plain errors (not Mpv2Error)', async () => {
    let calls = 0;
    await expect(withRetry(policy, async () => { calls++; throw new Error('boom'); }, { sleep: async () => {} })).rejects.toThrow('boom');
    expect(calls).toBe(1);
  });

  it('gives up after `attempts` tries and records how many', async () => {
    let calls = 0;
    const err = await withRetry({ ...policy, attempts: 3 }, async () => { calls++; throw retryable(); }, { sleep: async () => {}, random: () => 0 }).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(err).toMatchObject({ code: 'E_HTTP', details: { attempts: 3 } });
  });

  it('stops retrying once the signal is aborted', async () => {
    const ac = new AbortController();
    let calls = 0;
    await expect(withRetry(policy, async () => { calls++; ac.abort(); throw retryable(); }, { signal: ac.signal, sleep: async () => {} })).rejects.toMatchObject({ code: 'E_HTTP' });
    expect(calls).toBe(1);
  });
});
