/**
 * whisper.cpp's timed tokens joined into words (pieceWords): sub-word pieces, punctuation,
 * timestamp-only pieces, characters split between byte-level tokens, times made to run forward.
 */
import { describe, expect, it } from 'vitest';
import { pieceWords } from '../../../plugins/captions/transcript-words.js';

const p = (text: string, start: number, end: number) => ({ text, start, end });

describe('pieceWords', () => {
  it('joins sub-word tokens into words, a word beginning at a token that starts with a space', () => {
    // what whisper.cpp gives with token_timestamps and max_len = 1: an empty piece for the
    // segment's leading timestamp token, then one piece per text token
    const pieces = [p('', 0, 0), p(' Hel', 0, 0.3), p('lo', 0.3, 0.49), p(',', 0.49, 0.52), p(' brave', 0.52, 1), p(' new', 1, 1.37), p(' wor', 1.37, 1.74), p('ld', 1.74, 1.95), p('.', 1.95, 2)];
    expect(pieceWords(pieces, ' Hello, brave new world.')).toEqual([
      { text: 'Hello,', start: 0, end: 0.52 },
      { text: 'brave', start: 0.52, end: 1 },
      { text: 'new', start: 1, end: 1.37 },
      { text: 'world.', start: 1.37, end: 2 },
    ]);
  });

  it('spells a character split between two byte-level tokens from the whole transcript', () => {
    // " naïve" as " na" + 0xC3 + 0xAF "ve": each piece holding half of "ï" decodes to U+FFFD
    const pieces = [p(' na', 0.1, 0.3), p('\uFFFD', 0.3, 0.35), p('\uFFFDve', 0.35, 0.6), p(' art', 0.7, 1)];
    expect(pieceWords(pieces, ' naïve art')).toEqual([
      { text: 'naïve', start: 0.1, end: 0.6 },
      { text: 'art', start: 0.7, end: 1 },
    ]);
  });

  it('keeps the pieces\' own spelling when the whole transcript does not split into as many words', () => {
    expect(pieceWords([p(' a', 0, 0.1), p(' b', 0.1, 0.2)], 'ab')).toEqual([{ text: 'a', start: 0, end: 0.1 }, { text: 'b', start: 0.1, end: 0.2 }]);
  });

  it('splits a piece holding a space inside, and never lets a word start before the previous one ends', () => {
    // both words of the first piece share its times; the second piece's times run backwards
    expect(pieceWords([p(' one two', 0, 0.5), p(' three', 0.4, 0.3)], ' one two three')).toEqual([
      { text: 'one', start: 0, end: 0.5 },
      { text: 'two', start: 0.5, end: 0.5 },
      { text: 'three', start: 0.5, end: 0.5 },
    ]);
  });

  it('gives no words for silence', () => {
    expect(pieceWords([p('', 0, 0)], '')).toEqual([]);
    expect(pieceWords([], '')).toEqual([]);
  });
});
