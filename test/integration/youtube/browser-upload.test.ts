/**
 * youtube.upload through the browser driver: real chromium + chromedriver drive local pages
 * shaped like the Studio upload dialog. Visibility is picked by value (the reordered variant
 * proves it), a missing selector leaves a screenshot + HTML and names the selector, a signed-out
 * profile says to run `mpv2 accounts login`, and a crashed upload is found on the content list.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import upload from '../../../plugins/youtube/upload.js';
import { formatLocal } from '../../../plugins/youtube/browser/selectors.js';
import { isMpv2Error, type Mpv2Error } from '../../../src/errors.js';
import { makeTestContext, type TestContext } from '../../helpers/context.js';
import { namespace } from '../../../plugins/youtube/index.js';
import { input, project } from './helpers.js';
import { startStudioServer, type StudioServer } from './studio-server.js';

const CHANNEL = 'UCabcdefghijklmnopqrstuv';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
async function failure(p: unknown): Promise<Mpv2Error> {
  try { await p; } catch (e) { if (isMpv2Error(e)) return e; throw e; }
  throw new Error('expected a failure');
}

describe('youtube.upload (browser driver, real chromium)', () => {
  let studio: StudioServer;
  const opened: TestContext[] = [];
  beforeAll(async () => { studio = await startStudioServer(); });
  afterAll(async () => { await studio.close(); });
  afterEach(async () => { await Promise.all(opened.splice(0).map((c) => c.closeBrowsers())); });

  // a short element wait only where an element is missing on purpose: elsewhere it is how long a
  // loaded machine may take to render the page, and a short one fails the upload at random
  function ctxFor(root: string, variant = 'standard', uploadPath = '/upload') {
    const ctx = makeTestContext({
      namespace,
      root,
      config: { uploadUrl: `${studio.url}${uploadPath}?variant=${variant}`, contentUrl: `${studio.url}/channel/{channelId}/videos/upload`, stepTimeoutMs: variant === 'missing' ? 4000 : 20_000, processingTimeoutMs: 20000 },
      accounts: [{ name: 'studio', platform: 'youtube', profileDir: join(root, 'profile'), settings: { driver: 'browser', channelId: CHANNEL } }],
    });
    opened.push(ctx);
    return ctx;
  }

  it('fills the dialog, picks visibility by value, reads the link; the page got exactly the file', async () => {
    const { root, video } = project(300_000);
    const ctx = ctxFor(root);
    const out = await upload.run(ctx, input({
      video: 'short.mp4', title: 'Octopus hearts 🐙 three of them', description: 'Line one.\nLine two.', tags: ['octopus', 'sea life'],
      visibility: 'public', syntheticMedia: true, thumbnail: 'thumb.png',
    }));
    const sub = studio.done.at(-1)!;
    expect(out).toMatchObject({ videoId: sub.videoId, url: `https://www.youtube.com/watch?v=${sub.videoId}`, driver: 'browser', account: 'studio', visibility: 'public', uploaded: true, thumbnail: 'set' });
    expect(studio.files.get(sub.videoId)).toMatchObject({ name: 'short.mp4', bytes: video.length, sha256: sha(video) });
    expect(sub.title).toBe('Octopus hearts 🐙 three of them');
    expect(sub.description.replace(/\n+/g, '\n')).toBe('Line one.\nLine two.');
    expect(sub).toMatchObject({ visibility: 'PUBLIC', madeForKids: 'VIDEO_MADE_FOR_KIDS_NOT_MFK', altered: 'VIDEO_HAS_ALTERED_CONTENT_YES', thumbnail: { name: 'thumb.png', size: 5000 } });
    expect(sub.tags.split(',').filter(Boolean)).toEqual(['octopus', 'sea life', `mpv2-${sha(video).slice(0, 12)}`]);
  }, 60_000);

  it('with the radios in another order it still picks the asked visibility', async () => {
    const { root } = project(50_000);
    const ctx = ctxFor(root, 'reordered');
    await upload.run(ctx, input({ video: 'short.mp4', title: 'Reordered radios', visibility: 'unlisted', madeForKids: true }));
    expect(studio.done.at(-1)).toMatchObject({ title: 'Reordered radios', visibility: 'UNLISTED', madeForKids: 'VIDEO_MADE_FOR_KIDS_MFK' });
  }, 60_000);

  it('schedules: types the date and time of publishAt instead of choosing a visibility', async () => {
    const { root } = project(50_000);
    const ctx = ctxFor(root);
    const at = '2031-03-04T17:30:00Z';
    const out = await upload.run(ctx, input({ video: 'short.mp4', title: 'Scheduled', publishAt: at }));
    expect(studio.done.at(-1)).toMatchObject({ title: 'Scheduled', visibility: null, scheduleDate: formatLocal(new Date(at), 'MMM D, YYYY'), scheduleTime: formatLocal(new Date(at), 'h:mm A') });
    expect(out.publishAt).toBe('2031-03-04T17:30:00.000Z');
  }, 60_000);

  it('a missing selector fails naming it, with a screenshot and the page HTML in the step folder', async () => {
    const { root } = project(50_000);
    const ctx = ctxFor(root, 'missing');
    const e = await failure(upload.run(ctx, input({ video: 'short.mp4', title: 'No next button' })));
    // the file may already sit in Studio: the engine's ctx.effect reports it in doubt, the plugin's failure as its cause
    expect(e.code).toBe('E_EFFECT_IN_DOUBT');
    const cause = e.cause as { code: string; hint?: string };
    expect(cause.code).toBe('E_PLUGIN_FAILED');
    expect(e.message).toContain('"nextButton"');
    expect(e.message).toContain('#next-button');
    expect(cause.hint).toContain('selectors.json');
    const png = join(ctx.workdir, 'youtube-upload-failure.png');
    const html = join(ctx.workdir, 'youtube-upload-failure.html');
    expect(e.message).toContain(png);
    expect(readFileSync(png).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(readFileSync(html, 'utf8')).toContain('continue-button');
  }, 60_000);

  it('a profile that is not signed in → E_AUTH telling to run mpv2 accounts login', async () => {
    const { root } = project(50_000);
    const ctx = ctxFor(root, 'standard', '/signed-out');
    const e = await failure(upload.run(ctx, input({ video: 'short.mp4', title: 'Signed out' })));
    expect(e.code).toBe('E_AUTH');
    expect(e.hint).toContain('mpv2 accounts login studio');
    expect(existsSync(join(ctx.workdir, 'youtube-upload-failure.png'))).toBe(false);
  }, 60_000);

  it('an attempt that failed midway is looked for on the content list before uploading again', async () => {
    const { root } = project(50_000);
    const ctx = ctxFor(root, 'missing');
    await failure(upload.run(ctx, input({ video: 'short.mp4', title: 'Left as a draft' })));
    // Studio kept what it had received (as the engine would, the failed effect may act again)
    studio.seeded.unshift({ videoId: 'draft00001', title: 'Left as a draft' });
    await ctx.clearEffects();
    Object.assign(ctx.config as Record<string, unknown>, { uploadUrl: `${studio.url}/upload?variant=standard`, stepTimeoutMs: 20_000 });
    const files = studio.files.size;
    const out = await upload.run(ctx, input({ video: 'short.mp4', title: 'Left as a draft' }));
    expect(out).toMatchObject({ videoId: 'draft00001' });
    expect(studio.files.size).toBe(files);
    expect(ctx.logs.some((l) => l.level === 'warn' && l.message.includes('check it in Studio'))).toBe(true);
  }, 60_000);

  it('after a crash mid-upload the content list is checked and the video is not uploaded again', async () => {
    const { root } = project(50_000);
    const ctx = ctxFor(root);
    const first = await upload.run(ctx, input({ video: 'short.mp4', title: 'Crashed browser upload' }));
    for (const r of await ctx.recordedEffects('done')) await ctx.leaveInDoubt(r);
    const files = studio.files.size;
    const again = await upload.run(ctx, input({ video: 'short.mp4', title: 'Crashed browser upload' }));
    expect(again).toMatchObject({ videoId: first.videoId, uploaded: false });
    expect(studio.files.size).toBe(files);
  }, 60_000);
});
