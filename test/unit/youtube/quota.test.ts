import { describe, expect, it } from 'vitest';
import { pacificDay, QuotaTracker } from '../../../plugins/youtube/quota.js';
import { isMpv2Error } from '../../../src/errors.js';
import type { KeyValueStore } from '../../../src/plugin/types.js';

function memoryStore(): KeyValueStore {
  const m = new Map<string, unknown>();
  return {
    async get(k) { return m.get(k) as never; },
    async set(k, v) { m.set(k, v); },
    async delete(k) { m.delete(k); },
    async list(p) { return [...m].filter(([k]) => k.startsWith(p)).map(([key, value]) => ({ key, value })) as never; },
    async add(k, v) { if (m.has(k)) return false; m.set(k, v); return true; },
    async increment(k, by = 1) { const n = Number(m.get(k) ?? 0) + by; m.set(k, n); return n; },
  };
}

describe('Data API quota per OAuth client and Pacific day', () => {
  it('days change at midnight Pacific time, not UTC', () => {
    expect(pacificDay(Date.parse('2030-01-02T07:59:00Z'))).toBe('2030-01-01');
    expect(pacificDay(Date.parse('2030-01-02T08:00:00Z'))).toBe('2030-01-02');
    expect(pacificDay(Date.parse('2030-07-02T07:00:00Z'))).toBe('2030-07-02'); // PDT
  });

  it('counts units and uploads in their own buckets; refuses a call that would go over', async () => {
    let now = Date.parse('2030-01-01T12:00:00Z');
    const store = memoryStore();
    const q = new QuotaTracker(store, 'client-1', { unitsPerDay: 500, uploadsPerDay: 2, legacy: false }, () => now);
    await q.spend('videos.insert');
    await q.spend('captions.insert');
    expect(await q.usage()).toEqual({ units: 400, uploads: 1, searches: 0 });
    await q.check(['videos.insert', 'thumbnails.set', 'playlistItems.insert']);
    const e = await q.check(['videos.insert', 'captions.insert']).catch((x: unknown) => x);
    expect(isMpv2Error(e) && e.code).toBe('E_RATE_LIMITED');
    expect((e as Error).message).toContain('400 of 500 quota units');
    expect(isMpv2Error(e) && e.retryAfterMs).toBeGreaterThan(0);
    // another client has its own quota; the next Pacific day starts from zero
    await new QuotaTracker(store, 'client-2', { unitsPerDay: 500, uploadsPerDay: 2, legacy: false }, () => now).check(['captions.insert']);
    now += 86_400_000;
    expect(await q.usage()).toEqual({ units: 0, uploads: 0, searches: 0 });
  });

  it('legacy mode counts videos.insert as 1600 units', async () => {
    const q = new QuotaTracker(memoryStore(), 'c', { unitsPerDay: 10_000, uploadsPerDay: 100, legacy: true });
    for (let i = 0; i < 6; i++) await q.spend('videos.insert');
    const e = await q.spend('videos.insert').catch((x: unknown) => x);
    expect((e as Error).message).toContain('9600 of 10000');
  });

  it('after YouTube says quotaExceeded the bucket is full for the day', async () => {
    const q = new QuotaTracker(memoryStore(), 'c', { unitsPerDay: 10_000, uploadsPerDay: 100, legacy: false });
    await q.exhaust('videos.insert');
    await expect(q.check(['videos.insert'])).rejects.toThrow(/100 of 100 videos.insert calls/);
    await q.check(['thumbnails.set']);
  });
});
