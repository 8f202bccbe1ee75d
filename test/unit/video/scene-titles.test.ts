import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../../plugins/video/timeline.js';
import { buildAss } from '../../../plugins/video/ass.js';
import { resolveCaptionStyle } from '../../../plugins/video/caption-style.js';
import { sceneTitleLines, sceneTitleTimes, withSceneTitles } from '../../../plugins/video/scene-titles.js';

const style = (position?: 'top' | 'center' | 'bottom') => resolveCaptionStyle({ style: 'karaoke', font: 'Montserrat ExtraBold', ...(position && { position }) }, 1080, 1920);

describe('scene titles', () => {
  it('are up only while their visual is alone on screen, never during a crossfade', () => {
    // 6 s, three visuals, 1 s fades centred on 2 s and 4 s
    const t = buildTimeline(6, [1, 1, 1], 30, 1);
    const times = sceneTitleTimes(['ONE', 'TWO', 'THREE'], t);
    expect(times).toEqual([
      { text: 'ONE', start: 0, end: 1.5 },
      { text: 'TWO', start: 2.5, end: 3.5 },
      { text: 'THREE', start: 4.5, end: 6 },
    ]);
    // rounding to ASS centiseconds stays inside the solo part: fades of 14 frames at 30 fps
    const odd = buildTimeline(6, [1, 1, 1], 30, 0.5);
    for (const [i, s] of sceneTitleTimes(['a', 'b', 'c'], odd).entries()) {
      if (i > 0) expect(s.start).toBeGreaterThanOrEqual((odd.transitions[i - 1]! + odd.fadeFrames) / 30);
      if (i < 2) expect(s.end).toBeLessThanOrEqual(odd.transitions[i]! / 30);
    }
  });

  it('skip visuals without a title and cover the whole scene with hard cuts', () => {
    const t = buildTimeline(4, [1, 1], 25, 0);
    expect(sceneTitleTimes([undefined, '  '], t)).toEqual([]);
    expect(sceneTitleTimes(['A', 'B'], t)).toEqual([{ text: 'A', start: 0, end: 2 }, { text: 'B', start: 2, end: 4 }]);
  });

  it('fade in and out, are escaped, and sit at the top unless the captions do', () => {
    const lines = sceneTitleLines([{ text: 'tom {&} jerry', start: 0, end: 1.5 }, { text: 'x', start: 2, end: 2.3 }], style(), 1080, 1920);
    expect(lines.events[0]).toBe('Dialogue: 1,0:00:00.00,0:00:01.50,SceneTitle,,0,0,0,,{\\fad(250,250)}TOM ｛&｝ JERRY');
    // a short scene gets a shorter fade, so the title is fully up at some point
    expect(lines.events[1]).toContain('{\\fad(100,100)}');
    expect(lines.style.split(',')[18]).toBe('8');
    expect(sceneTitleLines([], style('top'), 1080, 1920).style.split(',')[18]).toBe('2');
  });

  it('join the caption script as a second style with their own events', () => {
    const captions = buildAss([{ text: 'hello', start: 0, end: 0.5 }], style(), 1080, 1920, 2);
    const lines = sceneTitleLines([{ text: 'sea', start: 0, end: 1 }], style(), 1080, 1920);
    const merged = withSceneTitles(captions, lines, 1080, 1920);
    const [head, events] = merged.split('[Events]');
    expect(head).toContain('Style: Cap,');
    expect(head).toContain('Style: SceneTitle,');
    expect(events).toContain(',Cap,');
    expect(events!.trim().split('\n').at(-1)).toContain(',SceneTitle,');
    // titles alone (no captions burned) make a complete script
    const alone = withSceneTitles(undefined, lines, 1080, 1920);
    expect(alone).toContain('[V4+ Styles]');
    expect(alone).toContain('Style: SceneTitle,');
    expect(alone.trim().split('\n').at(-1)).toContain('SEA');
  });
});
