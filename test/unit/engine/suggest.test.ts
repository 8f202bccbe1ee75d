import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../../src/infra/suggest.js';

describe('suggestions', () => {
  it('edit distance counts insertions, deletions, changes and neighbour swaps as one', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('script', 'sctipr')).toBe(2);
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('voice', 'viose')).toBe(2);
  });

  it('suggests the first closest candidate within a third of the word, nothing farther', () => {
    expect(closest('scirpt', ['image', 'script', 'scripts'])).toBe('script');
    expect(closest('imgae', ['voice', 'image'])).toBe('image');
    expect(closest('zzzzzz', ['script'])).toBeUndefined();
    expect(didYouMean('Voice', ['voice'])).toBe(' (did you mean "voice"?)');
    expect(closest('a', ['b', 'c'])).toBe('b');
  });

});
