/**
 * Moves scene boundaries onto the music's onsets: each boundary goes to the nearest onset within
 * a tolerance, when that keeps every scene at least `minFrames` long; otherwise it stays. Order
 * is kept, and only boundaries move (captions follow the voice, not the scenes).
 */

/** Onset times of a track looped over `durationSec` (the bed is `-stream_loop`ed from 0). */
export function loopedOnsets(onsets: number[], trackSec: number, durationSec: number): number[] {
  if (onsets.length === 0 || trackSec <= 0) return [];
  const out: number[] = [];
  for (let k = 0; k * trackSec < durationSec; k++) for (const t of onsets) if (k * trackSec + t < durationSec) out.push(k * trackSec + t);
  return out;
}

/** `bounds` are frame numbers [0, b1, …, total]; returns new bounds with the inner ones snapped. */
export function snapBoundsToBeats(bounds: number[], beatsSec: number[], fps: number, opts: { toleranceSec: number; minFrames: number }): number[] {
  if (beatsSec.length === 0 || bounds.length < 3) return bounds;
  const out = [...bounds];
  const tol = opts.toleranceSec * fps;
  for (let i = 1; i < out.length - 1; i++) {
    const b = out[i]!;
    let best: number | undefined;
    for (const s of beatsSec) {
      const f = Math.round(s * fps);
      if (Math.abs(f - b) <= tol && (best === undefined || Math.abs(f - b) < Math.abs(best - b))) best = f;
    }
    if (best === undefined) continue;
    // the previous boundary is final; the next one only ever moves after being checked against this one
    if (best - out[i - 1]! >= opts.minFrames && out[i + 1]! - best >= opts.minFrames) out[i] = best;
  }
  return out;
}
