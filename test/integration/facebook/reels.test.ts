/**
 * facebook.reels against a loopback Graph API speaking Page Reels: start / upload / finish,
 * the upload resumed from the status's bytes_transferred, each state (published, draft,
 * scheduled with an injected clock), the Page's moving 24-hour limit, an expired token, a
 * processing error, and the effect never making a second Reel — with a crash before, during
 * and after the act.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestContext, SkipStep, type PluginTestContext, type TestAccount } from 'mpv2/testing';
import { isMpv2Error, type Mpv2Error } from 'mpv2/plugin';
import reels from '../../../plugins/meta/facebook/reels.js';
import { namespace } from '../../../plugins/meta/facebook/index.js';
import { startFacebookServer, type FacebookServer } from '../../servers/facebook.js';
import { reelClips } from '../../helpers/reel-clips.js';

const PAGES = { '104000000000001': 'EAAB-page-token-main', '104000000000002': 'EAAB-page-token-second' };
const MAIN: TestAccount = { name: 'main', platform: 'facebook', settings: { pageId: '104000000000001' }, secrets: { pageAccessToken: 'EAAB-page-token-main' } };
const SECOND: TestAccount = { name: 'second', platform: 'facebook', settings: { pageId: '104000000000002' }, secrets: { pageAccessToken: 'EAAB-page-token-second' } };

let fb: FacebookServer;
let clips: string;
const roots: string[] = [];
const opened: PluginTestContext[] = [];

beforeAll(async () => { clips = reelClips(); fb = await startFacebookServer({ pages: PAGES }); });
afterAll(async () => { await fb.close(); rmSync(clips, { recursive: true, force: true }); for (const r of roots) rmSync(r, { recursive: true, force: true }); });
afterEach(async () => { vi.useRealTimers(); await Promise.all(opened.splice(0).map((t) => t.close())); fb.faults = {}; fb.outcomes = []; fb.processingPolls = 1; });

/** The accounts' clock in the daily-cap tests: on the real one a test that ran across midnight UTC would start a new day between its posts. */
const CAP_DAY = () => new Date(Date.UTC(2030, 0, 10, 12));

function project() {
  const root = mkdtempSync(join(tmpdir(), 'mpv2-fb-'));
  roots.push(root);
  for (const f of ['reel.mp4', 'short.mp4', 'wide.mp4', 'small.mp4']) copyFileSync(join(clips, f), join(root, f));
  return {
    root,
    ctx(o: { accounts?: TestAccount[]; runId?: string; signal?: AbortSignal; config?: Record<string, unknown>; dryRun?: boolean; now?: () => Date } = {}): PluginTestContext {
      const t = createTestContext({ plugin: reels, namespace, root, runId: o.runId, signal: o.signal, dryRun: o.dryRun, ...(o.now && { now: o.now }), config: { ...fb.config, ...o.config }, accounts: o.accounts ?? [MAIN] });
      opened.push(t);
      return t;
    },
  };
}

async function failure(p: Promise<unknown>): Promise<Mpv2Error> {
  try { await p; } catch (e) { if (isMpv2Error(e)) return e; throw e; }
  throw new Error('expected a failure');
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
type Out = { videoId: string; url: string; account: string; state: string; publishAt?: string; published: boolean };

describe('facebook.reels', () => {
  it('starts a session, uploads through the rewritten host, finishes PUBLISHED and waits until published', async () => {
    const p = project();
    const t = p.ctx();
    const before = fb.calls.length;
    const out = await t.run({ video: 'reel.mp4', description: 'Octopus hearts 🐙', hashtags: ['octopus'] }) as Out;
    const v = fb.videos.get(out.videoId)!;
    expect(out).toMatchObject({ url: `https://www.facebook.com/reel/${out.videoId}`, account: 'main', state: 'published', published: true });
    expect(sha(Buffer.concat(v.received))).toBe(sha(readFileSync(join(p.root, 'reel.mp4'))));
    expect(v.finish).toMatchObject({ upload_phase: 'finish', video_id: out.videoId, video_state: 'PUBLISHED' });
    expect(String(v.finish!.description)).toMatch(/^Octopus hearts 🐙\n\n#octopus\n\nmpv2-[0-9a-f]{10}$/);
    const calls = fb.calls.slice(before);
    const up = calls.find((x) => x.endpoint === 'upload')!;
    expect(up.path).toBe(`/video-upload/v26.0/${out.videoId}`);
    expect(up.headers).toMatchObject({ authorization: 'OAuth EAAB-page-token-main', offset: '0', file_size: String(v.size) });
    expect(calls.map((x) => x.endpoint).filter(Boolean)).toEqual(['page', 'start', 'upload', 'finish', 'status', 'status', 'permalink']);
    expect(calls.every((x) => !JSON.stringify(x.query).includes('EAAB-'))).toBe(true);
    expect(await t.context().accounts.usesToday('main')).toBe(1);
  });

  it('a re-run returns the recorded Reel and calls nothing', async () => {
    const p = project();
    const first = await p.ctx().run({ video: 'reel.mp4', description: 'Once' }) as Out;
    const n = fb.calls.length;
    expect(await p.ctx({ runId: 'again' }).run({ video: 'reel.mp4', description: 'Once' })).toMatchObject({ videoId: first.videoId, published: false });
    expect(fb.calls.length).toBe(n);
  });

  it('a dropped upload resumes from the bytes_transferred the video status reports', async () => {
    const p = project();
    fb.faults.upload = ['drop@50000'];
    const out = await p.ctx().run({ video: 'reel.mp4', description: 'Bumpy' }) as Out;
    expect(fb.calls.filter((x) => x.endpoint === 'upload').slice(-2).map((x) => x.headers.offset)).toEqual(['0', '50000']);
    expect(sha(Buffer.concat(fb.videos.get(out.videoId)!.received))).toBe(sha(readFileSync(join(p.root, 'reel.mp4'))));
  });

  it('a crash before the act (killed during the token check) leaves nothing; the next run publishes once', async () => {
    const p = project();
    const ac = new AbortController();
    fb.faults.page = ['hold'];
    const held = fb.held;
    const run = p.ctx({ signal: ac.signal }).run({ video: 'reel.mp4', description: 'Before' });
    await held;
    ac.abort();
    expect((await failure(run)).code).toBe('E_ABORTED');
    const t = p.ctx({ runId: 'next' });
    expect(await t.effects()).toEqual([]);
    const starts = fb.count('start');
    expect(await t.run({ video: 'reel.mp4', description: 'Before' })).toMatchObject({ published: true });
    expect(fb.count('start') - starts).toBe(1);
  });

  it('a crash during the upload: the next run resumes the same video from where it stood', async () => {
    const p = project();
    const ac = new AbortController();
    fb.faults.upload = ['hold@30000'];
    const held = fb.held;
    const run = p.ctx({ signal: ac.signal }).run({ video: 'reel.mp4', description: 'Killed midway' });
    await held;
    ac.abort();
    expect((await failure(run)).code).toBe('E_ABORTED');
    const t = p.ctx({ runId: 'after-crash' });
    expect((await t.effects()).map((r) => r.status)).toEqual(['pending']);
    const starts = fb.count('start');
    const out = await t.run({ video: 'reel.mp4', description: 'Killed midway' }) as Out;
    expect(fb.count('start')).toBe(starts);
    expect(fb.calls.filter((x) => x.endpoint === 'upload').at(-1)!.headers.offset).toBe('30000');
    expect(sha(Buffer.concat(fb.videos.get(out.videoId)!.received))).toBe(sha(readFileSync(join(p.root, 'reel.mp4'))));
  });

  it('a crash after the act (the finish answer lost): the next run settles it through the video, finishing nothing twice', async () => {
    const p = project();
    fb.faults.finish = ['drop-after'];
    const finishes = fb.count('finish');
    expect((await failure(p.ctx().run({ video: 'reel.mp4', description: 'Answer lost' }))).code).toBe('E_EFFECT_IN_DOUBT');
    const t = p.ctx({ runId: 'after' });
    const out = await t.run({ video: 'reel.mp4', description: 'Answer lost' }) as Out;
    expect(out).toMatchObject({ state: 'published' });
    expect(fb.count('finish') - finishes).toBe(1);
    expect([...fb.videos.values()].filter((v) => v.finish?.description === fb.videos.get(out.videoId)!.finish!.description)).toHaveLength(1);
  });

  it('an attempt in doubt is still settled once its Page reached its daily cap (looking is not acting)', async () => {
    const p = project();
    const accounts = [{ ...MAIN, maxPerDay: 1 }];
    fb.faults.finish = ['drop-after'];
    // Facebook is done with the video by the time anyone looks (a Reel still processing waits for tomorrow's run, which finishes it again)
    fb.processingPolls = 0;
    expect((await failure(p.ctx({ accounts, runId: 'a', now: CAP_DAY }).run({ video: 'reel.mp4', description: 'In doubt' }))).code).toBe('E_EFFECT_IN_DOUBT');
    await p.ctx({ accounts, runId: 'b', now: CAP_DAY }).run({ video: 'reel.mp4', description: 'Another one' });
    const out = await p.ctx({ accounts, runId: 'c', now: CAP_DAY }).run({ video: 'reel.mp4', description: 'In doubt' }) as Out;
    expect(out).toMatchObject({ account: 'main', state: 'published', published: false });
  });

  it('a Reel done but never recorded is found by the marker among the Page\'s Reels', async () => {
    const p = project();
    const first = await p.ctx().run({ video: 'reel.mp4', description: 'Unrecorded' }) as Out;
    const t = p.ctx({ runId: 'later' });
    await t.leaveInDoubt((await t.effects('done'))[0]!);
    const starts = fb.count('start');
    expect(await t.run({ video: 'reel.mp4', description: 'Unrecorded' })).toMatchObject({ videoId: first.videoId, published: false });
    expect(fb.count('start')).toBe(starts);
    expect(fb.count('reels.list')).toBeGreaterThan(0);
  });

  it('publishAt schedules it (SCHEDULED + scheduled_publish_time), checked against an injected clock', async () => {
    const now = Date.UTC(2030, 0, 10, 9, 0, 0);
    vi.useFakeTimers({ toFake: ['Date'], now });
    const p = project();
    const t = p.ctx();
    const out = await t.run({ video: 'reel.mp4', description: 'Later', publishAt: '2030-01-10T18:00:00Z' }) as Out;
    expect(out).toMatchObject({ state: 'scheduled', publishAt: '2030-01-10T18:00:00.000Z', published: true });
    expect(fb.videos.get(out.videoId)!.finish).toMatchObject({ video_state: 'SCHEDULED', scheduled_publish_time: Date.UTC(2030, 0, 10, 18) / 1000 });
    const n = fb.calls.length;
    for (const [publishAt, says] of [['2030-01-10T09:05:00Z', 'less than 10 minutes'], ['2030-03-01T00:00:00Z', 'more than 29 days'], ['tomorrow', 'not a date']] as const) {
      const e = await failure(t.run({ video: 'reel.mp4', publishAt }));
      expect(e.code).toBe('E_PLUGIN_INPUT_INVALID');
      expect(e.message).toContain('with.publishAt');
      expect(e.message).toContain(says);
    }
    expect((await failure(t.run({ video: 'reel.mp4', publishAt: '2030-01-10T18:00:00Z', draft: true }))).message).toContain('with.publishAt');
    expect(fb.calls.length).toBe(n);
  });

  it('publishAt: next-slot schedules at the Page account\'s next free slot at least 10 minutes ahead, one slot per Reel', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2030, 0, 10, 9, 0, 0) });
    const p = project();
    const accounts = [{ ...MAIN, slots: ['09:08', '12:00', '18:00'], timezone: 'UTC' }];
    const first = await p.ctx({ accounts }).run({ video: 'reel.mp4', description: 'Slot one', publishAt: 'next-slot' }) as Out;
    // 09:08 is less than Meta's 10 minutes ahead: the next slot is taken
    expect(first).toMatchObject({ state: 'scheduled', publishAt: '2030-01-10T12:00:00.000Z' });
    expect(fb.videos.get(first.videoId)!.finish).toMatchObject({ video_state: 'SCHEDULED', scheduled_publish_time: Date.UTC(2030, 0, 10, 12) / 1000 });
    const second = await p.ctx({ accounts, runId: 'two' }).run({ video: 'reel.mp4', description: 'Slot two', publishAt: 'next-slot' }) as Out;
    expect(second.publishAt).toBe('2030-01-10T18:00:00.000Z');
    expect((await failure(p.ctx({ accounts }).run({ video: 'reel.mp4', description: 'x', publishAt: 'next-slot', draft: true }))).message).toContain('next-slot cannot go with draft');
  });

  it('draft: finishes DRAFT and waits for processing only', async () => {
    const p = project();
    const out = await p.ctx().run({ video: 'reel.mp4', description: 'For later', draft: true }) as Out;
    expect(out).toMatchObject({ state: 'draft', published: true });
    expect(fb.videos.get(out.videoId)!.finish).toMatchObject({ video_state: 'DRAFT' });
    expect(fb.videos.get(out.videoId)!.publishStatus).toBe('not_published');
  });

  it('the Page\'s moving 24-hour limit is refused before uploading, and frees up 24 hours later', async () => {
    const now = Date.UTC(2030, 0, 10, 9, 0, 0);
    vi.useFakeTimers({ toFake: ['Date'], now });
    const p = project();
    const config = { reelsPer24h: 2 };
    await p.ctx({ config, runId: 'a' }).run({ video: 'reel.mp4', description: 'one' });
    await p.ctx({ config, runId: 'b' }).run({ video: 'reel.mp4', description: 'two' });
    const starts = fb.count('start');
    const e = await failure(p.ctx({ config, runId: 'c' }).run({ video: 'reel.mp4', description: 'three' }));
    expect(e.pluginCode).toBe('facebook/PUBLISHING_LIMIT');
    expect(e.retryAfterMs).toBe(24 * 3_600_000);
    expect(fb.count('start')).toBe(starts);
    vi.setSystemTime(now + 24 * 3_600_000 + 1);
    expect(await p.ctx({ config, runId: 'd' }).run({ video: 'reel.mp4', description: 'three' })).toMatchObject({ published: true });
  });

  it('an expired token (190) tells the user to store a new one; nothing is uploaded', async () => {
    const p = project();
    fb.faults.page = ['expired'];
    const starts = fb.count('start');
    const t = p.ctx();
    const e = await failure(t.run({ video: 'reel.mp4', description: 'Expired' }));
    expect(e.code).toBe('E_AUTH');
    expect(e.message).toContain('190');
    expect(e.hint).toContain('mpv2 accounts add facebook --name main --update --secret pageAccessToken=');
    expect(fb.count('start')).toBe(starts);
    expect(JSON.stringify({ message: e.message, hint: e.hint, events: t.events, logs: t.logs })).not.toContain('EAAB-');
  });

  it('a token that dies mid-upload (the upload host refuses it) says how to store a new one', async () => {
    const p = project();
    fb.faults.upload = ['unauthorized'];
    const t = p.ctx();
    const e = await failure(t.run({ video: 'reel.mp4', description: 'Dies midway' }));
    expect(e.code).toBe('E_AUTH');
    expect(e.status).toBe(401);
    expect(e.hint).toContain('--secret pageAccessToken=');
    // the upload host refused it: nothing was published, so a later run may act again
    expect((await t.effects()).map((r) => r.status)).toEqual(['failed']);
  });

  it('a dry run describes the Reel and calls nothing', async () => {
    const p = project();
    const t = p.ctx({ dryRun: true });
    const n = fb.calls.length;
    expect(await t.run({ video: 'reel.mp4', description: 'Just looking' })).toMatchObject({ state: 'dry-run', videoId: '', published: false });
    expect(t.dryRunRecords()[0]!.wouldDo).toMatchObject({ reel: { state: 'published' } });
    expect(fb.calls.length).toBe(n);
  });

  it('a processing error fails with its reason; the next run uploads a new video', async () => {
    const p = project();
    fb.outcomes = ['error:The video file you selected is in a format that we don\'t support.'];
    const e = await failure(p.ctx().run({ video: 'reel.mp4', description: 'Broken' }));
    expect(e.pluginCode).toBe('facebook/VIDEO_ERROR');
    expect(e.message).toContain('format that we don\'t support');
    const out = await p.ctx({ runId: 'r2' }).run({ video: 'reel.mp4', description: 'Broken' }) as Out;
    expect(out.state).toBe('published');
    expect(fb.videos.get(out.videoId)!.processing).toBe('complete');
  });

  it('checks duration, 9:16 and resolution before any request', async () => {
    const p = project();
    const t = p.ctx();
    const n = fb.calls.length;
    for (const [video, says] of [['short.mp4', '3 to 90 s'], ['wide.mp4', '9:16'], ['small.mp4', 'at least 540x960']] as const) {
      const e = await failure(t.run({ video }));
      expect(e.code).toBe('E_PLUGIN_INPUT_INVALID');
      expect(e.message).toContain('with.video');
      expect(e.message).toContain(says);
      expect(e.hint).toBeTruthy();
    }
    expect(fb.calls.length).toBe(n);
  });

  it('rotation over two Pages: a re-run of the same Reel stays on its Page', async () => {
    const p = project();
    const accounts = [MAIN, SECOND];
    const spec = { platform: 'facebook', pick: 'round-robin' };
    const one = await p.ctx({ accounts, runId: 'r1' }).run({ video: 'reel.mp4', description: 'rotated', account: spec }) as Out;
    const again = await p.ctx({ accounts, runId: 'r2' }).run({ video: 'reel.mp4', description: 'rotated', account: spec }) as Out;
    expect(again).toMatchObject({ videoId: one.videoId, account: one.account, published: false });
  });

  it('with no facebook account the step is skipped (before the video is checked) with a line saying how to add one', async () => {
    const p = project();
    const e = await p.ctx({ accounts: [] }).run({ video: 'wide.mp4' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SkipStep);
    expect((e as SkipStep).reason).toMatch(/mpv2 accounts add facebook --name <name> --set pageId=/);
  });
});
