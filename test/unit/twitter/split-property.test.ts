/**
 * Property test of splitIntoPosts (issue 13 item 17): over generated texts with links (query
 * strings, fragments, parentheses), mentions, hashtags, cashtags, CJK and emoji at every
 * position, every post fits X's weighted limit, no entity is cut, and the posts joined give
 * back the text (whitespace aside). The seed is fixed so CI runs the same cases every time.
 */
import fc from 'fast-check';
import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import { splitIntoPosts, weightedLength } from '../../../plugins/twitter/length.js';

const SEED = 1313;

const word = fc.constantFrom('the', 'product', 'works', 'really', 'well', 'today', 'and', 'why', 'it', 'matters', 'e.g.', 'don\'t', '(see', 'this)', 'well,', 'now;', 'done.', 'really?', 'yes!', '—');
const cjk = fc.constantFrom('日本語', '中文字', 'ひらがな', 'カタカナ', '한국어', '漢字です。');
const emoji = fc.constantFrom('😀', '👍🏽', '👨‍👩‍👧', '🇯🇵', '❤️');
const slug = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
const url = fc.tuple(
  fc.constantFrom('https://', 'http://', ''),
  fc.constantFrom('example.com', 'shop.example.co.uk', 'x.com', 'en.wikipedia.org'),
  fc.array(slug, { maxLength: 3 }),
  fc.option(fc.constantFrom('?a=b&c=d', '?q=what%20now&x=1', '?s=20'), { nil: '' }),
  fc.option(fc.constantFrom('#frag', '#section-2'), { nil: '' }),
  fc.option(fc.constantFrom('_(disambiguation)', '(1)'), { nil: '' }),
).map(([scheme, host, path, query, frag, paren]) => `${scheme}${host}/${path.join('/')}${paren}${query}${frag}`);
/** Links as people write them: inside parentheses, or followed by punctuation. */
const wrappedUrl = fc.tuple(url, fc.constantFrom(['', ''], ['(', ')'], ['', ','], ['', '.'], ['', '?'], ['"', '"'])).map(([u, [a, b]]) => `${a}${u}${b}`);
const mention = slug.map((s) => `@${s.replace(/-/g, '_')}`);
const hashtag = fc.oneof(slug.map((s) => `#${s.replace(/-/g, '_')}x`), fc.constant('#日本語'));
const cashtag = fc.constantFrom('$TSLA', '$AAPL', '$btc');
const token = fc.oneof({ weight: 6, arbitrary: word }, { weight: 2, arbitrary: wrappedUrl }, mention, hashtag, cashtag, cjk, emoji);
const space = fc.constantFrom(' ', ' ', ' ', '  ', '\n', '\n\n', '\t');
const text = fc.array(fc.tuple(token, space), { minLength: 1, maxLength: 160 })
  .map((parts) => parts.map(([t, s]) => t + s).join('').trim());

const squash = (s: string) => s.replace(/\s+/g, '');
/** Every entity of the text, as its exact characters. */
const entities = (s: string) => twitterText.extractEntitiesWithIndices(s).map((e) => s.slice(e.indices[0], e.indices[1]));

describe('splitIntoPosts, property-tested', () => {
  for (const max of [280, 60]) {
    it(`max ${max}: every post fits, no entity is cut, the joined posts give back the text`, () => {
      fc.assert(fc.property(text, (t) => {
        const posts = splitIntoPosts(t, max);
        for (const p of posts) {
          expect(twitterText.parseTweet(p).weightedLength).toBeLessThanOrEqual(max);
          expect(p).toBe(p.trim());
          expect(p.length).toBeGreaterThan(0);
        }
        expect(squash(posts.join(''))).toBe(squash(t));
        // each entity of the text is found whole in one post
        const inPosts = posts.flatMap(entities);
        for (const e of entities(t)) expect(inPosts).toContain(e);
      }), { seed: SEED, numRuns: 300 });
    });
  }

  it('does not cut a link at its query string (the reported case)', () => {
    const link = 'https://example.com/page?a=b&c=d#frag';
    const t = `${'Read this now. '.repeat(17)}${link} and more words here. ${'tail words '.repeat(10)}`.trim();
    const posts = splitIntoPosts(t, 280);
    expect(posts.some((p) => p.includes(link))).toBe(true);
    for (const p of posts) expect(weightedLength(p)).toBeLessThanOrEqual(280);
    expect(squash(posts.join(''))).toBe(squash(t));
  });

  it('prefers a sentence end, then a clause end, over any space', () => {
    const a = `${'alpha '.repeat(20)}ends here. ${'beta '.repeat(5)}clause, ${'gamma '.repeat(5)}`.trim();
    expect(splitIntoPosts(a, 170)[0]).toMatch(/ends here\.$/);
    const b = `${'alpha '.repeat(20)}clause, ${'gamma '.repeat(10)}`.trim();
    expect(splitIntoPosts(b, 170)[0]).toMatch(/clause,$/);
  });

  it('refuses a link longer than a post rather than cutting it', () => {
    // a link counts 23, so only a tiny limit makes it too long
    expect(() => splitIntoPosts('see https://example.com/a?b=c and then more text', 20)).toThrow(/alone is longer than 20/);
  });

  it('cuts a long Thai text (no spaces) between words', () => {
    const t = 'ภาษาไทยเป็นภาษาที่ไม่มีการเว้นวรรคระหว่างคำ'.repeat(12);
    const posts = splitIntoPosts(t, 280);
    expect(posts.length).toBeGreaterThan(1);
    for (const p of posts) expect(weightedLength(p)).toBeLessThanOrEqual(280);
    expect(posts.join('')).toBe(t);
    const words = new Set([...new Intl.Segmenter('th', { granularity: 'word' }).segment(t)].map((x) => x.index));
    let at = 0;
    for (const p of posts.slice(0, -1)) { at += p.length; expect(words.has(at)).toBe(true); }
  });

  it('cuts a long text without spaces (CJK) between words, never inside a hashtag', () => {
    const t = `${'日本語の文章です。'.repeat(30)}#日本語タグ${'これは長い文章です。'.repeat(30)}`;
    const posts = splitIntoPosts(t, 280);
    expect(posts.length).toBeGreaterThan(1);
    for (const p of posts) expect(weightedLength(p)).toBeLessThanOrEqual(280);
    expect(posts.join('')).toBe(t);
    expect(posts.some((p) => p.includes('#日本語タグ'))).toBe(true);
  });
});
