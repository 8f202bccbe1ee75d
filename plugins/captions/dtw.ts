/**
 * Dynamic time warping between two feature sequences, multi-resolution (FastDTW-style):
 * both sequences are halved (frames averaged in pairs) until the whole cost matrix is small,
 * warped there in full, and each finer level is warped only inside a window around the
 * coarser path widened by `radius` frames. Steps are symmetric with the diagonal weighted
 * twice, so every path's weights add up to n + m and costs compare across paths. Time and
 * memory are linear in the length: 60 s (6,000 × 6,000 frames) takes a fraction of a second.
 */
import type { Features } from './mfcc.js';

export interface Warp {
  /** Path points as pairs (a frame, b frame), from (0, 0) to (n-1, m-1), monotone. */
  a: Int32Array;
  b: Int32Array;
  /** Total weighted distance divided by (n + m): the mean distance per frame. */
  cost: number;
}

/** Largest cost matrix warped in full (cells). */
const FULL_CELLS = 400_000;

/** Euclidean distance between frame i of `x` and frame j of `y`. */
function dist(x: Features, i: number, y: Features, j: number): number {
  const d = x.dims;
  let s = 0;
  for (let k = 0; k < d; k++) {
    const t = x.data[i * d + k]! - y.data[j * d + k]!;
    s += t * t;
  }
  return Math.sqrt(s);
}

/** Frames averaged in pairs (a last odd frame is kept). */
export function halve(f: Features): Features {
  const n = Math.ceil(f.frames / 2);
  const d = f.dims;
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const a = 2 * i;
    const b = Math.min(2 * i + 1, f.frames - 1);
    for (let k = 0; k < d; k++) out[i * d + k] = (f.data[a * d + k]! + f.data[b * d + k]!) / 2;
  }
  return { data: out, frames: n, dims: d };
}

/** For each row, the columns [lo, hi] the path may visit. */
interface Window {
  lo: Int32Array;
  hi: Int32Array;
}

function fullWindow(n: number, m: number): Window {
  return { lo: new Int32Array(n), hi: new Int32Array(n).fill(m - 1) };
}

/** The fine-level window around a coarse path: each coarse cell covers 2×2 fine cells, widened by `radius`. */
function projectWindow(coarse: Warp, n: number, m: number, radius: number): Window {
  const lo = new Int32Array(n).fill(m);
  const hi = new Int32Array(n).fill(-1);
  for (let p = 0; p < coarse.a.length; p++) {
    const i = coarse.a[p]!;
    const j = coarse.b[p]!;
    const r0 = Math.max(0, 2 * i - radius);
    const r1 = Math.min(n - 1, 2 * i + 1 + radius);
    const c0 = Math.max(0, 2 * j - radius);
    const c1 = Math.min(m - 1, 2 * j + 1 + radius);
    for (let r = r0; r <= r1; r++) {
      if (c0 < lo[r]!) lo[r] = c0;
      if (c1 > hi[r]!) hi[r] = c1;
    }
  }
  lo[0] = 0;
  hi[n - 1] = m - 1;
  // rows the path never came near (cannot happen with a connected coarse path) get a neighbour's range
  for (let r = 1; r < n; r++) if (hi[r]! < 0) { lo[r] = lo[r - 1]!; hi[r] = hi[r - 1]!; }
  // each row must reach the next row's start, so a path exists through the window
  for (let r = n - 2; r >= 0; r--) if (hi[r]! < lo[r + 1]! - 1) hi[r] = lo[r + 1]! - 1;
  for (let r = 1; r < n; r++) if (lo[r]! > hi[r - 1]! + 1) lo[r] = hi[r - 1]! + 1;
  return { lo, hi };
}

/** DTW inside `w`; returns the optimal path. */
function warpIn(x: Features, y: Features, w: Window): Warp {
  const n = x.frames;
  const m = y.frames;
  const off = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) off[i + 1] = off[i]! + (w.hi[i]! - w.lo[i]! + 1);
  const D = new Float64Array(off[n]!).fill(Infinity);
  const at = (i: number, j: number): number => (i < 0 || j < w.lo[i]! || j > w.hi[i]! ? Infinity : D[off[i]! + j - w.lo[i]!]!);
  for (let i = 0; i < n; i++) {
    for (let j = w.lo[i]!; j <= w.hi[i]!; j++) {
      const d = dist(x, i, y, j);
      let best: number;
      if (i === 0 && j === 0) best = 2 * d;
      else {
        const diag = at(i - 1, j - 1) + 2 * d;
        const up = at(i - 1, j) + d;
        const left = j > w.lo[i]! ? D[off[i]! + j - 1 - w.lo[i]!]! + d : Infinity;
        best = diag < up ? (diag < left ? diag : left) : (up < left ? up : left);
      }
      D[off[i]! + j - w.lo[i]!] = best;
    }
  }
  const total = at(n - 1, m - 1);
  // the window always holds a path (projectWindow keeps rows connected); never walk back from nowhere
  if (!Number.isFinite(total)) throw new Error(`dtw: no path through the window (${n} × ${m} frames)`);
  const pa: number[] = [];
  const pb: number[] = [];
  let i = n - 1;
  let j = m - 1;
  pa.push(i);
  pb.push(j);
  while (i > 0 || j > 0) {
    const diag = at(i - 1, j - 1);
    const up = at(i - 1, j);
    const left = at(i, j - 1);
    if (diag <= up && diag <= left) { i--; j--; } else if (up <= left) i--; else j--;
    pa.push(i);
    pb.push(j);
  }
  pa.reverse();
  pb.reverse();
  return { a: Int32Array.from(pa), b: Int32Array.from(pb), cost: total / (n + m) };
}

/** The warp between `x` and `y` (both with at least one frame). */
export function warp(x: Features, y: Features, radius = 16): Warp {
  if (x.frames === 0 || y.frames === 0) throw new RangeError('cannot warp an empty sequence');
  if (x.frames * y.frames <= FULL_CELLS || x.frames < 4 || y.frames < 4) return warpIn(x, y, fullWindow(x.frames, y.frames));
  const coarse = warp(halve(x), halve(y), radius);
  return warpIn(x, y, projectWindow(coarse, x.frames, y.frames, radius));
}
