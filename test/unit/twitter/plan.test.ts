import { describe, expect, it } from 'vitest';
import { planPosts } from '../../../plugins/twitter/plan.js';

const resolve = (p: string) => `/abs/${p}`;

describe('planning the posts of a step', () => {
  it('text + thread items in order; media on the post they belong to', () => {
    const posts = planPosts({ text: 'One', media: ['a.png'], thread: ['Two', { text: 'Three', media: ['c.mp4'] }], split: false, max: 280, resolve });
    expect(posts).toEqual([{ text: 'One', media: ['/abs/a.png'] }, { text: 'Two', media: [] }, { text: 'Three', media: ['/abs/c.mp4'] }]);
  });

  it('a split text keeps its media on the first part only', () => {
    const posts = planPosts({ text: `${'First sentence here. '.repeat(10)}`, media: ['a.jpg'], split: true, max: 100, resolve });
    expect(posts.length).toBeGreaterThan(1);
    expect(posts[0]!.media).toEqual(['/abs/a.jpg']);
    expect(posts.slice(1).every((p) => p.media.length === 0)).toBe(true);
  });

  it('names the thread item that is too long, and refuses media X would refuse', () => {
    expect(() => planPosts({ thread: ['ok', 'x'.repeat(300)], split: false, max: 280, resolve })).toThrow(/post 2 of the thread is 300 characters/);
    expect(() => planPosts({ text: 'pics', media: ['1.png', '2.png', '3.png', '4.png', '5.png'], split: false, max: 280, resolve })).toThrow(/up to 4 images/);
    expect(() => planPosts({ text: 'mixed', media: ['1.png', 'v.mp4'], split: false, max: 280, resolve })).toThrow(/1 video or GIF/);
    expect(() => planPosts({ text: 'doc', media: ['file.pdf'], split: false, max: 280, resolve })).toThrow(/cannot post/);
    expect(() => planPosts({ split: false, max: 280, resolve })).toThrow(/nothing to post/);
  });
});

describe('doctor check', () => {
  it('says whether the default account has keys, and that the selectors load', async () => {
    const { checkTwitter } = await import('../../../plugins/twitter/check.js');
    const base = { root: '/', http: undefined as never, signal: new AbortController().signal };
    const none = await checkTwitter({ ...base, config: {}, secrets: {} });
    expect(none[0]).toMatchObject({ level: 'warn', message: expect.stringMatching(/no X API keys/) });
    expect(none[1]).toMatchObject({ ok: true, message: 'using the shipped selectors.json' });
    const keys = await checkTwitter({ ...base, config: {}, secrets: { X_API_KEY: 'a', X_API_SECRET: 'b', X_ACCESS_TOKEN: 'c', X_ACCESS_SECRET: 'd' } });
    expect(keys[0]).toMatchObject({ level: 'ok', message: expect.stringMatching(/OAuth 1\.0a/) });
    const bad = await checkTwitter({ ...base, config: { selectorsFile: 'nope.json' }, secrets: {} });
    expect(bad[1]).toMatchObject({ ok: false, level: 'error' });
  });
});
