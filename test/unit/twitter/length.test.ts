import { describe, expect, it } from 'vitest';
import { checkPost, splitIntoPosts, weightedLength } from '../../../plugins/twitter/length.js';
import { postId, postUrl } from '../../../plugins/twitter/ids.js';

describe('X post length (twitter-text)', () => {
  it('counts a link as 23 and CJK/emoji as 2, like X', () => {
    expect(weightedLength('a'.repeat(10))).toBe(10);
    expect(weightedLength(`see https://example.com/${'x'.repeat(200)}`)).toBe(4 + 23);
    expect(weightedLength('日本語')).toBe(6);
    expect(weightedLength('😀')).toBe(2);
  });

  it('accepts 280 and refuses 281 with the measured length and a hint', () => {
    expect(() => checkPost('a'.repeat(280), 280)).not.toThrow();
    try {
      checkPost('a'.repeat(281), 280);
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toContain('281 characters');
      expect((e as { hint?: string }).hint).toContain('split: true');
    }
    // a 140-character CJK text is 280 weighted: at the limit
    expect(() => checkPost('語'.repeat(140), 280)).not.toThrow();
    expect(() => checkPost('語'.repeat(141), 280)).toThrow(/282 characters/);
  });

  it('refuses an empty post', () => {
    expect(() => checkPost('   ', 280)).toThrow(/empty/);
  });
});

describe('splitting into a thread', () => {
  const sentence = (i: number) => `Sentence number ${i} says something useful about the product and why it matters.`;

  it('keeps a text that fits as one post', () => {
    expect(splitIntoPosts('Short and sweet.', 280)).toEqual(['Short and sweet.']);
  });

  it('cuts at sentence boundaries, each post within the limit, nothing lost', () => {
    const text = Array.from({ length: 12 }, (_, i) => sentence(i + 1)).join(' ');
    const posts = splitIntoPosts(text, 280);
    expect(posts.length).toBeGreaterThan(1);
    for (const p of posts) {
      expect(weightedLength(p)).toBeLessThanOrEqual(280);
      expect(p).toMatch(/^Sentence number \d+ .*matters\.$/);
    }
    expect(posts.join(' ')).toBe(text);
  });

  it('never cuts a link and counts it as 23', () => {
    const url = `https://shop.example.com/products/${'very-long-slug-'.repeat(20)}`;
    const text = `${'Word '.repeat(50)}${url} ${'more '.repeat(30)}`.trim();
    const posts = splitIntoPosts(text, 100);
    expect(posts.some((p) => p.includes(url))).toBe(true);
    for (const p of posts) expect(weightedLength(p)).toBeLessThanOrEqual(100);
    expect(posts.join(' ').split(/\s+/)).toEqual(text.split(/\s+/));
  });

  it('keeps paragraph breaks between sentences of one post', () => {
    expect(splitIntoPosts(`${'a'.repeat(150)}.\n\nSecond one.\n\n${'b'.repeat(190)}.`, 200)).toEqual([`${'a'.repeat(150)}.\n\nSecond one.`, `${'b'.repeat(190)}.`]);
  });

  it('fails on a single word longer than a post', () => {
    expect(() => splitIntoPosts(`${'x'.repeat(300)} tail. ${'y '.repeat(200)}`, 280)).toThrow(/alone is longer than 280/);
  });
});

describe('post ids and links', () => {
  it('reads ids from URLs and plain ids', () => {
    expect(postId('1234567890')).toBe('1234567890');
    expect(postId('https://x.com/someone/status/1890000000000000001?s=20')).toBe('1890000000000000001');
    expect(postId('https://twitter.com/a/statuses/77/photo/1')).toBe('77');
    expect(() => postId('https://x.com/someone')).toThrow(/post id or a post URL/);
  });
  it('builds links', () => {
    expect(postUrl('https://x.com/', '5', '@me')).toBe('https://x.com/me/status/5');
    expect(postUrl('https://x.com', '5')).toBe('https://x.com/i/status/5');
  });
});
