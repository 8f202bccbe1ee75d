import { describe, expect, it } from 'vitest';
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
