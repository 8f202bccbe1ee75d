import { describe, expect, it } from 'vitest';
import { buildTimeline, sampleFrames } from '../../../plugins/video/timeline.js';

describe('buildTimeline', () => {
  it('splits frames equally and centres even-length crossfades on the boundaries', () => {
    const t = buildTimeline(6, [1, 1, 1], 30, 0.5);
    expect(t.totalFrames).toBe(180);
    expect(t.fadeFrames).toBe(14);
    expect(t.slots.map((s) => [s.startFrame, s.frames])).toEqual([[0, 67], [53, 74], [113, 67]]);
    expect(t.transitions).toEqual([53, 113]);
    // clip lengths minus the overlaps add up to the video exactly
    expect(t.slots.reduce((n, s) => n + s.frames, 0) - 2 * t.fadeFrames).toBe(180);
  });

  it('honours weights and shrinks the fade to fit the shortest slot', () => {
    const t = buildTimeline(4, [3, 1], 30, 2);
    expect(t.totalFrames).toBe(120);
    expect(t.fadeFrames).toBe(14);
    expect(t.transitions).toEqual([83]);
  });

  it('has no fade for one visual or cuts', () => {
    expect(buildTimeline(3, [1], 30, 0.5).fadeFrames).toBe(0);
    expect(buildTimeline(3, [1, 1], 30, 0).fadeFrames).toBe(0);
  });

  it('samples distinct frames inside the video', () => {
    expect(sampleFrames(1800, 9)).toEqual([100, 300, 500, 700, 900, 1100, 1300, 1500, 1700]);
    expect(sampleFrames(4, 9)).toEqual([0, 1, 2, 3]);
  });
});
