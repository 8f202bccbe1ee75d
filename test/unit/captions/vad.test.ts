import { describe, expect, it } from 'vitest';
import { detectSpeech, silentRuns, speechSpan } from '../../../plugins/captions/vad.js';

/** Frame energies: `segments` of [frames, dB]. */
const energies = (...segments: Array<[number, number]>) => Float32Array.from(segments.flatMap(([n, db]) => Array<number>(n).fill(db)));

describe('voice activity', () => {
  it('finds speech between leading and trailing silence, and the pauses inside', () => {
    const e = energies([50, -70], [80, -20], [20, -65], [60, -22], [2, -60], [40, -21], [70, -72]);
    const { speech } = detectSpeech(e);
    expect(speechSpan(speech)).toEqual({ start: 50, end: 252 });
    // the 20-frame pause is one; the 2-frame dip (a stop consonant) is bridged
    expect(silentRuns(speech, 8).filter((r) => r.start > 50 && r.end < 250)).toEqual([{ start: 130, end: 150 }]);
  });

  it('follows the noise floor: speech over noise at -40 dB is still found', () => {
    const e = energies([50, -40], [100, -15], [30, -41], [100, -16], [50, -39]);
    const { speech, thresholdDb } = detectSpeech(e);
    expect(thresholdDb).toBeGreaterThan(-39);
    expect(speechSpan(speech)).toEqual({ start: 50, end: 280 });
  });

  it('has no speech span in silence', () => {
    expect(speechSpan(detectSpeech(energies([100, -100])).speech)).toBeUndefined();
  });
});
