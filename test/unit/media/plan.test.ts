import { describe, expect, it } from 'vitest';
import { planSlots } from '../../../plugins/media/plan.js';
import { displayText } from '../../../plugins/media/generate/keywords.js';
import { globBase, globToRegExp } from '../../../plugins/media/glob.js';
import { matchScore, tokens } from '../../../plugins/media/match.js';
import { createRng } from '../../../plugins/media/random.js';
import { slug } from '../../../plugins/media/materialize.js';

describe('planSlots', () => {
  it('gives one slot per query by default, grouped in query order for a count', () => {
    expect(planSlots({ queries: ['a', 'b'], type: 'photo' }).slots.map((s) => s.query)).toEqual(['a', 'b']);
    expect(planSlots({ queries: ['a', 'b'], count: 5, type: 'photo' }).slots.map((s) => s.query)).toEqual(['a', 'a', 'a', 'b', 'b']);
    expect(planSlots({ queries: ['a', 'b', 'c'], count: 2, type: 'photo' }).slots.map((s) => s.query)).toEqual(['a', 'b']);
    expect(planSlots({ queries: 'sea', count: 3, type: 'photo' }).slots.map((s) => s.query)).toEqual(['sea', 'sea', 'sea']);
    expect(planSlots({ queries: 'sea', type: 'photo' }).slots).toHaveLength(1);
  });

  it('derives a stable seed from the queries; slot seeds differ', () => {
    const a = planSlots({ queries: ['x', 'y'], type: 'photo' });
    expect(planSlots({ queries: ['x', 'y'], type: 'photo' }).seed).toBe(a.seed);
    expect(planSlots({ queries: ['x', 'z'], type: 'photo' }).seed).not.toBe(a.seed);
    expect(planSlots({ queries: ['x', 'y'], seed: 5, type: 'photo' }).seed).toBe('5');
    expect(new Set(planSlots({ queries: 'x', count: 4, type: 'photo' }).slots.map((s) => s.seed)).size).toBe(4);
  });

  it('alternates clip and photo for mixed, clip first', () => {
    expect(planSlots({ queries: 'x', count: 3, type: 'mixed' }).slots.map((s) => s.want)).toEqual(['video', 'photo', 'video']);
    expect(planSlots({ queries: 'x', count: 2, type: 'video' }).slots.map((s) => s.want)).toEqual(['video', 'video']);
  });

  it('refuses empty queries and a bad count', () => {
    expect(() => planSlots({ queries: ['  ', ''], type: 'photo' })).toThrow(/at least one non-empty/);
    expect(() => planSlots({ queries: 'x', count: 0, type: 'photo' })).toThrow(/integer from 1 to 100/);
  });
});

describe('displayText', () => {
  it('keeps short queries whole and cuts long ones to keywords', () => {
    expect(displayText('a day at the sea').text).toBe('DAY AT THE SEA');
    expect(displayText('how to make sourdough bread').text).toBe('SOURDOUGH BREAD');
    expect(displayText('the the').text).toBe('THE THE');
    expect(displayText('a very long query about the mountains and the rivers of the north').text).toBe('LONG QUERY MOUNTAINS RIVERS NORTH');
  });

  it('drops emoji and control characters, keeps RTL text, caps the length on a grapheme', () => {
    expect(displayText('cats 🐱‍👤 and dogs 🇫🇷').text).toBe('CATS AND DOGS');
    expect(displayText('مرحبا بالعالم').text).toBe('مرحبا بالعالم');
    expect(displayText('🔥🔥🔥').text).toBe('');
    const long = displayText('supercalifragilisticexpialidocious antidisestablishmentarianism floccinaucinihilipilification');
    expect(long.text.length).toBeLessThanOrEqual(48);
    expect(long.text.endsWith('…')).toBe(true);
  });
});

describe('glob and keyword matching', () => {
  it('turns globs into anchored patterns', () => {
    expect(globBase('photos/**/*.jpg')).toBe('photos');
    expect(globBase('*.png')).toBe('.');
    expect(globToRegExp('**/*.{jpg,png}').test('a/b/c.PNG')).toBe(true);
    expect(globToRegExp('**/*.{jpg,png}').test('c.jpg')).toBe(true);
    expect(globToRegExp('*.jpg').test('a/c.jpg')).toBe(false);
    expect(globToRegExp('img?.jpg').test('img1.jpg')).toBe(true);
  });

  it('scores file names by query words, singular/plural alike', () => {
    expect(tokens('Sunsets_over-the_SEA.jpg')).toEqual(['sunset', 'over', 'sea', 'jpg']);
    expect(matchScore(tokens('sunset at sea'), tokens('sunsets-sea'))).toBe(2);
    expect(matchScore(tokens('mountain'), tokens('mountains-2'))).toBe(1);
    expect(matchScore(tokens('mountain'), tokens('mountainside'))).toBe(0.5);
    expect(matchScore(tokens('cat'), tokens('dog'))).toBe(0);
  });

  it('seeded randomness repeats per seed', () => {
    const a = createRng('s');
    const b = createRng('s');
    expect([a.next(), a.next(), a.int(1, 6)]).toEqual([b.next(), b.next(), b.int(1, 6)]);
    expect(createRng('t').next()).not.toBe(createRng('s').next());
    expect(createRng('s').shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('slugs file names', () => {
    expect(slug('Café au lait!')).toBe('cafe-au-lait');
    expect(slug('مرحبا')).toBe('image');
  });
});
