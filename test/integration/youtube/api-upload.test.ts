/**
 * youtube.upload through the api driver against a local Data API: OAuth refresh, resumable
 * chunks with 308/Range, resuming after dropped connections, thumbnail, captions, playlist,
 * quota, errors, and effects that never upload twice.
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import upload from '../../../plugins/youtube/upload.js';
import { clearTokenMemory } from '../../../plugins/youtube/api/oauth.js';
import { isMpv2Error, type Mpv2Error } from '../../../src/errors.js';
import { SkipSignal } from '../../helpers/context.js';
import { startYoutubeServer, type YoutubeServer } from '../../servers/youtube-api.js';
import { apiContext, CLIENT, input, project } from './helpers.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
async function failure(p: unknown): Promise<Mpv2Error> {
  try { await p; } catch (e) { if (isMpv2Error(e)) return e; throw e; }
  throw new Error('expected a failure');
}

/** The accounts' clock in the daily-cap tests: on the real one a test that ran across midnight UTC would start a new day between its posts. */
const CAP_DAY = () => new Date(Date.UTC(2030, 0, 10, 12));

describe('youtube.upload (api driver)', () => {
  let yt: YoutubeServer;
  beforeAll(async () => { yt = await startYoutubeServer({ ...CLIENT, refreshTokens: ['rt-main', 'rt-b'] }); });
  afterAll(async () => { await yt.close(); });
  afterEach(() => { clearTokenMemory(); yt.faults = {}; });

  it('uploads in chunks with metadata, thumbnail, captions and playlist; the server holds exactly the file', async () => {
    const { root, video } = project();
    const ctx = apiContext(yt, root);
    const out = await upload.run(ctx, input({
      video: 'short.mp4', title: 'Octopus hearts 🐙', description: 'Three hearts.\nTwo gills.', tags: ['octopus', 'sea life'],
      madeForKids: false, syntheticMedia: true, thumbnail: 'thumb.png', captions: 'short.srt', language: 'en', playlist: 'PLshorts',
    }));
    const v = yt.videos.get(out.videoId)!;
    expect(v.sha256).toBe(sha(video));
    expect(out).toMatchObject({ url: `https://www.youtube.com/watch?v=${out.videoId}`, status: 'uploaded', account: 'main', driver: 'api', visibility: 'private', uploaded: true, thumbnail: 'set', captions: 'inserted' });
    expect(v.metadata.snippet).toMatchObject({ title: 'Octopus hearts 🐙', description: 'Three hearts.\nTwo gills.', categoryId: '22', defaultLanguage: 'en' });
    expect(v.metadata.snippet!.tags).toEqual(['octopus', 'sea life', `mpv2-${sha(video).slice(0, 12)}`]);
    expect(v.metadata.status).toMatchObject({ privacyStatus: 'private', selfDeclaredMadeForKids: false, containsSyntheticMedia: true });
    expect(v.thumbnail).toMatchObject({ type: 'image/png', bytes: 5000 });
    expect(v.captions[0]).toMatchObject({ type: 'application/x-subrip', snippet: { videoId: out.videoId, language: 'en' } });
    expect(v.captions[0]!.text).toContain('Hello there');
    expect(v.playlists).toEqual(['PLshorts']);
    expect(out.playlistItemId).toBeTruthy();
    // 1.3 MB in 256 KiB chunks: 5 PUTs, each but the last answered 308
    expect(yt.count('init')).toBeGreaterThanOrEqual(1);
    expect(ctx.progressUpdates.at(-1)?.fraction).toBe(1);
    // the access token is kept for the next run
    const creds = await ctx.accounts.credentials('main');
    expect(creds.accessToken).toMatch(/^ya29\./);
    expect(await ctx.accounts.usesToday('main')).toBe(1);
  });

  it('resumes after connections dropped mid-chunk and a 503, asking the server where it stopped', async () => {
    const { root, video } = project(1_500_000);
    const ctx = apiContext(yt, root);
    const before = { init: yt.count('init'), status: yt.count('status') };
    yt.faults.chunk = ['ok', 'drop@100000', 'drop@7', '503'];
    const out = await upload.run(ctx, input({ video: 'short.mp4', title: 'Resumed upload' }));
    expect(yt.videos.get(out.videoId)!.sha256).toBe(sha(video));
    expect(yt.videos.get(out.videoId)!.bytes.length).toBe(video.length);
    expect(yt.count('init') - before.init).toBe(1);
    expect(yt.count('status') - before.status).toBe(3);
  });

  it('publishAt: next-slot schedules each upload at the account\'s next free slot, the same one again on a re-run', async () => {
    const { root } = project();
    // 2030-03-30 is the day before Berlin moves to summer time: 18:00 CET, then 09:00 CEST
    const now = () => new Date('2030-03-30T12:00:00Z');
    const accounts = [{ name: 'main', platform: 'youtube', settings: { driver: 'api' }, slots: ['09:00', '18:00'], timezone: 'Europe/Berlin' }];
    const ctx = apiContext(yt, root, { now, accounts });
    const first = await upload.run(ctx, input({ video: 'short.mp4', title: 'Slot one', publishAt: 'next-slot' }));
    expect(first.publishAt).toBe('2030-03-30T17:00:00.000Z');
    expect(yt.videos.get(first.videoId)!.metadata.status).toMatchObject({ privacyStatus: 'private', publishAt: '2030-03-30T17:00:00.000Z' });
    const second = await upload.run(apiContext(yt, root, { now, accounts, runId: 'other-run' }), input({ video: 'short.mp4', title: 'Slot two', publishAt: 'next-slot' }));
    expect(second.publishAt).toBe('2030-03-31T07:00:00.000Z');
    const again = await upload.run(ctx, input({ video: 'short.mp4', title: 'Slot one', publishAt: 'next-slot' }));
    expect(again).toMatchObject({ videoId: first.videoId, uploaded: false, publishAt: '2030-03-30T17:00:00.000Z' });
    const wrong = await failure(upload.run(ctx, input({ video: 'short.mp4', title: 'Public slot', publishAt: 'next-slot', visibility: 'public' })));
    expect(wrong.message).toContain('next-slot needs visibility: private');
    const bare = apiContext(yt, root, { now });
    const none = await failure(upload.run(bare, input({ video: 'short.mp4', title: 'No slots', publishAt: 'next-slot' })));
    expect(none).toMatchObject({ code: 'E_ACCOUNT', details: { reason: 'no-slots' } });
  });

  it('a re-run returns the recorded video and uploads nothing', async () => {
    const { root } = project();
    const ctx = apiContext(yt, root);
    const first = await upload.run(ctx, input({ video: 'short.mp4', title: 'Once only' }));
    const calls = yt.calls.length;
    const again = await upload.run(ctx, input({ video: 'short.mp4', title: 'Once only' }));
    expect(again.videoId).toBe(first.videoId);
    expect(again.uploaded).toBe(false);
    expect(yt.calls.length).toBe(calls);
  });

  it('a run killed mid-upload is resumed on the same session by the next run (no second video)', async () => {
    const { root, video } = project(1_400_000);
    const ac = new AbortController();
    const ctx = apiContext(yt, root, { signal: ac.signal });
    const videosBefore = yt.videos.size;
    const initBefore = yt.count('init');
    // the "kill": abort after the server answered the second chunk
    const origProgress = ctx.progress.bind(ctx);
    let n = 0;
    (ctx as { progress: typeof ctx.progress }).progress = (u) => { origProgress(u); if (u.fraction !== undefined && ++n === 2) ac.abort(); };
    const e = await failure(upload.run(ctx, input({ video: 'short.mp4', title: 'Killed midway' })));
    expect(e.code).toBe('E_ABORTED');
    expect((await ctx.recordedEffects()).map((x) => x.status)).toEqual(['pending']);
    // the next run (same project state, new process signal)
    (ctx as { signal: AbortSignal }).signal = new AbortController().signal;
    (ctx as { progress: typeof ctx.progress }).progress = origProgress;
    const out = await upload.run(ctx, input({ video: 'short.mp4', title: 'Killed midway' }));
    expect(yt.count('init') - initBefore).toBe(1);
    expect(yt.videos.size - videosBefore).toBe(1);
    expect(yt.videos.get(out.videoId)!.sha256).toBe(sha(video));
    expect(out.uploaded).toBe(true);
  });

  it('an upload that finished on YouTube but was never recorded is found by reconciliation, not repeated', async () => {
    const { root } = project();
    const ctx = apiContext(yt, root);
    const first = await upload.run(ctx, input({ video: 'short.mp4', title: 'Finished but unrecorded' }));
    // the crash: the effect record still says pending
    for (const r of await ctx.recordedEffects()) if (r.status === 'done' && (r.result as { videoId?: string })?.videoId) await ctx.leaveInDoubt(r);
    const initBefore = yt.count('init');
    const channelsBefore = yt.count('channels');
    const again = await upload.run(ctx, input({ video: 'short.mp4', title: 'Finished but unrecorded' }));
    expect(again.videoId).toBe(first.videoId);
    expect(again.uploaded).toBe(false);
    expect(yt.count('init')).toBe(initBefore);
    expect(yt.count('channels')).toBe(channelsBefore + 1);
  });

  it('reconciliation that finds nothing uploads again', async () => {
    const { root } = project();
    const ctx = apiContext(yt, root);
    const first = await upload.run(ctx, input({ video: 'short.mp4', title: 'Lost in a crash' }));
    yt.videos.delete(first.videoId); // it never reached YouTube
    for (const r of await ctx.recordedEffects()) if ((r.result as { videoId?: string })?.videoId) await ctx.leaveInDoubt(r);
    const again = await upload.run(ctx, input({ video: 'short.mp4', title: 'Lost in a crash' }));
    expect(again.videoId).not.toBe(first.videoId);
    expect(again.uploaded).toBe(true);
  });

  it('rotation: a re-run of the same content never lands on a second channel', async () => {
    const { root } = project();
    const ctx = apiContext(yt, root, {
      accounts: [{ name: 'a', platform: 'youtube', settings: {} }, { name: 'b', platform: 'youtube', settings: {} }],
      credentials: { a: { ...CLIENT, refreshToken: 'rt-main' }, b: { ...CLIENT, refreshToken: 'rt-b' } },
    });
    const spec = { platform: 'youtube' as const, pick: 'round-robin' as const };
    const first = await upload.run(ctx, input({ video: 'short.mp4', title: 'Rotated', account: spec }));
    const second = await upload.run(ctx, input({ video: 'short.mp4', title: 'Rotated', account: spec }));
    expect(second.videoId).toBe(first.videoId);
    expect(second.account).toBe(first.account);
    expect(await ctx.accounts.usesToday(first.account!) + await ctx.accounts.usesToday(first.account === 'a' ? 'b' : 'a')).toBe(1);
  });

  it('rotation with daily caps: each account takes one, then E_ACCOUNT; a recorded upload is still returned', async () => {
    const { root } = project(300_000);
    // each upload is a run of its own over the same project (a pick holds for its run and step)
    const run = (runId: string) => apiContext(yt, root, {
      runId,
      now: CAP_DAY,
      accounts: [{ name: 'a', platform: 'youtube', maxPerDay: 1, settings: {} }, { name: 'b', platform: 'youtube', maxPerDay: 1, settings: {} }],
      credentials: { a: { ...CLIENT, refreshToken: 'rt-main' }, b: { ...CLIENT, refreshToken: 'rt-b' } },
    });
    const one = await upload.run(run('r1'), input({ video: 'short.mp4', title: 'Capped one' }));
    const two = await upload.run(run('r2'), input({ video: 'short.mp4', title: 'Capped two' }));
    expect([one.account, two.account].sort()).toEqual(['a', 'b']);
    const e = await failure(upload.run(run('r3'), input({ video: 'short.mp4', title: 'Capped three' })));
    expect(e.code).toBe('E_ACCOUNT');
    const again = await upload.run(run('r1'), input({ video: 'short.mp4', title: 'Capped one' }));
    expect(again).toMatchObject({ videoId: one.videoId, uploaded: false });
  });

  it('refreshes the access token once and reuses it', async () => {
    const { root } = project(300_000);
    const ctx = apiContext(yt, root);
    const t0 = yt.count('token');
    await upload.run(ctx, input({ video: 'short.mp4', title: 'Token one' }));
    await upload.run(ctx, input({ video: 'short.mp4', title: 'Token two' }));
    expect(yt.count('token') - t0).toBe(1);
  });

  it('invalid_grant → E_AUTH telling to run mpv2 accounts login <name>', async () => {
    const { root } = project(300_000);
    const ctx = apiContext(yt, root, { credentials: { main: { ...CLIENT, refreshToken: 'revoked' } } });
    const e = await failure(upload.run(ctx, input({ video: 'short.mp4', title: 'No grant' })));
    expect(e.code).toBe('E_AUTH');
    expect(e.message).toContain('invalid_grant');
    expect(e.hint).toContain('mpv2 accounts login main');
  });

  it('quotaExceeded from YouTube → E_RATE_LIMITED, and later calls today are refused before the network', async () => {
    const { root } = project(300_000);
    const ctx = apiContext(yt, root);
    yt.faults.init = ['quota'];
    const e = await failure(upload.run(ctx, input({ video: 'short.mp4', title: 'Over quota' })));
    expect(e.code).toBe('E_RATE_LIMITED');
    expect(e.retryable).toBe(false);
    const calls = yt.calls.length;
    const e2 = await failure(upload.run(ctx, input({ video: 'short.mp4', title: 'Over quota again' })));
    expect(e2.code).toBe('E_RATE_LIMITED');
    expect(e2.message).toMatch(/used up for today/);
    expect(yt.calls.length).toBe(calls);
  });

  it('refuses early when the planned calls would exceed the configured quota', async () => {
    const { root } = project(300_000);
    const ctx = apiContext(yt, root, { accounts: [{ name: 'main', platform: 'youtube', settings: { quotaPerDay: 300 } }] });
    const calls = yt.calls.length;
    const e = await failure(upload.run(ctx, input({ video: 'short.mp4', title: 'Captions cost 400', captions: 'short.srt' })));
    expect(e.code).toBe('E_RATE_LIMITED');
    expect(e.message).toContain('captions.insert');
    expect(yt.calls.length).toBe(calls);
  });

  it('a 5xx on initiation is a retryable E_HTTP', async () => {
    const { root } = project(300_000);
    const ctx = apiContext(yt, root);
    yt.faults.init = ['500'];
    const e = await failure(upload.run(ctx, input({ video: 'short.mp4', title: 'Server error' })));
    expect(e.code).toBe('E_HTTP');
    expect(e.retryable).toBe(true);
  });

  it('a failed thumbnail leaves the video recorded; the next run sets only the thumbnail', async () => {
    const { root } = project(300_000);
    const ctx = apiContext(yt, root);
    yt.faults.thumbnails = ['500'];
    const e = await failure(upload.run(ctx, input({ video: 'short.mp4', title: 'Thumb later', thumbnail: 'thumb.png' })));
    // the engine's ctx.effect reports a thumbnail POST that may have landed as in doubt, with the HTTP failure as its cause
    expect(e.code).toBe('E_EFFECT_IN_DOUBT');
    expect((e.cause as { code: string }).code).toBe('E_HTTP');
    const init = yt.count('init');
    const out = await upload.run(ctx, input({ video: 'short.mp4', title: 'Thumb later', thumbnail: 'thumb.png' }));
    expect(yt.count('init')).toBe(init);
    expect(out.uploaded).toBe(false);
    expect(yt.videos.get(out.videoId)!.thumbnail?.bytes).toBe(5000);
  });

  it('a channel that may not set custom thumbnails gets the video anyway, with a warning', async () => {
    const { root } = project(300_000);
    const ctx = apiContext(yt, root);
    yt.faults.thumbnails = ['forbidden'];
    const out = await upload.run(ctx, input({ video: 'short.mp4', title: 'Unverified channel', thumbnail: 'thumb.png' }));
    expect(out).toMatchObject({ uploaded: true, thumbnail: 'skipped' });
    expect(ctx.logs.find((l) => l.level === 'warn')?.message).toMatch(/thumbnail was not set/);
  });

  it('validates YouTube limits before any network call', async () => {
    const { root } = project(1000);
    const ctx = apiContext(yt, root);
    const calls = yt.calls.length;
    const cases: Array<[Partial<Parameters<typeof input>[0]>, string]> = [
      [{ title: 'x'.repeat(101) }, 'with.title'],
      [{ title: 'a <b> title' }, 'with.title'],
      [{ description: 'é'.repeat(2501) }, 'with.description'],
      [{ tags: Array.from({ length: 60 }, (_, i) => `tag number ${i}`) }, 'with.tags'],
      [{ publishAt: '2001-01-01T00:00:00Z' }, 'with.publishAt'],
      [{ publishAt: '2999-01-01T00:00:00Z', visibility: 'public' }, 'with.publishAt'],
      [{ captions: 'short.txt' }, 'with.captions'],
    ];
    for (const [over, field] of cases) {
      const e = await failure(upload.run(ctx, input({ video: 'short.mp4', title: 'ok', ...over })));
      expect(e.code, field).toBe('E_PLUGIN_INPUT_INVALID');
      expect(e.message).toContain(field);
    }
    expect(yt.calls.length).toBe(calls);
  });

  it('with no youtube account configured the step is skipped with one line saying how to add one', async () => {
    const { root } = project(1000);
    const ctx = apiContext(yt, root, { accounts: [], credentials: {} });
    let skipped: SkipSignal | undefined;
    try { await upload.run(ctx, input({ video: 'short.mp4', title: 'Nowhere' })); } catch (e) { if (e instanceof SkipSignal) skipped = e; else throw e; }
    expect(skipped?.reason).toMatch(/mpv2 accounts add youtube/);
    expect(skipped?.reason.split('\n')).toHaveLength(1);
  });

  it('a named account that does not exist is an error, not a skip', async () => {
    const { root } = project(1000);
    const ctx = apiContext(yt, root);
    const e = await failure(upload.run(ctx, input({ video: 'short.mp4', title: 'Who', account: 'nobody' })));
    expect(e.code).toBe('E_ACCOUNT');
  });
});
