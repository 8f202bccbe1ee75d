/**
 * twitter.post with the browser driver: real Chromium + chromedriver on local pages that
 * reproduce the x.com compose flow (text box, file input, Post button, toast link).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import post, { type TwitterPostInput } from '../../../plugins/twitter/post.js';
import { makeTestContext, type TestContext } from '../../helpers/context.js';
import { twitterConfigSchema } from '../../../plugins/twitter/config.js';
import { startXWebServer, type XWebServer } from '../../servers/x-web.js';

let web: XWebServer;
const opened: TestContext[] = [];
beforeAll(async () => { web = await startXWebServer(); });
afterAll(async () => { await web.close(); });
afterEach(async () => { await Promise.all(opened.splice(0).map((c) => c.closeBrowsers())); });

function ctxFor(base: string, timeout = '10s'): TestContext {
  const ctx = makeTestContext({
    configSchema: twitterConfigSchema,
    config: { webBaseUrl: base, browserTimeout: timeout },
    accounts: [{ name: 'brand', platform: 'twitter', settings: { driver: 'browser', handle: 'mpv2test' } }],
  });
  const profileDir = join(ctx.root, 'profiles', 'brand');
  mkdirSync(profileDir, { recursive: true });
  ctx.accounts.resolve = async () => ({ name: 'brand', platform: 'twitter', profileDir, settings: { driver: 'browser', handle: 'mpv2test' } });
  opened.push(ctx);
  return ctx;
}
const run = async (ctx: TestContext, i: Partial<TwitterPostInput>) => post.run(ctx, { split: false, account: 'brand', ...i } as TwitterPostInput);

describe('twitter.post (browser driver)', () => {
  it('types the text (emoji included), attaches an image through the file input, posts and reads the new link', async () => {
    const ctx = ctxFor(web.url);
    const png = join(ctx.root, 'pic.png');
    await sharp({ create: { width: 32, height: 32, channels: 3, background: '#36c' } }).png().toFile(png);
    const out = await run(ctx, { text: 'Posting from a real browser 🚀 with a picture', media: ['pic.png'] });
    expect(out).toMatchObject({ driver: 'browser', account: 'brand', posted: 1 });
    const made = web.posts.at(-1)!;
    expect(made.text).toBe('Posting from a real browser 🚀 with a picture');
    expect(made.files).toEqual([{ name: 'pic.png', size: readFileSync(png).length }]);
    expect(out.ids).toEqual([made.id]);
    expect(out.urls).toEqual([`${web.url}/mpv2test/status/${made.id}`]);
    // the same post again is recorded, not re-posted
    const again = await run(ctx, { text: 'Posting from a real browser 🚀 with a picture', media: ['pic.png'] });
    expect(again).toMatchObject({ ids: out.ids, posted: 0 });
    expect(web.posts.filter((p) => p.id === made.id)).toHaveLength(1);
  }, 60_000);

  it('posts a thread as replies, each to the post before', async () => {
    const ctx = ctxFor(web.url);
    const before = web.posts.length;
    const out = await run(ctx, { thread: ['First of two, from the browser.', 'Second of two, a reply.'] });
    const made = web.posts.slice(before);
    expect(made.map((p) => p.text)).toEqual(['First of two, from the browser.', 'Second of two, a reply.']);
    expect(made[0]!.replyTo).toBeUndefined();
    expect(made[1]!.replyTo).toBe(made[0]!.id);
    expect(out.ids).toEqual(made.map((p) => p.id));
  }, 60_000);

  it('a missing selector fails with its name, a screenshot and the page HTML', async () => {
    const ctx = ctxFor(`${web.url}/broken`, '2s');
    const before = web.posts.length;
    const e = await run(ctx, { text: 'This page has no Post button' }).then(() => undefined, (err: unknown) => err as Error & { code: string; details: { selector: string; screenshot: string; html: string } });
    expect(e?.code).toBe('E_PLUGIN_FAILED');
    expect(e!.message).toMatch(/no element for selector "postButton"/);
    expect(e!.details.selector).toBe('postButton');
    expect(existsSync(e!.details.screenshot)).toBe(true);
    expect(readFileSync(e!.details.screenshot).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(e!.details.html, 'utf8')).toContain('tweetTextarea_0');
    expect(web.posts.length).toBe(before);
  }, 60_000);
});
