import { describe, expect, it } from 'vitest';
import { cleanWords, groupWords } from '../../../plugins/video/words.js';
import { toSrt, toVtt } from '../../../plugins/video/sidecars.js';
import { assColor, resolveCaptionStyle as resolveStyle } from '../../../plugins/video/caption-style.js';
import { renderInput, type CaptionStyleInput } from '../../../plugins/video/render-schema.js';
import { compileSchema } from '../../../src/infra/ajv.js';
import { buildAss, escapeAss } from '../../../plugins/video/ass.js';

/** `captionStyle` as video.render's `run` gets it: validated, the schema's defaults filled. */
function resolveCaptionStyle(given: Record<string, unknown>, width: number, height: number) {
  const style = structuredClone(given);
  if (!compileSchema(renderInput.properties.captionStyle, true)(style)) throw new Error(`invalid captionStyle ${JSON.stringify(given)}`);
  return resolveStyle(style as CaptionStyleInput, width, height);
}

const w = (text: string, start: number, end: number) => ({ text, start, end });
const words = [w('Hello', 0, 0.4), w('world.', 0.45, 0.9), w('This', 1.0, 1.2), w('is', 1.25, 1.35), w('a', 1.4, 1.45), w('test', 1.5, 1.9), w('again', 3.2, 3.6)];

describe('caption words', () => {
  it('cleans: drops empty words, sorts, clamps overlaps and the end', () => {
    expect(cleanWords([w(' b ', 1, 2.5), w('', 0, 1), w('a', 0, 1.2), w('c', 9, 10)], 3)).toEqual([w('a', 0, 1), w('b', 1, 2.5)]);
  });

  it('groups at sentence ends, pauses and size limits', () => {
    const g = groupWords(words, { maxWords: 3, maxChars: 20 });
    expect(g.map((x) => x.text)).toEqual(['Hello world.', 'This is a', 'test', 'again']);
  });
});

describe('sidecars', () => {
  it('writes SRT and VTT cues', () => {
    expect(toSrt(words)).toBe('1\n00:00:00,000 --> 00:00:00,900\nHello world.\n\n2\n00:00:01,000 --> 00:00:01,900\nThis is a test\n\n3\n00:00:03,200 --> 00:00:03,700\nagain\n');
    expect(toVtt(words)).toBe('WEBVTT\n\n00:00:00.000 --> 00:00:00.900\nHello world.\n\n00:00:01.000 --> 00:00:01.900\nThis is a test\n\n00:00:03.200 --> 00:00:03.700\nagain\n');
  });
});

describe('ASS', () => {
  it('converts CSS colours to ASS &HAABBGGRR', () => {
    expect(assColor('#FFD400')).toBe('&H0000D4FF');
    expect(assColor('#00000080')).toBe('&H7F000000');
    expect(assColor('#abc')).toBe('&H00CCBBAA');
    expect(() => assColor('yellow', 'captionStyle.colors.text')).toThrow(/captionStyle\.colors\.text/);
  });

  it('keeps captions out of the Shorts UI (bottom 20 %, right 15 %) in portrait', () => {
    const s = resolveCaptionStyle({ style: 'karaoke' }, 1080, 1920);
    expect(s.marginV).toBeGreaterThanOrEqual(0.2 * 1920);
    expect(s.marginR).toBeGreaterThanOrEqual(0.15 * 1080);
    expect(s.alignment).toBe(2);
    expect(resolveCaptionStyle({ style: 'karaoke' }, 540, 960).size).toBe(48);
  });

  it('karaoke: one event per line, each word switching to the highlight colour at its start', () => {
    const s = resolveCaptionStyle({ style: 'karaoke', colors: { highlight: '#FF0000' } }, 1080, 1920);
    const events = buildAss(words.slice(0, 2), s, 1080, 1920, 5).split('\n').filter((l) => l.startsWith('Dialogue'));
    expect(events).toEqual([
      'Dialogue: 0,0:00:00.00,0:00:01.25,Cap,,0,0,0,,{\\c&H000000FF\\t(450,450,\\c&H00FFFFFF)}HELLO {\\c&H00FFFFFF\\t(450,450,\\c&H000000FF)}WORLD.',
    ]);
  });

  it('pop shows at most three words per event, classic plain lines', () => {
    const pop = buildAss(words, resolveCaptionStyle({ style: 'pop' }, 1080, 1920), 1080, 1920, 5).split('\n').filter((l) => l.startsWith('Dialogue'));
    for (const e of pop) expect(e.replace(/\{[^}]*\}/g, '').split(',').slice(9).join(',').split(' ').length).toBeLessThanOrEqual(3);
    const classic = buildAss(words, resolveCaptionStyle({ style: 'classic' }, 1080, 1920), 1080, 1920, 5);
    expect(classic).toContain(',Cap,,0,0,0,,This is a test');
  });

  it('escapes override braces and backslashes in the text', () => {
    expect(escapeAss('{\\b1}x\\N')).toBe('｛＼b1｝x＼N');
  });
});
