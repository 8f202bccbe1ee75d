/** Caption lines for unspaced scripts: cut into words that fit, punctuation kept off line starts, no spaces added. */
import { describe, expect, it } from 'vitest';
import { buildAss } from '../../../plugins/video/ass.js';
import { resolveCaptionStyle } from '../../../plugins/video/caption-style.js';
import { joinWords, splitUnspaced } from '../../../plugins/video/segment.js';
import { renderInput, type CaptionStyleInput } from '../../../plugins/video/render-schema.js';
import { withDefaults } from '../../helpers/inputs.js';

/** `captionStyle` as `run` gets it: the schema's defaults filled. */
const captionStyle = (given: Record<string, unknown>): CaptionStyleInput => withDefaults(renderInput.properties.captionStyle, given);

const lines = (ass: string) => ass.split('\n').filter((l) => l.startsWith('Dialogue:')).map((l) => l.split(',,0,0,0,,')[1]!.replace(/\{[^}]*\}/g, ''));

describe('unspaced scripts in captions', () => {
  it('a Japanese sentence given as one word becomes lines that fit the frame, without spaces, never starting with 、 or 。', () => {
    const text = '今日はとても良い天気ですね、公園に行きましょう。そして美味しいものを食べましょう。';
    const style = resolveCaptionStyle(captionStyle({ style: 'karaoke' }), 1080, 1920);
    const out = lines(buildAss([{ text, start: 0, end: 6 }], style, 1080, 1920, 6, { language: 'ja' }));
    expect(out.length).toBeGreaterThan(2);
    expect(out.join('')).toBe(text);
    const fit = Math.floor((1080 - style.marginL - style.marginR) / (style.size * 0.55));
    for (const l of out) {
      expect(l).not.toContain(' ');
      expect(l).not.toMatch(/^[、。」）]/);
      expect([...l].length * 2).toBeLessThanOrEqual(fit + 2);
    }
  });

  it('Thai is segmented into words with times in order; spaced scripts are left as they are', () => {
    const words = splitUnspaced([{ text: 'สวัสดีชาวโลกที่สวยงามมากมายเหลือเกิน', start: 1, end: 3 }], 'th', 10);
    expect(words.length).toBeGreaterThan(2);
    expect(words.map((w) => w.text).join('')).toBe('สวัสดีชาวโลกที่สวยงามมากมายเหลือเกิน');
    words.forEach((w, i) => { expect(w.end).toBeGreaterThan(w.start); if (i) expect(w.start).toBeCloseTo(words[i - 1]!.end); });
    expect(words.at(-1)!.end).toBeCloseTo(3);
    expect(splitUnspaced([{ text: 'hello', start: 0, end: 1 }], 'en', 2)).toEqual([{ text: 'hello', start: 0, end: 1 }]);
    expect(joinWords(['Hello', 'world'])).toBe('Hello world');
    expect(joinWords(['今日は', '晴れ', '。'])).toBe('今日は晴れ。');
  });
});
