import { describe, expect, it } from 'vitest';
import { loopedOnsets, snapBoundsToBeats } from '../../../plugins/video/beats.js';
import { buildTimeline } from '../../../plugins/video/timeline.js';
import { detectOnsets } from '../../../plugins/video/music-analysis.js';

describe('scene boundaries on beats', () => {
  it('moves each inner boundary to the nearest onset within the tolerance, never the ends', () => {
    // 30 fps; bounds at 0, 1.333, 2.667, 4 s; beats every 0.5 s from 0.2 s
    const beats = [0.2, 0.7, 1.2, 1.7, 2.2, 2.7, 3.2, 3.7];
    expect(snapBoundsToBeats([0, 40, 80, 120], beats, 30, { toleranceSec: 0.25, minFrames: 15 })).toEqual([0, 36, 81, 120]);
    // out of tolerance: stays
    expect(snapBoundsToBeats([0, 40, 80, 120], beats, 30, { toleranceSec: 0.1, minFrames: 15 })).toEqual([0, 40, 81, 120]);
  });

  it('keeps order and minimum scene lengths: a boundary that would make a scene too short stays', () => {
    // the only beat near 20 would leave the first scene 9 frames long
    expect(snapBoundsToBeats([0, 20, 60, 90], [0.3], 30, { toleranceSec: 0.5, minFrames: 15 })).toEqual([0, 20, 60, 90]);
    // two boundaries wanting the same beat: the second keeps its place
    const out = snapBoundsToBeats([0, 30, 36, 90], [1.1], 30, { toleranceSec: 0.25, minFrames: 3 });
    expect(out).toEqual([0, 33, 36, 90]);
    for (let i = 1; i < out.length; i++) expect(out[i]! - out[i - 1]!).toBeGreaterThanOrEqual(3);
  });

  it('repeats the onsets of a looped track over the video, and buildTimeline puts its crossfades around the snapped boundaries', () => {
    expect(loopedOnsets([0.5, 1.5], 2, 5)).toEqual([0.5, 1.5, 2.5, 3.5, 4.5]);
    const t = buildTimeline(4, [1, 1, 1], 30, 0.2, (b) => snapBoundsToBeats(b, [1.2, 2.7], 30, { toleranceSec: 0.25, minFrames: 15 }));
    // fade 6 frames, centred on 36 and 81
    expect(t.transitions).toEqual([33, 78]);
    expect(t.slots.map((s) => [s.startFrame, s.frames])).toEqual([[0, 39], [33, 51], [78, 42]]);
  });

  it('a steady tone has no onsets; a click every 0.25 s has one per click', () => {
    const rate = 11025;
    const steady = Float32Array.from({ length: rate * 2 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / rate));
    expect(detectOnsets(steady, rate)).toEqual([]);
    // hiss 50 dB under the music, switching on and off from digital silence, is no beat; the music's entry is
    const hissThenTone = Float32Array.from({ length: rate * 2 }, (_, i) => (i < rate ? (Math.floor(i / 2000) % 2 ? 0.001 * Math.sin(i * 1.7) : 0) : steady[i]!));
    const entry = detectOnsets(hissThenTone, rate);
    expect(entry).toHaveLength(1);
    expect(Math.abs(entry[0]! - 1)).toBeLessThan(0.03);
    const clicks = Float32Array.from({ length: rate * 2 }, (_, i) => ((i % (rate / 4)) < 200 ? 0.8 * Math.sin((2 * Math.PI * 1000 * i) / rate) : 0));
    const on = detectOnsets(clicks, rate);
    expect(on.length).toBe(7); // the one at 0 has no frame before it to rise from
    on.forEach((t, k) => expect(Math.abs(t - 0.25 * (k + 1))).toBeLessThan(0.03));
  });
});
