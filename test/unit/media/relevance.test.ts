import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSection } from 'mpv2/testing';
import { checkMedia } from '../../../plugins/media/check.js';
import { mediaConfigSchema } from '../../../plugins/media/config.js';
import { createHttpClient } from '../../../src/infra/http.js';
import { broaderQueries, contentWords, relevance, sentenceQuery, slugWords, splitSentences } from '../../../plugins/media/relevance.js';

describe('media relevance words', () => {
  it('drops stop words and stems lightly, the same on both sides', () => {
    expect(contentWords('The cats were running through cities!')).toEqual(['cat', 'run', 'city']);
    expect(contentWords('Sleeping cat, photo 123')).toEqual(['sleep', 'cat']);
    expect(slugWords('https://www.pexels.com/photo/brown-rocks-at-dawn-2014422/')).toBe('brown rocks at dawn 2014422');
  });
  it('scores the share of up to three sentence words, deterministically', () => {
    const s = contentWords('Waves crash on the ocean at dawn.');
    expect(relevance(s, contentWords('Ocean waves at dawn'))).toBe(1);
    expect(relevance(s, contentWords('ocean'))).toBe(0.33);
    expect(relevance(s, contentWords('office desk'))).toBe(0);
  });
  it('splits a script into sentences and makes one keyword query each, with broader fallbacks', () => {
    expect(splitSentences('One ocean. Two cities!\n\nThree')).toEqual(['One ocean.', 'Two cities!', 'Three']);
    expect(sentenceQuery('Waves crash on the ocean at dawn.')).toBe('waves crash ocean');
    expect(broaderQueries('night falls neon')).toEqual(['night falls', 'night']);
  });
});

describe('mpv2 doctor: media.library', () => {
  it('reports the library folder, and an error when it does not exist', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mpv2-lib-'));
    mkdirSync(join(root, 'broll'));
    const check = async (library: string) => {
      const results = await checkMedia({ config: configSection(mediaConfigSchema, { library }), secrets: {}, root, http: createHttpClient(), signal: new AbortController().signal });
      return results.find((r) => r.name === 'media: library');
    };
    expect(await check('broll')).toMatchObject({ ok: true, level: 'ok' });
    expect(await check('broll/**/*.jpg')).toMatchObject({ ok: true, level: 'ok' });
    expect(await check('missing')).toMatchObject({ ok: false, level: 'error', message: expect.stringMatching(/media.library "missing"/) });
  });
});
