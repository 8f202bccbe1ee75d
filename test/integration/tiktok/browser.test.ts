/**
 * tiktok.upload with the browser driver: real Chromium + chromedriver on local pages that
 * reproduce TikTok Studio's upload flow and content list.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestContext, type PluginTestContext } from 'mpv2/testing';
import { namespace } from '../../../plugins/tiktok/index.js';
import upload from '../../../plugins/tiktok/upload.js';
import { startStudioServer, type StudioServer } from '../../servers/tiktok-studio.js';
import { failure, makeVideo, project } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

async function studio(): Promise<StudioServer> { const s = await startStudioServer(); cleanup.push(() => s.close()); return s; }
function ctx(root: string, webBaseUrl: string, o: { seed?: boolean; runId?: string; timeoutMs?: number } = {}): PluginTestContext {
  const profileDir = join(root, 'profiles', 'tt');
  mkdirSync(profileDir, { recursive: true });
  const t = createTestContext({
    plugin: upload, namespace, root, runId: o.runId ?? 'run-1',
    config: { webBaseUrl, browserTimeoutMs: o.timeoutMs ?? 10_000, processingTimeoutMs: 20_000 },
    accounts: o.seed === false ? [] : [{ name: 'tt', platform: 'tiktok', profileDir, settings: { driver: 'browser' } }],
  });
  cleanup.push(() => t.close());
  return t;
}
type Out = { postIds: string[]; url: string; account: string; uploaded: boolean; privacyLevel: string };

describe('tiktok.upload (browser driver)', () => {
  it('uploads the file, replaces the pre-filled caption (emoji included), picks the privacy level, posts and reads the link', async () => {
    const s = await studio();
    const root = project();
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    const video = makeVideo(root, 'clip.mp4', 200_000);
    const t = ctx(root, s.url);
    const out = await t.run({ video, title: 'Octopus facts 🐙 #science', privacyLevel: 'SELF_ONLY' }) as Out;
    expect(s.posts).toEqual([{ id: out.postIds[0], caption: 'Octopus facts 🐙 #science', privacy: 'SELF_ONLY', bytes: statSync(join(root, video)).size }]);
    expect(out).toMatchObject({ account: 'tt', uploaded: true, url: `${s.url}/@mpv2creator/video/${out.postIds[0]}` });
    const again = await t.run({ video, title: 'Octopus facts 🐙 #science', privacyLevel: 'SELF_ONLY' }) as Out;
    expect(again.uploaded).toBe(false);
    expect(s.posts).toHaveLength(1);
  }, 90_000);

  it('a post whose confirmation never came is left in doubt, then found in the content list by its caption: not posted twice', async () => {
    const s = await studio();
    const root = project();
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    const video = makeVideo(root, 'lost.mp4', 200_000);
    const first = ctx(root, `${s.url}/noconfirm`, { timeoutMs: 1500 });
    const e = await failure(first.run({ video, title: 'Lost confirmation' }));
    expect(e.code).toBe('E_EFFECT_IN_DOUBT');
    expect(s.posts).toHaveLength(1);
    const out = await ctx(root, s.url, { seed: false, runId: 'run-2' }).run({ video, title: 'Lost confirmation' }) as Out;
    expect(out).toMatchObject({ uploaded: false, postIds: [s.posts[0]!.id] });
    expect(s.posts).toHaveLength(1);
  }, 90_000);

  it('a missing selector names it, saves a screenshot and the HTML, and posts nothing (nothing left in doubt)', async () => {
    const s = await studio();
    const root = project();
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    const t = ctx(root, `${s.url}/broken`, { timeoutMs: 1500 });
    const e = await failure(t.run({ video: makeVideo(root, 'b.mp4', 100_000), title: 'no button' })) as unknown as Error & { details: { selector: string; screenshot: string; html: string } };
    expect(e.message).toMatch(/no element for selector "postButton"/);
    expect(readFileSync(e.details.screenshot).subarray(1, 4).toString()).toBe('PNG');
    expect(existsSync(e.details.html) && readFileSync(e.details.html, 'utf8')).toContain('public-DraftEditor-content');
    expect(s.posts).toEqual([]);
    expect(await t.effects()).toEqual([]);
  }, 90_000);

  it('refuses what Studio cannot do before opening a browser', async () => {
    const s = await studio();
    const root = project();
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    const t = ctx(root, s.url);
    const e = await failure(t.run({ video: makeVideo(root, 'd.mp4', 100_000), mode: 'draft', title: 'x' }));
    expect(e).toMatchObject({ pluginCode: 'tiktok/INPUT', details: { field: 'mode' } });
    const e2 = await failure(t.run({ video: 'd.mp4' }));
    expect(e2).toMatchObject({ pluginCode: 'tiktok/INPUT', details: { field: 'title' } });
    expect(s.uploads).toEqual([]);
  }, 60_000);
});
