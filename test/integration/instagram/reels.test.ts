/**
 * instagram.reels against a loopback Instagram Graph API: the resumable container upload
 * (resumed from the offset Instagram reports), each container status, the publishing limit,
 * an expired token, and the effect never publishing twice — with a crash before, during and
 * after the act.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestContext, SkipStep, type PluginTestContext, type TestAccount } from 'mpv2/testing';
import { abortableSleep, isMpv2Error, type Mpv2Error } from 'mpv2/plugin';
import reels from '../../../plugins/meta/instagram/reels.js';
import { namespace } from '../../../plugins/meta/instagram/index.js';
import { startInstagramServer, type InstagramServer } from '../../servers/instagram.js';
import { reelClips } from '../../helpers/reel-clips.js';

const USERS = { '17841400000000001': 'IGQ-token-main', '17841400000000002': 'IGQ-token-second' };
const MAIN: TestAccount = { name: 'main', platform: 'instagram', settings: { userId: '17841400000000001' }, secrets: { accessToken: 'IGQ-token-main' } };
const SECOND: TestAccount = { name: 'second', platform: 'instagram', settings: { userId: '17841400000000002' }, secrets: { accessToken: 'IGQ-token-second' } };

let ig: InstagramServer;
let clips: string;
const roots: string[] = [];
const opened: PluginTestContext[] = [];

beforeAll(async () => { clips = reelClips(); ig = await startInstagramServer({ users: USERS }); });
afterAll(async () => { await ig.close(); rmSync(clips, { recursive: true, force: true }); for (const r of roots) rmSync(r, { recursive: true, force: true }); });
afterEach(async () => { await Promise.all(opened.splice(0).map((t) => t.close())); ig.faults = {}; ig.outcomes = []; for (const q of ig.quota.values()) q.usage = 0; });

/** The accounts' clock in the daily-cap tests: on the real one a test that ran across midnight UTC would start a new day between its posts. */
const CAP_DAY = () => new Date(Date.UTC(2030, 0, 10, 12));

/** A project with the clips; each `run` is a context of its own over it (a run, a crash, the next run). */
function project() {
  const root = mkdtempSync(join(tmpdir(), 'mpv2-ig-'));
  roots.push(root);
  for (const f of ['reel.mp4', 'short.mp4', 'mpeg4.mp4']) copyFileSync(join(clips, f), join(root, f));
  return {
    root,
    ctx(o: { accounts?: TestAccount[]; runId?: string; signal?: AbortSignal; config?: Record<string, unknown>; dryRun?: boolean; sleep?: (ms: number, signal: AbortSignal) => Promise<unknown>; now?: () => Date } = {}): PluginTestContext {
      const t = createTestContext({ plugin: reels, namespace, root, runId: o.runId, signal: o.signal, dryRun: o.dryRun, ...(o.sleep && { sleep: o.sleep }), ...(o.now && { now: o.now }), config: { ...ig.config, ...o.config }, accounts: o.accounts ?? [MAIN] });
      opened.push(t);
      return t;
    },
  };
}

async function failure(p: Promise<unknown>): Promise<Mpv2Error> {
  try { await p; } catch (e) { if (isMpv2Error(e)) return e; throw e; }
  throw new Error('expected a failure');
}
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
type Out = { mediaId: string; url: string; containerId: string; account: string; status: string; published: boolean };

describe('instagram.reels', () => {
  it('publishAt: next-slot waits for the account\'s reserved slot, then publishes at it; two runs take two slots; an abort mid-wait leaves nothing pending and the next run waits for the same slot', async () => {
    const start = Date.UTC(2030, 0, 10, 9, 0, 0);
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    try {
      const p = project();
      const accounts = [{ ...MAIN, slots: ['09:02', '12:00', '18:00'], timezone: 'UTC' }];
      // the wait takes no time: each sleep moves the fake clock on; the requests made after it are noted
      let waitedAt = -1;
      const sleep = async (ms: number) => { vi.setSystemTime(Date.now() + ms); waitedAt = ig.calls.length; };
      const startOf = (endpoint: string) => ig.calls.findIndex((c, i) => i >= before && c.endpoint === endpoint);
      const before = ig.calls.length;

      // an abort during the wait: nothing is recorded pending, nothing reaches Instagram
      const ac = new AbortController();
      const aborted = p.ctx({ accounts, signal: ac.signal, sleep: async (ms, signal) => { ac.abort(); return abortableSleep(ms, signal); } });
      expect((await failure(aborted.run({ video: 'reel.mp4', caption: 'At noon', publishAt: 'next-slot' }))).code).toBe('E_ABORTED');
      expect(await aborted.effects()).toEqual([]);
      expect(ig.calls.length).toBe(before);

      // the next run takes the same slot (09:02 is within the 5 minutes' lead: 12:00) and publishes at it
      const t = p.ctx({ accounts: [], sleep });
      const one = await t.run({ video: 'reel.mp4', caption: 'At noon', publishAt: 'next-slot' }) as Out;
      expect(one.published).toBe(true);
      expect(Date.now()).toBe(Date.UTC(2030, 0, 10, 12));
      expect(waitedAt).toBe(before); // the wait came before any request: the limit, the container, the publish
      expect(startOf('publish')).toBeGreaterThan(before);
      expect(t.logs.map((l) => l.message)).toContain('waiting until 2030-01-10T12:00:00.000Z (main\'s slot)');

      // a second run that started at the same time: 12:00 is taken, it waits for 18:00
      vi.setSystemTime(start);
      const mark = ig.calls.length;
      await p.ctx({ accounts: [], sleep }).run({ video: 'reel.mp4', caption: 'In the evening', publishAt: 'next-slot' });
      expect(Date.now()).toBe(Date.UTC(2030, 0, 10, 18));
      expect(waitedAt).toBe(mark);
    } finally {
      vi.useRealTimers();
    }
  });

  it('creates a REELS container, uploads through the rewritten host, waits for FINISHED and publishes', async () => {
    const p = project();
    const t = p.ctx();
    const before = ig.calls.length;
    const out = await t.run({ video: 'reel.mp4', caption: 'Octopus hearts 🐙', hashtags: ['octopus', '#sealife'], thumbOffsetMs: 1500 }) as Out;
    const m = ig.media.at(-1)!;
    expect(out).toMatchObject({ mediaId: m.id, url: m.permalink, account: 'main', status: 'published', published: true });
    expect(m.sha256).toBe(sha(join(p.root, 'reel.mp4')));
    const c = ig.containers.get(out.containerId)!;
    expect(c.params).toMatchObject({ media_type: 'REELS', upload_type: 'resumable', share_to_feed: true, thumb_offset: 1500 });
    expect(String(c.params.caption)).toMatch(/^Octopus hearts 🐙\n\n#octopus #sealife\n\nmpv2-[0-9a-f]{10}$/);
    const calls = ig.calls.slice(before);
    const up = calls.find((x) => x.endpoint === 'upload')!;
    expect(up.path).toBe(`/ig-api-upload/v26.0/${out.containerId}`);
    expect(up.headers).toMatchObject({ authorization: 'OAuth IGQ-token-main', offset: '0', file_size: String(m.bytes) });
    expect(calls.map((x) => x.endpoint).filter(Boolean)).toEqual(['limit', 'create', 'upload', 'status', 'status', 'publish', 'media.get']);
    // the token travels in headers only, never in a URL
    expect(calls.every((x) => !JSON.stringify(x.query).includes('IGQ-token'))).toBe(true);
    expect(await t.context().accounts.usesToday('main')).toBe(1);
    expect(await t.context().store.list('container/')).toEqual([]);
  });

  it('a re-run returns the recorded Reel and calls nothing', async () => {
    const p = project();
    const first = await p.ctx().run({ video: 'reel.mp4', caption: 'Once only' }) as Out;
    const n = ig.calls.length;
    const again = await p.ctx({ runId: 'second-run' }).run({ video: 'reel.mp4', caption: 'Once only' }) as Out;
    expect(again).toMatchObject({ mediaId: first.mediaId, published: false });
    expect(ig.calls.length).toBe(n);
  });

  it('a dropped upload resumes from the offset Instagram reports for the container', async () => {
    const p = project();
    ig.faults.upload = ['drop@40000', 'drop@25000'];
    const out = await p.ctx().run({ video: 'reel.mp4', caption: 'Bumpy connection' }) as Out;
    const ups = ig.calls.filter((x) => x.endpoint === 'upload').slice(-3);
    expect(ups.map((x) => x.headers.offset)).toEqual(['0', '40000', '65000']);
    expect(ig.media.find((m) => m.id === out.mediaId)!.sha256).toBe(sha(join(p.root, 'reel.mp4')));
  });

  it('a crash before the act (killed during the limit check) leaves nothing; the next run publishes once', async () => {
    const p = project();
    const ac = new AbortController();
    ig.faults.limit = ['hold'];
    const held = ig.held;
    const run = p.ctx({ signal: ac.signal }).run({ video: 'reel.mp4', caption: 'Before' });
    await held;
    ac.abort();
    expect((await failure(run)).code).toBe('E_ABORTED');
    const t = p.ctx({ runId: 'next' });
    expect(await t.effects()).toEqual([]);
    const containers = ig.containers.size;
    const out = await t.run({ video: 'reel.mp4', caption: 'Before' }) as Out;
    expect(out.published).toBe(true);
    expect(ig.containers.size - containers).toBe(1);
  });

  it('a crash during the upload: the next run resumes the same container from where it stood', async () => {
    const p = project();
    const ac = new AbortController();
    ig.faults.upload = ['hold@30000'];
    const held = ig.held;
    const run = p.ctx({ signal: ac.signal }).run({ video: 'reel.mp4', caption: 'Killed midway' });
    await held;
    ac.abort();
    expect((await failure(run)).code).toBe('E_ABORTED');
    const t = p.ctx({ runId: 'after-crash' });
    expect((await t.effects()).map((r) => r.status)).toEqual(['pending']);
    const [saved] = await t.context().store.list<{ containerId: string }>('container/');
    const containers = ig.containers.size;
    const out = await t.run({ video: 'reel.mp4', caption: 'Killed midway' }) as Out;
    expect(out.containerId).toBe(saved!.value.containerId);
    expect(ig.containers.size).toBe(containers);
    expect(ig.calls.filter((x) => x.endpoint === 'upload').at(-1)!.headers.offset).toBe('30000');
    expect(ig.media.filter((m) => m.containerId === out.containerId)).toHaveLength(1);
    expect(ig.media.find((m) => m.id === out.mediaId)!.sha256).toBe(sha(join(p.root, 'reel.mp4')));
  });

  it('a crash after the act (the publish answer lost): the next run finds the post through the container and the marker', async () => {
    const p = project();
    ig.faults.publish = ['drop-after'];
    const publishes = ig.count('publish');
    const e = await failure(p.ctx().run({ video: 'reel.mp4', caption: 'Answer lost' }));
    expect(e.code).toBe('E_EFFECT_IN_DOUBT');
    const published = ig.media.at(-1)!;
    const t = p.ctx({ runId: 'after' });
    const out = await t.run({ video: 'reel.mp4', caption: 'Answer lost' }) as Out;
    expect(out).toMatchObject({ mediaId: published.id, url: published.permalink, published: false });
    expect(ig.media.filter((m) => m.containerId === published.containerId)).toHaveLength(1);
    expect(ig.count('publish') - publishes).toBe(1);
    expect(await t.effects('done')).toHaveLength(1);
  });

  it('a crash after the act was recorded by nobody: with no container saved, the caption marker finds the post', async () => {
    const p = project();
    const first = await p.ctx().run({ video: 'reel.mp4', caption: 'Done but unrecorded' }) as Out;
    const t = p.ctx({ runId: 'later' });
    await t.leaveInDoubt((await t.effects('done'))[0]!);
    const publishes = ig.count('publish');
    const out = await t.run({ video: 'reel.mp4', caption: 'Done but unrecorded' }) as Out;
    expect(out).toMatchObject({ mediaId: first.mediaId, published: false });
    expect(ig.count('publish')).toBe(publishes);
  });

  it('an attempt in doubt is still settled once its account reached its daily cap (looking is not acting)', async () => {
    const p = project();
    const accounts = [{ ...MAIN, maxPerDay: 1 }];
    ig.faults.publish = ['drop-after'];
    expect((await failure(p.ctx({ accounts, runId: 'a', now: CAP_DAY }).run({ video: 'reel.mp4', caption: 'In doubt' }))).code).toBe('E_EFFECT_IN_DOUBT');
    await p.ctx({ accounts, runId: 'b', now: CAP_DAY }).run({ video: 'reel.mp4', caption: 'Another one' });
    const publishes = ig.count('publish');
    const out = await p.ctx({ accounts, runId: 'c', now: CAP_DAY }).run({ video: 'reel.mp4', caption: 'In doubt' }) as Out;
    expect(out).toMatchObject({ account: 'main', published: false });
    expect(out.mediaId).toBeTruthy();
    expect(ig.count('publish')).toBe(publishes);
  });

  it('container ERROR fails with its reason; the next run makes a new container', async () => {
    const p = project();
    ig.outcomes = ['ERROR:Error: Media upload has failed with error code 2207026'];
    const e = await failure(p.ctx().run({ video: 'reel.mp4', caption: 'Broken' }));
    expect(e).toMatchObject({ code: 'E_PLUGIN_FAILED', pluginCode: 'instagram/CONTAINER_ERROR' });
    expect(e.message).toContain('2207026');
    const t = p.ctx({ runId: 'again' });
    expect((await t.effects()).map((r) => r.status)).toEqual(['failed']);
    const out = await t.run({ video: 'reel.mp4', caption: 'Broken' }) as Out;
    expect(out.published).toBe(true);
    expect(ig.containers.get(out.containerId)!.statusCode).toBe('PUBLISHED');
  });

  it('an EXPIRED container of an earlier attempt is replaced by a new one', async () => {
    const p = project();
    ig.outcomes = ['EXPIRED'];
    expect((await failure(p.ctx().run({ video: 'reel.mp4', caption: 'Too late' }))).pluginCode).toBe('instagram/CONTAINER_ERROR');
    const out = await p.ctx({ runId: 'r2' }).run({ video: 'reel.mp4', caption: 'Too late' }) as Out;
    expect(ig.containers.get(out.containerId)!.statusCode).toBe('PUBLISHED');
  });

  it('the publishing limit reached is refused before anything is uploaded', async () => {
    const p = project();
    ig.quota.get('17841400000000001')!.usage = 100;
    const creates = ig.count('create');
    const e = await failure(p.ctx().run({ video: 'reel.mp4', caption: 'Over the limit' }));
    expect(e.pluginCode).toBe('instagram/PUBLISHING_LIMIT');
    expect(e.message).toContain('100 of the 100');
    expect(ig.count('create')).toBe(creates);
  });

  it('an expired token (190) tells the user to store a new one; nothing is uploaded', async () => {
    const p = project();
    ig.faults.limit = ['expired'];
    const creates = ig.count('create');
    const t = p.ctx();
    const e = await failure(t.run({ video: 'reel.mp4', caption: 'Expired' }));
    expect(e.code).toBe('E_AUTH');
    expect(e.message).toContain('190');
    expect(e.hint).toContain('mpv2 accounts add instagram --name main --update --secret accessToken=');
    expect(e.hint).toMatch(/no refresh token/);
    expect(ig.count('create')).toBe(creates);
    expect(JSON.stringify({ message: e.message, hint: e.hint, events: t.events, logs: t.logs })).not.toContain('IGQ-token');
  });

  it('a dry run describes the Reel and calls nothing', async () => {
    const p = project();
    const t = p.ctx({ dryRun: true });
    const n = ig.calls.length;
    expect(await t.run({ video: 'reel.mp4', caption: 'Just looking' })).toMatchObject({ status: 'dry-run', mediaId: '', published: false });
    expect(t.dryRunRecords()[0]!.wouldDo).toMatchObject({ reel: { caption: expect.stringContaining('Just looking') as unknown } });
    expect(ig.calls.length).toBe(n);
  });

  it('checks the video and caption against Instagram\'s limits before any request', async () => {
    const p = project();
    const t = p.ctx();
    const n = ig.calls.length;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ video: 'short.mp4' }, 'with.video'],
      [{ video: 'mpeg4.mp4' }, 'with.video'],
      [{ caption: 'x'.repeat(2200) }, 'with.caption'],
      [{ hashtags: Array.from({ length: 31 }, (_, i) => `tag${i}`) }, 'with.hashtags'],
      [{ hashtags: ['two words'] }, 'with.hashtags'],
      [{ thumbOffsetMs: 9000 }, 'with.thumbOffsetMs'],
    ];
    for (const [over, field] of cases) {
      const e = await failure(t.run({ video: 'reel.mp4', ...over }));
      expect(e.code, field).toBe('E_PLUGIN_INPUT_INVALID');
      expect(e.message).toContain(field);
      expect(e.hint).toBeTruthy();
    }
    expect(ig.calls.length).toBe(n);
  });

  it('rotation with daily caps: each account takes one, then E_ACCOUNT', async () => {
    const p = project();
    const accounts = [{ ...MAIN, maxPerDay: 1 }, { ...SECOND, maxPerDay: 1 }];
    const spec = { platform: 'instagram', pick: 'round-robin' };
    const one = await p.ctx({ accounts, runId: 'r1', now: CAP_DAY }).run({ video: 'reel.mp4', caption: 'one', account: spec }) as Out;
    const two = await p.ctx({ accounts, runId: 'r2', now: CAP_DAY }).run({ video: 'reel.mp4', caption: 'two', account: spec }) as Out;
    expect([one.account, two.account].sort()).toEqual(['main', 'second']);
    expect((await failure(p.ctx({ accounts, runId: 'r3', now: CAP_DAY }).run({ video: 'reel.mp4', caption: 'three', account: spec }))).code).toBe('E_ACCOUNT');
  });

  it('with no instagram account the step is skipped (before the video is checked) with a line saying how to add one', async () => {
    const p = project();
    const e = await p.ctx({ accounts: [] }).run({ video: 'short.mp4' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SkipStep);
    expect((e as SkipStep).reason).toMatch(/mpv2 accounts add instagram --name <name> --set userId=/);
  });
});
