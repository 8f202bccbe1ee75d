/**
 * twitter.post through the X API v2 driver against a local server that checks OAuth 1.0a
 * signatures, speaks the v2 media upload, and answers 429 / duplicate errors like X.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StepContext } from 'mpv2/plugin';
import { createTestContext, type PluginTestContext } from 'mpv2/testing';
import post, { type TwitterPostInput } from '../../../plugins/twitter/post.js';
import { makeTestContext } from '../../helpers/context.js';
import { twitterConfigSchema } from '../../../plugins/twitter/config.js';
import { namespace } from '../../../plugins/twitter/index.js';
import { startXApiServer, TEST_KEYS, type XApiServer } from '../../servers/x-api.js';

let x: XApiServer;
beforeAll(async () => { x = await startXApiServer({ bearerToken: 'oauth2-user-token-test' }); });
afterAll(async () => { await x.close(); });
beforeEach(() => { x.reset(); });
const opened: PluginTestContext[] = [];
afterEach(async () => { await Promise.all(opened.splice(0).map((t) => t.close())); });
/** A test context that keeps the effect records, for tests that look at them. */
const recorded = (): PluginTestContext => { const t = createTestContext({ plugin: post, namespace, config: cfg() }); opened.push(t); return t; };

const cfg = (extra: Record<string, unknown> = {}) => ({ apiBaseUrl: x.url, uploadBaseUrl: x.url, webBaseUrl: 'https://x.com', ...TEST_KEYS, ...extra });
const input = (i: Partial<TwitterPostInput>): TwitterPostInput => ({ split: false, ...i }) as TwitterPostInput;
const run = async (ctx: StepContext, i: Partial<TwitterPostInput>) => post.run(ctx, input(i));
const err = async (p: Promise<unknown>) => { try { await p; } catch (e) { return e as Error & { code: string; retryable: boolean; retryAfterMs?: number; hint?: string; status?: number }; } throw new Error('expected a failure'); };

describe('twitter.post (api driver)', () => {
  it('posts with OAuth 1.0a, and a re-run does not post again', async () => {
    const ctx = makeTestContext({ configSchema: twitterConfigSchema, config: cfg() });
    const out = await run(ctx, { text: 'Hello from mpv2 — the first post.' });
    expect(out).toMatchObject({ account: 'default', driver: 'api', posted: 1 });
    expect(out.ids).toEqual([x.posts[0]!.id]);
    expect(out.urls[0]).toBe(`https://x.com/i/status/${out.ids[0]}`);
    expect(x.requests.at(-1)).toMatchObject({ path: '/2/tweets', auth: 'oauth1', status: 201 });
    const again = await run(ctx, { text: 'Hello from mpv2 — the first post.' });
    expect(again).toMatchObject({ ids: out.ids, posted: 0 });
    expect(x.count('POST /2/tweets')).toBe(1);
  });

  it('a wrongly signed request gets 401 → E_AUTH with a hint', async () => {
    const ctx = makeTestContext({ configSchema: twitterConfigSchema, config: cfg({ apiSecret: 'not-the-secret' }) });
    const e = await err(run(ctx, { text: 'never posted' }));
    expect(e.code).toBe('E_AUTH');
    expect(e.status).toBe(401);
    expect(e.hint).toMatch(/Read and Write/);
    expect(x.posts).toHaveLength(0);
  });

  it('posts with an OAuth 2.0 user token', async () => {
    const ctx = makeTestContext({ configSchema: twitterConfigSchema, config: { apiBaseUrl: x.url, uploadBaseUrl: x.url, bearerToken: 'oauth2-user-token-test' } });
    const out = await run(ctx, { text: 'Bearer post' });
    expect(out.posted).toBe(1);
    expect(x.requests.at(-1)!.auth).toBe('bearer');
  });

  it('without keys or account: E_MISSING_KEY saying how to add them', async () => {
    const ctx = makeTestContext({ configSchema: twitterConfigSchema, config: { apiBaseUrl: x.url } });
    const e = await err(run(ctx, { text: 'x' }));
    expect(e.code).toBe('E_MISSING_KEY');
    expect(e.hint).toContain('X_API_KEY');
  });

  it('refuses a too-long text without split, before any request', async () => {
    const ctx = makeTestContext({ configSchema: twitterConfigSchema, config: cfg() });
    const e = await err(run(ctx, { text: 'word '.repeat(70) }));
    expect(e.code).toBe('E_PLUGIN_INPUT_INVALID');
    expect(e.message).toMatch(/350 characters as X counts them/);
    expect(x.requests).toHaveLength(0);
  });

  it('splits a long text into a reply chain; a thread that failed half-way resumes from the first post not made', async () => {
    const ctx = makeTestContext({ configSchema: twitterConfigSchema, config: cfg() });
    const text = Array.from({ length: 9 }, (_, i) => `Point ${i + 1}: a complete sentence that explains one more thing in some detail.`).join(' ');
    // post 2 of the thread fails with a 503 (post 1 went through)
    x.failNext('POST /2/tweets', { status: 503, body: { title: 'Service Unavailable' } }, 1);
    const e = await err(run(ctx, { text, split: true }));
    // the engine's ctx.effect reports a post that may have reached X as in doubt, with the HTTP failure as its cause
    expect(e.code).toBe('E_EFFECT_IN_DOUBT');
    const cause = e.cause as { code: string; retryable: boolean };
    expect(cause.code).toBe('E_HTTP');
    expect(cause.retryable).toBe(true);
    expect(x.posts).toHaveLength(1);
    const first = x.posts[0]!;
    const out = await run(ctx, { text, split: true });
    expect(out.ids.length).toBeGreaterThanOrEqual(3);
    expect(out.ids[0]).toBe(first.id);
    expect(out.posted).toBe(out.ids.length - 1);
    expect(x.posts.map((p) => p.id)).toEqual(out.ids);
    for (let i = 1; i < x.posts.length; i++) expect(x.posts[i]!.replyTo).toBe(x.posts[i - 1]!.id);
    expect(x.posts.map((p) => p.text).join(' ')).toBe(text);
  });

  it('uploads an image and a video through the v2 media endpoints and attaches them', async () => {
    const ctx = makeTestContext({ configSchema: twitterConfigSchema, config: cfg({ uploadChunkBytes: 1024 }) });
    const png = join(ctx.root, 'pic.png');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } }).png().toFile(png);
    const clip = join(ctx.root, 'clip.mp4');
    writeFileSync(clip, Buffer.alloc(3000, 7));
    const out = await run(ctx, { text: 'A picture', thread: [{ text: 'And a clip', media: ['clip.mp4'] }], media: ['pic.png'] });
    expect(out.posted).toBe(2);
    const [p1, p2] = x.posts;
    expect(p1!.mediaIds).toHaveLength(1);
    expect(p2!.mediaIds).toHaveLength(1);
    const img = x.media.get(p1!.mediaIds[0]!)!;
    expect(img).toMatchObject({ type: 'image/png', category: 'tweet_image', finalized: true });
    const vid = x.media.get(p2!.mediaIds[0]!)!;
    expect(vid).toMatchObject({ type: 'video/mp4', category: 'tweet_video', finalized: true, totalBytes: 3000 });
    expect(vid.chunks.map((c) => c.length)).toEqual([1024, 1024, 952]);
    expect(Buffer.concat(vid.chunks).equals(Buffer.alloc(3000, 7))).toBe(true);
    // the video was polled with STATUS until it succeeded; the image needed no STATUS
    expect(x.requests.filter((r) => r.query.command === 'STATUS').map((r) => r.query.media_id)).toEqual([vid.id, vid.id]);
    expect(x.requests.every((r) => r.auth === 'oauth1')).toBe(true);
  });

  it('429 → E_RATE_LIMITED, retryable, waiting until x-rate-limit-reset', async () => {
    const ctx = makeTestContext({ configSchema: twitterConfigSchema, config: cfg() });
    // Date stands still (timers and sockets run as usual): the wait is exactly what the header says
    const now = Date.UTC(2026, 4, 4, 9, 0, 0);
    vi.useFakeTimers({ toFake: ['Date'], now });
    let e: Awaited<ReturnType<typeof err>>;
    try {
      x.failNext('POST /2/tweets', { status: 429, body: { title: 'Too Many Requests', detail: 'Too Many Requests' }, headers: { 'x-rate-limit-reset': String(now / 1000 + 120), 'x-rate-limit-remaining': '0' } });
      e = await err(run(ctx, { text: 'rate limited' }));
    } finally {
      vi.useRealTimers();
    }
    expect(e.code).toBe('E_RATE_LIMITED');
    expect(e.retryable).toBe(true);
    expect(e.retryAfterMs).toBe(120_000);
    expect(e.message).toMatch(/resets in 120s/);
    // the next attempt of the step posts it
    expect((await run(ctx, { text: 'rate limited' })).posted).toBe(1);
  });

  it('a duplicate post → a clear error that a retry cannot fix', async () => {
    await run(makeTestContext({ configSchema: twitterConfigSchema, config: cfg() }), { text: 'Same words twice' });
    const e = await err(run(makeTestContext({ configSchema: twitterConfigSchema, config: cfg() }), { text: 'Same words twice' }));
    expect(e.code).toBe('E_PLUGIN_FAILED');
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(/duplicate content/);
  });

  it('replies to and quotes a post given by URL', async () => {
    const ctx = makeTestContext({ configSchema: twitterConfigSchema, config: cfg() });
    const [orig] = (await run(ctx, { text: 'Original' })).ids;
    await run(ctx, { text: 'A reply', replyTo: `https://x.com/someone/status/${orig}?s=20` });
    await run(ctx, { text: 'A quote', quote: `https://twitter.com/someone/status/${orig}` });
    expect(x.posts[1]).toMatchObject({ text: 'A reply', replyTo: orig });
    expect(x.posts[2]).toMatchObject({ text: 'A quote', quote: orig });
  });

  it('an effect left pending by a crash is reconciled from the account\'s recent posts, not posted twice', async () => {
    const t = recorded();
    const ctx = t.context();
    const text = 'Posted just before the crash: https://example.com/a?b=1 & more';
    await run(makeTestContext({ configSchema: twitterConfigSchema, config: cfg() }), { text });
    await t.leaveInDoubt(['twitter.post/1', 'default', text, [], null, null]);
    const out = await run(ctx, { text });
    expect(out).toMatchObject({ ids: [x.posts[0]!.id], posted: 0 });
    expect(x.count('POST /2/tweets')).toBe(1);
  });

  it('a media upload that fails posted nothing: the effect is not in doubt and the next run posts once', async () => {
    const t = recorded();
    const ctx = t.context();
    const png = join(ctx.root, 'pic.png');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#3c3' } }).png().toFile(png);
    x.failNext('POST /2/media/upload', { status: 503, body: { title: 'Service Unavailable' } });
    const e = await err(run(ctx, { text: 'With a picture', media: ['pic.png'] }));
    expect(e.code).toBe('E_HTTP');
    // a failure that proves nothing was posted is recorded failed: neither done nor in doubt
    expect((await t.effects()).filter((e) => e.status !== 'failed')).toEqual([]);
    expect(x.count('POST /2/tweets')).toBe(0);
    expect((await run(ctx, { text: 'With a picture', media: ['pic.png'] })).posted).toBe(1);
    expect(x.count('POST /2/tweets')).toBe(1);
  });

  it('a 503 to the post itself leaves it in doubt: the next run asks X before posting, and posts once', async () => {
    const t = recorded();
    const ctx = t.context();
    x.failNext('POST /2/tweets', { status: 503, body: { title: 'Service Unavailable' } });
    await err(run(ctx, { text: 'Maybe posted' }));
    expect((await t.effects()).map(({ status }) => ({ status }))).toEqual([{ status: 'pending' }]);
    const out = await run(ctx, { text: 'Maybe posted' });
    expect(out.posted).toBe(1);
    expect(x.requests.some((r) => r.method === 'GET' && /\/tweets$/.test(r.path))).toBe(true);
    expect(x.posts).toHaveLength(1);
  });

  it('posts as a named account from ctx.accounts and counts the use', async () => {
    const ctx = makeTestContext({
      configSchema: twitterConfigSchema,
      config: { apiBaseUrl: x.url, uploadBaseUrl: x.url },
      accounts: [{ name: 'brand', platform: 'twitter', settings: { driver: 'api', handle: 'brandhandle' } }],
      credentials: { brand: { ...TEST_KEYS } },
    });
    const out = await run(ctx, { text: 'From the brand account', account: 'brand' });
    expect(out.account).toBe('brand');
    expect(out.urls[0]).toBe(`https://x.com/brandhandle/status/${out.ids[0]}`);
    expect(await ctx.accounts.usesToday('brand')).toBe(1);
  });

  it('with `key` and `window`, a reworded post of the same thing is not posted again', async () => {
    const ctx = makeTestContext({ configSchema: twitterConfigSchema, config: cfg() });
    const a = await run(ctx, { text: 'Version one of the pitch', key: 'product-B0TEST', window: '30d' });
    const b = await run(ctx, { text: 'Version two, reworded', key: 'product-B0TEST', window: '30d' });
    expect(b).toMatchObject({ ids: a.ids, posted: 0 });
    expect(x.posts).toHaveLength(1);
  });

});
