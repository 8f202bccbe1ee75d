/**
 * Voice activity from frame energy (10 ms frames): a threshold between the noise floor (a low
 * percentile of the frame energies) and the speech level (a high one), so it follows the
 * recording's own level and noise; gaps shorter than a word's stop closure are bridged, and a
 * blip of noise far from any speech (shorter than any syllable, 300 ms or more from the rest)
 * is not speech — else a click in the lead-in would start the speech a second early.
 */

/** Frames: speech runs shorter than this, at least BLIP_GAP frames from other speech, are noise. */
const BLIP_FRAMES = 5;
const BLIP_GAP = 30;

export interface Activity {
  /** One flag per frame: speech. */
  speech: Uint8Array;
  /** Threshold used, in dB. */
  thresholdDb: number;
}

/** Silent runs of frames [start, end) between speech. */
export interface Run {
  start: number;
  end: number;
}

function percentile(values: Float32Array, p: number): number {
  const s = Float32Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.round((s.length - 1) * p)))] ?? -100;
}

/** Speech frames of a recording; gaps of up to `bridge` frames inside speech count as speech. */
export function detectSpeech(energyDb: Float32Array, bridge = 3): Activity {
  const peak = percentile(energyDb, 0.95);
  // digital silence would drag the floor to -100 dB: nothing 60 dB under the speech matters
  const floor = Math.max(percentile(energyDb, 0.1), peak - 60);
  const thresholdDb = floor + Math.max(6, 0.3 * (peak - floor));
  const speech = new Uint8Array(energyDb.length);
  for (let i = 0; i < energyDb.length; i++) speech[i] = energyDb[i]! > thresholdDb ? 1 : 0;
  for (const r of silentRuns(speech, 1)) if (r.end - r.start <= bridge && r.start > 0 && r.end < speech.length) speech.fill(1, r.start, r.end);
  dropBlips(speech);
  return { speech, thresholdDb };
}

/** Clears short speech runs with a long silence on both sides. */
function dropBlips(speech: Uint8Array): void {
  const runs = runsOf(speech, 1, 1);
  runs.forEach((r, i) => {
    const before = i > 0 ? r.start - runs[i - 1]!.end : Infinity;
    const after = i + 1 < runs.length ? runs[i + 1]!.start - r.end : Infinity;
    if (r.end - r.start < BLIP_FRAMES && Math.min(before, after) >= BLIP_GAP) speech.fill(0, r.start, r.end);
  });
}

/** Runs of at least `min` silent frames. */
export const silentRuns = (speech: Uint8Array, min: number): Run[] => runsOf(speech, 0, min);

/** Runs of at least `min` frames flagged `value`. */
function runsOf(flags: Uint8Array, value: 0 | 1, min: number): Run[] {
  const out: Run[] = [];
  let start = -1;
  for (let i = 0; i <= flags.length; i++) {
    const inside = i < flags.length && flags[i] === value;
    if (inside && start < 0) start = i;
    if (!inside && start >= 0) {
      if (i - start >= min) out.push({ start, end: i });
      start = -1;
    }
  }
  return out;
}

/** First and last speech frame + 1; undefined when there is no speech. */
export function speechSpan(speech: Uint8Array): Run | undefined {
  const first = speech.indexOf(1);
  if (first < 0) return undefined;
  return { start: first, end: speech.lastIndexOf(1) + 1 };
}
