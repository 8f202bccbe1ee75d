/**
 * The timeline: how many frames each visual gets and where the crossfades sit. Everything is
 * counted in whole frames so clip lengths, xfade offsets and the total agree exactly.
 */
export interface Slot {
  /** Index of the visual. */
  index: number;
  /** First output frame this clip's stream covers (transition overlap included). */
  startFrame: number;
  /** Number of frames the clip's stream must supply. */
  frames: number;
}

export interface Timeline {
  fps: number;
  totalFrames: number;
  /** Crossfade length in frames (0 = hard cuts). */
  fadeFrames: number;
  slots: Slot[];
  /** Output frame at which transition i (between slot i and i+1) starts. */
  transitions: number[];
}

/** Frames of a video of `durationSec` (at least one). */
export function frameCount(durationSec: number, fps: number): number {
  return Math.max(1, Math.round(durationSec * fps));
}

/**
 * Splits the body's frames between visuals by `weights` (equal when all 1). Each boundary b gets
 * a crossfade centred on it: clip i runs from b_i - f/2 to b_{i+1} + f/2 (clamped to the video).
 * `snap` may move the body's inner boundaries (onto the music's beats, beats.ts). `ends` adds
 * the brand's intro and outro (whole frames) as the first and last slots: the body starts at
 * the intro's last frame, and its boundaries with them never move.
 */
export function buildTimeline(durationSec: number, weights: number[], fps: number, fadeSec: number, snap?: (bounds: number[]) => number[], ends: { introFrames: number; outroFrames: number } = { introFrames: 0, outroFrames: 0 }): Timeline {
  const bodyFrames = frameCount(durationSec, fps);
  const { introFrames: I, outroFrames: O } = ends;
  const sum = weights.reduce((a, b) => a + b, 0);
  let body: number[] = [I];
  let acc = 0;
  for (let i = 0; i < weights.length - 1; i++) {
    acc += weights[i]!;
    body.push(I + Math.round((acc / sum) * bodyFrames));
  }
  body.push(I + bodyFrames);
  if (snap) body = snap(body);
  const totalFrames = I + bodyFrames + O;
  const bounds = [...(I > 0 ? [0] : []), ...body, ...(O > 0 ? [totalFrames] : [])];
  const n = bounds.length - 1;
  const shortest = Math.min(...bounds.slice(1).map((b, i) => b - bounds[i]!));
  // a fade never eats more than half of the shortest slot, and is an even number of frames
  let fadeFrames = n > 1 ? Math.round(fadeSec * fps) : 0;
  fadeFrames = Math.min(fadeFrames, Math.floor(shortest / 2));
  fadeFrames -= fadeFrames % 2;
  const half = fadeFrames / 2;
  const slots: Slot[] = [];
  const transitions: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = i === 0 ? 0 : bounds[i]! - half;
    const end = i === n - 1 ? totalFrames : bounds[i + 1]! + half;
    slots.push({ index: i, startFrame: start, frames: Math.max(1, end - start) });
    if (i > 0) transitions.push(bounds[i]! - half);
  }
  return { fps, totalFrames, fadeFrames, slots, transitions };
}

/** Frame indices spread evenly over the video (for the contact sheet), avoiding the very ends. */
export function sampleFrames(totalFrames: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(Math.min(totalFrames - 1, Math.floor(((i + 0.5) / count) * totalFrames)));
  return [...new Set(out)];
}
