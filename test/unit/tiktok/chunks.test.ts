/** TikTok's chunk rules (media transfer guide), checked on every plan the planner makes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkRange, MAX_CHUNK, MiB, MIN_CHUNK, planChunks } from '../../../plugins/tiktok/chunks.js';
import { chunkRuleViolation } from '../../servers/tiktok.js';

/** Fixed so every run checks the same cases: a failure seen once is seen again, on any machine. */
const SEED = 2024;

const size = fc.oneof(
  fc.integer({ min: 1, max: 5 * MiB - 1 }),
  fc.integer({ min: 5 * MiB, max: 64 * MiB + 1 }),
  fc.integer({ min: 64 * MiB, max: 4 * 1024 * MiB }),
  fc.constantFrom(1, 5 * MiB - 1, 5 * MiB, 5 * MiB + 1, 64 * MiB - 1, 64 * MiB, 64 * MiB + 1, 128 * MiB, 4 * 1024 * MiB),
);
const preferred = fc.oneof(fc.integer({ min: 1, max: 200 * MiB }), fc.constantFrom(MIN_CHUNK, MAX_CHUNK, 10 * MiB));

describe('planChunks', () => {
  it('follows the rules: < 5 MB whole; else 5–64 MB chunks, floor(size/chunk) of them, trailing bytes in the last (≤ 128 MB), ≤ 1000', () => {
    fc.assert(fc.property(size, preferred, (n, pref) => {
      const p = planChunks(n, pref);
      expect(p.videoSize).toBe(n);
      if (n < 5 * MiB) {
        expect(p).toEqual({ videoSize: n, chunkSize: n, totalChunkCount: 1 });
        return;
      }
      expect(p.chunkSize).toBeLessThanOrEqual(64 * MiB);
      if (p.totalChunkCount > 1) expect(p.chunkSize).toBeGreaterThanOrEqual(5 * MiB);
      expect(p.totalChunkCount).toBe(Math.floor(n / p.chunkSize));
      expect(p.totalChunkCount).toBeGreaterThanOrEqual(1);
      expect(p.totalChunkCount).toBeLessThanOrEqual(1000);
      if (n > 64 * MiB) expect(p.totalChunkCount).toBeGreaterThanOrEqual(2);
      const last = chunkRange(p, p.totalChunkCount - 1);
      expect(last.end).toBe(n - 1);
      expect(last.end - last.start + 1).toBeLessThanOrEqual(128 * MiB);
      expect(chunkRuleViolation(n, p.chunkSize, p.totalChunkCount)).toBeUndefined();
    }), { seed: SEED, numRuns: 2000 });
  });

  it('the ranges cover the file exactly once, in order', () => {
    fc.assert(fc.property(size, preferred, (n, pref) => {
      const p = planChunks(n, pref);
      let next = 0;
      for (let i = 0; i < p.totalChunkCount; i++) {
        const r = chunkRange(p, i);
        expect(r.start).toBe(next);
        expect(r.end).toBeGreaterThanOrEqual(r.start);
        next = r.end + 1;
      }
      expect(next).toBe(n);
    }), { seed: SEED, numRuns: 500 });
  });

  it('examples from the guide', () => {
    expect(planChunks(3 * MiB, 10 * MiB)).toEqual({ videoSize: 3 * MiB, chunkSize: 3 * MiB, totalChunkCount: 1 });
    expect(planChunks(30 * MiB, 64 * MiB)).toEqual({ videoSize: 30 * MiB, chunkSize: 30 * MiB, totalChunkCount: 1 });
    // 50 MB in 10 MB chunks: five, the last taking nothing extra; 57 MB: five, the last 17 MB
    expect(planChunks(57 * MiB, 10 * MiB)).toEqual({ videoSize: 57 * MiB, chunkSize: 10 * MiB, totalChunkCount: 5 });
    expect(chunkRange(planChunks(57 * MiB, 10 * MiB), 4)).toEqual({ start: 40 * MiB, end: 57 * MiB - 1 });
    // over 64 MB is never one chunk
    expect(planChunks(65 * MiB, 64 * MiB)).toEqual({ videoSize: 65 * MiB, chunkSize: Math.floor(65 * MiB / 2), totalChunkCount: 2 });
  });

  it('refuses what no plan can hold', () => {
    expect(() => planChunks(0, MIN_CHUNK)).toThrow(RangeError);
    expect(() => planChunks(65 * 1024 * MiB, MAX_CHUNK)).toThrow(/1000 chunks/);
  });
});
