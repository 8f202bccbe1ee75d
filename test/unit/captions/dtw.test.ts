import { describe, expect, it } from 'vitest';
import { halve, warp } from '../../../plugins/captions/dtw.js';
import type { Features } from '../../../plugins/captions/mfcc.js';

/** A 2-d feature track that follows a distinct path in time (a "phrase"), sampled at the given positions. */
function track(positions: number[]): Features {
  const data = new Float32Array(positions.length * 2);
  positions.forEach((p, i) => { data[2 * i] = Math.sin(p / 7) * 3 + Math.sin(p / 23); data[2 * i + 1] = Math.cos(p / 11) * 3; });
  return { data, frames: positions.length, dims: 2 };
}
const range = (n: number, f: (i: number) => number = (i) => i) => Array.from({ length: n }, (_, i) => f(i));

function expectValidPath(w: ReturnType<typeof warp>, n: number, m: number) {
  expect([w.a[0], w.b[0]]).toEqual([0, 0]);
  expect([w.a.at(-1), w.b.at(-1)]).toEqual([n - 1, m - 1]);
  for (let p = 1; p < w.a.length; p++) {
    const da = w.a[p]! - w.a[p - 1]!;
    const db = w.b[p]! - w.b[p - 1]!;
    expect(da === 0 || da === 1).toBe(true);
    expect(db === 0 || db === 1).toBe(true);
    expect(da + db).toBeGreaterThan(0);
  }
}

describe('dtw', () => {
  it('warps a sequence onto a copy slowed by 1.5 with a pause inserted', () => {
    const x = track(range(300));
    // y: the first 100 frames at 2/3 speed, a 40-frame hold (a pause), then the rest at 2/3 speed
    const pos = [...range(150, (i) => i / 1.5), ...range(40, () => 100), ...range(300, (i) => 100 + i / 1.5)].filter((p) => p < 300);
    const y = track(pos);
    const w = warp(x, y);
    expectValidPath(w, x.frames, y.frames);
    // every frame of x is paired with frames of y at the same position
    for (let p = 0; p < w.a.length; p++) expect(Math.abs(pos[w.b[p]!]! - w.a[p]!)).toBeLessThanOrEqual(2);
    expect(w.cost).toBeLessThan(0.1);
  });

  it('the multi-resolution warp follows a long sequence warped back and forth', () => {
    const n = 1200;
    const x = track(range(n));
    const pos = range(1500, (i) => (i / 1499) * (n - 1) + 15 * Math.sin((2 * Math.PI * 8 * i) / 1499)).map((p) => Math.max(0, Math.min(n - 1, p)));
    const y = track(pos);
    const w = warp(x, y);
    expectValidPath(w, x.frames, y.frames);
    const err = Array.from(w.a, (a, p) => Math.abs(pos[w.b[p]!]! - a));
    expect(err.reduce((s, e) => s + e, 0) / err.length).toBeLessThan(1.5);
    expect(Math.max(...err)).toBeLessThanOrEqual(8);
  });

  it('costs more between unrelated sequences than between related ones', () => {
    const x = track(range(200));
    const related = warp(x, track(range(260, (i) => i / 1.3)));
    const unrelated = warp(x, track(range(260, (i) => 5000 + i * 1.7)));
    expect(unrelated.cost).toBeGreaterThan(5 * related.cost);
  });

  it('halves by averaging pairs of frames', () => {
    const h = halve({ data: Float32Array.from([1, 2, 3, 4, 5, 6]), frames: 3, dims: 2 });
    expect(Array.from(h.data)).toEqual([2, 3, 5, 6]);
    expect(() => warp({ data: new Float32Array(0), frames: 0, dims: 2 }, h)).toThrow(RangeError);
  });
});
