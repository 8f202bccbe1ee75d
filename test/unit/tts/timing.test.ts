import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../plugins/tts/text.js';
import { estimateWords, speechBounds, spokenWeight, wordsFromMarks } from '../../../plugins/tts/timing.js';

describe('speechBounds', () => {
  it('skips leading and trailing silence', () => {
    expect(speechBounds(3, [{ start: 0, end: 0.2 }, { start: 1, end: 1.3 }, { start: 2.6, end: 3 }])).toEqual({ start: 0.2, end: 2.6 });
    expect(speechBounds(3, [])).toEqual({ start: 0, end: 3 });
  });
});

describe('estimateWords', () => {
  it('places words in proportion to spoken length', () => {
    const w = estimateWords(tokenize('a bbbbbbb'), 1, []);
    expect(w[0]!.start).toBe(0);
    expect(w[1]!.start).toBeCloseTo(spokenWeight('a') / (spokenWeight('a') + spokenWeight('bbbbbbb')), 6);
    expect(w[1]!.end).toBe(1);
  });
  it('puts detected pauses into the word gaps they belong to (punctuation preferred)', () => {
    // "one two, three four": the pause at 1.0–1.3 s is the comma
    const w = estimateWords(tokenize('one two, three four'), 2.5, [{ start: 0, end: 0.1 }, { start: 1.0, end: 1.3 }, { start: 2.4, end: 2.5 }]);
    expect(w[1]!.end).toBeCloseTo(1.0, 6);
    expect(w[2]!.start).toBeCloseTo(1.3, 6);
    expect(w[0]!.start).toBeCloseTo(0.1, 6);
    expect(w[3]!.end).toBeCloseTo(2.4, 6);
  });
  it('leaves a pause unassigned when there are more pauses than gaps', () => {
    const w = estimateWords(tokenize('single'), 1, [{ start: 0.3, end: 0.4 }, { start: 0.6, end: 0.7 }]);
    expect(w).toEqual([{ text: 'single', start: 0, end: 1 }]);
  });
});

describe('wordsFromMarks', () => {
  it('starts words at their marks, ends them at the next word or a pause', () => {
    const words = tokenize('Hello big world. Again');
    const marks = [{ index: 0, start: 0.05 }, { index: 6, start: 0.4 }, { index: 10, start: 0.7 }, { index: 17, start: 1.6 }];
    const w = wordsFromMarks(words, marks, 2.2, [{ start: 1.2, end: 1.55 }, { start: 2.0, end: 2.2 }]);
    expect(w.map((x) => [x.start, x.end])).toEqual([[0.05, 0.4], [0.4, 0.7], [0.7, 1.2], [1.6, 2.0]]);
  });
  it('fills words the engine skipped (emoji) between their neighbours', () => {
    const words = tokenize('Hi 😀 there');
    const w = wordsFromMarks(words, [{ index: 0, start: 0 }, { index: 6, start: 1 }], 1.5, []);
    expect(w[1]!.start).toBeGreaterThan(0);
    expect(w[1]!.start).toBeLessThan(1);
    expect(w[2]!.start).toBe(1);
  });
  it('uses mark ends when the engine gives them', () => {
    const w = wordsFromMarks(tokenize('a b'), [{ index: 0, start: 0.1, end: 0.3 }, { index: 2, start: 0.5, end: 0.9 }], 1, []);
    expect(w).toEqual([{ text: 'a', start: 0.1, end: 0.3 }, { text: 'b', start: 0.5, end: 0.9 }]);
  });
});
