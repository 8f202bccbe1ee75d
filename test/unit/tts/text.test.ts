import { describe, expect, it } from 'vitest';
import { chunkText, codePointOffsets, splitSentences, tokenize } from '../../../plugins/tts/text.js';

describe('tokenize', () => {
  it('keeps words as written, drops punctuation-only tokens', () => {
    expect(tokenize('Hi 😀 there, — state-of-the-art 3.5 km ... ok! & more').map((w) => w.text))
      .toEqual(['Hi', '😀', 'there,', 'state-of-the-art', '3.5', 'km', 'ok!', '&', 'more']);
  });
  it('gives UTF-16 offsets into the text, right-to-left included', () => {
    const t = 'שלום  עולם, 😀x';
    for (const w of tokenize(t)) expect(t.slice(w.start, w.end)).toBe(w.text);
  });
});

describe('splitSentences / chunkText', () => {
  const text = 'First one. Second one is here! Third? Fourth, with a clause; and more.';
  it('splits at sentence ends with offsets', () => {
    const s = splitSentences(text);
    expect(s.map((x) => x.text)).toEqual(['First one.', 'Second one is here!', 'Third?', 'Fourth, with a clause; and more.']);
    for (const x of s) expect(text.slice(x.start, x.end)).toBe(x.text);
  });
  it('groups sentences up to the limit and never splits one that fits', () => {
    const c = chunkText(text, 32);
    expect(c.map((x) => x.text)).toEqual(['First one. Second one is here!', 'Third?', 'Fourth, with a clause; and more.']);
    for (const x of c) expect(x.text.length).toBeLessThanOrEqual(32);
  });
  it('one sentence per chunk when asked', () => {
    expect(chunkText(text, 1000, true)).toHaveLength(4);
    expect(chunkText(text, 1000)).toHaveLength(1);
  });
  it('splits an over-long sentence at clauses, then spaces, keeping every word', () => {
    const long = `${'word, '.repeat(300)}end.`;
    const c = chunkText(long, 100);
    for (const x of c) expect(x.text.length).toBeLessThanOrEqual(100);
    expect(c.flatMap((x) => x.words.map((w) => w.text))).toEqual(tokenize(long).map((w) => w.text));
    expect(c[0]!.text.endsWith(',')).toBe(true);
  });
  it('chunk words equal the words of the whole text', () => {
    const t = 'Ünïcode fine. 😀 emoji here! مرحبا بالعالم. Last.';
    expect(chunkText(t, 15).flatMap((x) => x.words.map((w) => w.text))).toEqual(tokenize(t).map((w) => w.text));
  });
});

describe('codePointOffsets', () => {
  it('maps code point indexes to UTF-16 offsets', () => {
    expect(codePointOffsets('a😀b')).toEqual([0, 1, 3, 4]);
  });
});
