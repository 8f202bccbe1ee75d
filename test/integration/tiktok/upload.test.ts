/**
 * tiktok.upload against a loopback server that speaks the Content Posting API as TikTok
 * documents it: chunk rules, Content-Range, status values, token rotation, daily limits.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { abortableSleep } from 'mpv2/plugin';
import type { PluginTestContext } from 'mpv2/testing';
import { startTiktokServer, type TiktokServer } from '../../servers/tiktok.js';
import { CLIENT, context, failure, makeVideo, MiB, project, type Opts } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

async function server(o: Partial<Parameters<typeof startTiktokServer>[0]> = {}): Promise<TiktokServer> {
  const s = await startTiktokServer({ ...CLIENT, refreshTokens: ['rt-initial'], ...o });
  cleanup.push(() => s.close());
  return s;
}
function root(): string { const r = project(); cleanup.push(() => rmSync(r, { recursive: true, force: true })); return r; }
function ctx(s: TiktokServer, o: Opts): PluginTestContext { const t = context(s, o); cleanup.push(() => t.close()); return t; }
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
type Out = { publishId: string; status: string; postIds: string[]; url: string; account: string; uploaded: boolean; note: string };

/** The accounts' clock in the daily-cap tests: on the real one a test that ran across midnight UTC would start a new day between its posts. */
const CAP_DAY = () => new Date(Date.UTC(2030, 0, 10, 12));

describe('tiktok.upload', () => {
  it('posts a small video whole after asking creator_info; a re-run posts nothing', async () => {
    const s = await server();
    const r = root();
    const video = makeVideo(r, 'a.mp4', 1 * MiB);
    const t = ctx(s, { root: r });
    const out = await t.run({ video, title: 'Hello #mpv2', privacyLevel: 'PUBLIC_TO_EVERYONE' }) as Out;
    expect(out).toMatchObject({ status: 'PUBLISH_COMPLETE', account: 'main', uploaded: true, note: '' });
    expect(out.url).toBe(`https://www.tiktok.com/@mpv2creator/video/${out.postIds[0]}`);
    const p = s.publishes.get(out.publishId)!;
    expect(p).toMatchObject({ totalChunkCount: 1, chunkSize: p.videoSize, mode: 'direct' });
    expect(p.postInfo).toMatchObject({ title: 'Hello #mpv2', privacy_level: 'PUBLIC_TO_EVERYONE', disable_comment: false });
    expect(p.sha256).toBe(sha(join(r, video)));
    expect(s.count('creator')).toBe(1);
    const again = await t.run({ video, title: 'Hello #mpv2', privacyLevel: 'PUBLIC_TO_EVERYONE' }) as Out;
    expect(again).toMatchObject({ publishId: out.publishId, uploaded: false });
    expect(s.count('init')).toBe(1);
    expect(await t.effects('done')).toHaveLength(2); // the post, and the token refresh
  });

  it('publishAt: next-slot waits for the account\'s reserved slot, then posts at it; two runs take two slots; an abort mid-wait leaves nothing pending and the next run waits for the same slot', async () => {
    const start = Date.UTC(2030, 0, 10, 9, 0, 0);
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    cleanup.push(() => { vi.useRealTimers(); });
    const s = await server();
    const r = root();
    const video = makeVideo(r, 'slot.mp4', 1 * MiB);
    const accounts = [{ name: 'main', platform: 'tiktok', secrets: { ...CLIENT, refreshToken: 'rt-initial' }, slots: ['09:02', '12:00', '18:00'], timezone: 'UTC' }];
    // the wait takes no time: each sleep moves the fake clock on by what it was asked to wait
    const sleep = async (ms: number) => { vi.setSystemTime(Date.now() + ms); };
    const initAt: number[] = [];
    s.hooks.init = () => { initAt.push(Date.now()); };

    // an abort during the wait: nothing is recorded pending, nothing reaches TikTok (not even the token refresh)
    const ac = new AbortController();
    const aborted = ctx(s, { root: r, accounts, signal: ac.signal, sleep: async (ms, signal) => { ac.abort(); return abortableSleep(ms, signal); } });
    expect((await failure(aborted.run({ video, title: 'At noon', publishAt: 'next-slot' }))).code).toBe('E_ABORTED');
    expect(await aborted.effects('pending')).toEqual([]);
    expect(s.calls).toEqual([]);

    // the next run takes the same slot (09:02 is within the 5 minutes' lead: 12:00) and posts at it
    const t = ctx(s, { root: r, accounts: [], sleep });
    const one = await t.run({ video, title: 'At noon', publishAt: 'next-slot' }) as Out;
    expect(one.status).toBe('PUBLISH_COMPLETE');
    expect(initAt).toEqual([Date.UTC(2030, 0, 10, 12)]);
    expect(t.logs.map((l) => l.message)).toContain('waiting until 2030-01-10T12:00:00.000Z (main\'s slot)');

    // a second run that started at the same time: 12:00 is taken, it waits for 18:00
    vi.setSystemTime(start);
    await ctx(s, { root: r, accounts: [], sleep }).run({ video, title: 'In the evening', publishAt: 'next-slot' });
    expect(initAt).toEqual([Date.UTC(2030, 0, 10, 12), Date.UTC(2030, 0, 10, 18)]);
  });

  it('sends a 12 MiB video in TikTok\'s chunks with Content-Range; a dropped chunk is sent again whole', async () => {
    const s = await server();
    const r = root();
    const video = makeVideo(r, 'big.mp4', 12 * MiB);
    const size = 12 * MiB;
    s.faults.chunk = ['', 'drop'];
    const t = ctx(s, { root: r });
    const out = await t.run({ video, title: 'chunks' }) as Out;
    const p = s.publishes.get(out.publishId)!;
    // floor(12/5) = 2 chunks: 5 MiB, then 7 MiB (the trailing bytes merged into the last)
    expect([p.chunkSize, p.totalChunkCount]).toEqual([5 * MiB, 2]);
    expect(p.ranges).toEqual([`bytes 0-${5 * MiB - 1}/${size}`, `bytes ${5 * MiB}-${size - 1}/${size}`]);
    expect(p.sha256).toBe(sha(join(r, video)));
    expect(s.calls.filter((c) => c.endpoint === 'chunk').map((c) => c.status)).toEqual([206, 0, 201]);
    expect(t.logs.some((l) => l.level === 'warn' && /sending chunk 2 again/.test(l.message))).toBe(true);
  });

  it('a chunk TikTok refuses (4xx, not the last) fails as not done and the next run starts a new upload', async () => {
    const s = await server();
    const r = root();
    const video = makeVideo(r, 'refused.mp4', 16 * MiB);
    s.faults.chunk = ['', '416'];
    const t = ctx(s, { root: r });
    const e = await failure(t.run({ video, title: 'refused chunk' }));
    expect(e.code).toBe('E_HTTP');
    expect((await t.effects()).map((x) => x.status).sort()).toEqual(['done', 'failed']); // the refresh, the post
    const out = await t.run({ video, title: 'refused chunk' }) as Out;
    expect(out.uploaded).toBe(true);
    expect(s.count('init')).toBe(2);
    expect(s.publishes.get(out.publishId)!.ranges).toHaveLength(3);
  });

  it('SELF_ONLY: posted, and the output says why there is no URL', async () => {
    const s = await server();
    const r = root();
    const out = await ctx(s, { root: r }).run({ video: makeVideo(r, 'p.mp4', 300_000), title: 'private' }) as Out;
    expect(out).toMatchObject({ status: 'PUBLISH_COMPLETE', url: '', postIds: [] });
    expect(out.note).toMatch(/SELF_ONLY: TikTok gives no public id/);
  });

  it('draft mode goes to the creator\'s inbox (no creator_info, no post_info)', async () => {
    const s = await server();
    const r = root();
    const out = await ctx(s, { root: r }).run({ video: makeVideo(r, 'd.mp4', 300_000), mode: 'draft' }) as Out;
    expect(out).toMatchObject({ status: 'SEND_TO_USER_INBOX', url: '' });
    expect(out.note).toMatch(/inbox/);
    expect(s.publishes.get(out.publishId)).toMatchObject({ mode: 'draft', postInfo: undefined });
    expect(s.count('creator')).toBe(0);
  });

  describe('a crash', () => {
    it('before the act (during creator_info) leaves nothing; the next run posts once', async () => {
      const s = await server();
      const r = root();
      const video = makeVideo(r, 'c.mp4', 300_000);
      const ac = new AbortController();
      s.hooks.creator = () => ac.abort();
      const first = ctx(s, { root: r, signal: ac.signal });
      await failure(first.run({ video, title: 'crash before' }));
      expect((await first.effects()).filter((e) => e.status !== 'done')).toEqual([]);
      delete s.hooks.creator;
      const out = await ctx(s, { root: r, accounts: [] }).run({ video, title: 'crash before' }) as Out;
      expect(out.uploaded).toBe(true);
      expect(s.count('init')).toBe(1);
      expect(s.posted()).toHaveLength(1);
    });

    it('during the upload resumes the same publish at the next chunk TikTok has not acknowledged', async () => {
      const s = await server();
      const r = root();
      const video = makeVideo(r, 'm.mp4', 16 * MiB);
      const ac = new AbortController();
      // killed while the second chunk is on the wire (the first was acknowledged)
      s.hooks.chunk = (n) => { if (n === 2) ac.abort(); };
      const first = ctx(s, { root: r, signal: ac.signal });
      await failure(first.run({ video, title: 'crash during' }));
      expect((await first.effects()).map((e) => e.status)).toContain('pending');
      delete s.hooks.chunk;
      const out = await ctx(s, { root: r, accounts: [] }).run({ video, title: 'crash during' }) as Out;
      expect(out).toMatchObject({ status: 'PUBLISH_COMPLETE', uploaded: true });
      expect(s.count('init')).toBe(1);
      const p = s.publishes.get(out.publishId)!;
      expect(p.totalChunkCount).toBe(3);
      // chunk 1 once, then chunks 2 and 3 — never chunk 1 again
      expect(p.ranges.filter((x) => x.startsWith('bytes 0-'))).toHaveLength(1);
      expect(p.sha256).toBe(sha(join(r, video)));
      expect(s.posted()).toHaveLength(1);
    });

    it('after the last byte (while polling) is reconciled through the saved publish_id: nothing sent again', async () => {
      const s = await server();
      const r = root();
      const video = makeVideo(r, 'z.mp4', 300_000);
      const ac = new AbortController();
      s.hooks.status = () => ac.abort();
      const first = ctx(s, { root: r, signal: ac.signal });
      await failure(first.run({ video, title: 'crash after' }));
      expect((await first.effects()).map((e) => e.status)).toContain('pending');
      delete s.hooks.status;
      const chunksBefore = s.calls.filter((c) => c.endpoint === 'chunk').length;
      const out = await ctx(s, { root: r, accounts: [] }).run({ video, title: 'crash after' }) as Out;
      expect(out).toMatchObject({ status: 'PUBLISH_COMPLETE', uploaded: false });
      expect(s.count('init')).toBe(1);
      expect(s.calls.filter((c) => c.endpoint === 'chunk').length).toBe(chunksBefore);
      expect(s.posted()).toHaveLength(1);
    });
  });

  it('FAILED with a reason → tiktok/PUBLISH_FAILED, recorded failed; the next run posts anew', async () => {
    const s = await server();
    const r = root();
    const video = makeVideo(r, 'f.mp4', 300_000);
    s.failNext.push('frame_rate_check_failed');
    const t = ctx(s, { root: r });
    const e = await failure(t.run({ video, title: 'fails' }));
    expect(e.pluginCode).toBe('tiktok/PUBLISH_FAILED');
    expect(e.message).toMatch(/frame_rate_check_failed/);
    expect(e.hint).toMatch(/23 and 60 fps/);
    expect((await t.effects('failed'))).toHaveLength(1);
    const out = await t.run({ video, title: 'fails' }) as Out;
    expect(out.uploaded).toBe(true);
    expect(s.count('init')).toBe(2);
    expect(s.posted()).toHaveLength(1);
  });

  describe('OAuth', () => {
    it('an expired access token is refreshed once; the rotated refresh token is stored and the old one is refused if reused', async () => {
      const s = await server();
      const r = root();
      const t = ctx(s, { root: r });
      await t.run({ video: makeVideo(r, 'o1.mp4', 300_000), title: 'one' });
      const afterFirst = await t.context().accounts.credentials('main');
      expect(afterFirst.refreshToken).not.toBe('rt-initial');
      expect(s.spent.has('rt-initial')).toBe(true);
      s.expireAccessTokens();
      await t.run({ video: makeVideo(r, 'o2.mp4', 300_000), title: 'two' });
      const creds = await t.context().accounts.credentials('main');
      expect(s.count('token')).toBe(2);
      expect(s.spent.has(afterFirst.refreshToken!)).toBe(true);
      expect(s.refreshTokens.has(creds.refreshToken!)).toBe(true);
      // the spent token is dead at TikTok: using it again is refused
      const res = await fetch(`${s.url}/v2/oauth/token/`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...{ client_key: CLIENT.clientKey, client_secret: CLIENT.clientSecret }, grant_type: 'refresh_token', refresh_token: afterFirst.refreshToken! }) });
      expect(res.status).toBe(400);
      expect(s.calls.filter((c) => c.endpoint === 'token' && c.status === 400)).toHaveLength(1);
    });

    it('two uploads that need a token at once refresh once', async () => {
      const s = await server();
      const r = root();
      const a = ctx(s, { root: r, runId: 'run-a' });
      const b = ctx(s, { root: r, runId: 'run-b', accounts: [] });
      const [x, y] = await Promise.all([
        a.run({ video: makeVideo(r, 'p1.mp4', 300_000), title: 'a' }),
        b.run({ video: makeVideo(r, 'p2.mp4', 300_000), title: 'b' }),
      ]) as Out[];
      expect(x!.status).toBe('PUBLISH_COMPLETE');
      expect(y!.status).toBe('PUBLISH_COMPLETE');
      expect(s.count('token')).toBe(1);
      expect(s.calls.filter((c) => c.endpoint === 'token' && c.status !== 200)).toEqual([]);
    });

    it('a refused refresh token is tiktok/AUTH with the command to store a new one', async () => {
      const s = await server({ refreshTokens: [] });
      const r = root();
      const e = await failure(ctx(s, { root: r }).run({ video: makeVideo(r, 'x.mp4', 300_000) }));
      expect(e.pluginCode).toBe('tiktok/AUTH');
      expect(e.message).toMatch(/invalid_grant/);
      expect(e.hint).toMatch(/mpv2 accounts add tiktok --name main --update --secret refreshToken=/);
      expect(s.count('init')).toBe(0);
    });
  });

  describe('limits before any network call', () => {
    it('caption length, unverified URL, two sources: tiktok/INPUT or URL_UNVERIFIED naming the field; nothing sent', async () => {
      const s = await server();
      const r = root();
      const t = ctx(s, { root: r });
      const video = makeVideo(r, 'l.mp4', 300_000);
      const long = await failure(t.run({ video, title: 'x'.repeat(2201) }));
      expect(long).toMatchObject({ pluginCode: 'tiktok/INPUT', details: { field: 'title' } });
      expect(long.message).toMatch(/2201 UTF-16 units/);
      const url = await failure(t.run({ videoUrl: 'https://cdn.example.org/v.mp4' }));
      expect(url).toMatchObject({ pluginCode: 'tiktok/URL_UNVERIFIED', details: { field: 'videoUrl' } });
      const both = await failure(t.run({ video, videoUrl: 'https://cdn.example.org/v.mp4' }));
      expect(both.pluginCode).toBe('tiktok/INPUT');
      const ext = await failure(t.run({ video: 'l.avi' }));
      expect(ext).toMatchObject({ pluginCode: 'tiktok/INPUT', details: { field: 'video' } });
      expect(s.calls).toEqual([]);
    });

    it('what creator_info forbids is refused before any upload', async () => {
      const s = await server({ creator: { privacy_level_options: ['FOLLOWER_OF_CREATOR', 'SELF_ONLY'], comment_disabled: true, max_video_post_duration_sec: 1 } });
      const r = root();
      const t = ctx(s, { root: r });
      const video = makeVideo(r, 'cr.mp4', 300_000);
      const privacy = await failure(t.run({ video, privacyLevel: 'PUBLIC_TO_EVERYONE', disableComment: true }));
      expect(privacy).toMatchObject({ pluginCode: 'tiktok/NOT_ALLOWED', details: { field: 'privacyLevel' } });
      expect(privacy.hint).toMatch(/SELF_ONLY/);
      const comments = await failure(t.run({ video }));
      expect(comments).toMatchObject({ pluginCode: 'tiktok/NOT_ALLOWED', details: { field: 'disableComment' } });
      const long = await failure(t.run({ video, disableComment: true }));
      expect(long).toMatchObject({ pluginCode: 'tiktok/NOT_ALLOWED', details: { field: 'video' } });
      expect(long.message).toMatch(/at most 1 s/);
      expect(s.count('init')).toBe(0);
      expect(await t.effects()).toHaveLength(1); // only the token refresh
    });
  });

  describe('accounts and daily limits', () => {
    it('rotates round-robin and stops at maxPerDay with E_ACCOUNT', async () => {
      const s = await server({ refreshTokens: ['rt-a', 'rt-b'] });
      const r = root();
      const t = ctx(s, { root: r, now: CAP_DAY, accounts: [
        { name: 'a', platform: 'tiktok', maxPerDay: 1, secrets: { ...CLIENT, refreshToken: 'rt-a' } },
        { name: 'b', platform: 'tiktok', maxPerDay: 1, secrets: { ...CLIENT, refreshToken: 'rt-b' } },
      ] });
      const one = await t.run({ video: makeVideo(r, 'r1.mp4', 300_000), title: '1' }, { stepId: 's1' }) as Out;
      const two = await t.run({ video: makeVideo(r, 'r2.mp4', 300_000), title: '2' }, { stepId: 's2' }) as Out;
      expect([one.account, two.account].sort()).toEqual(['a', 'b']);
      const e = await failure(t.run({ video: makeVideo(r, 'r3.mp4', 300_000), title: '3' }, { stepId: 's3' }));
      expect(e.code).toBe('E_ACCOUNT');
      expect(s.count('init')).toBe(2);
    });

    it('TikTok\'s own daily cap (spam_risk_too_many_posts) → tiktok/DAILY_LIMIT, recorded failed', async () => {
      const s = await server({ dailyLimit: 0 });
      const r = root();
      const t = ctx(s, { root: r });
      const e = await failure(t.run({ video: makeVideo(r, 'dl.mp4', 300_000) }));
      expect(e.pluginCode).toBe('tiktok/DAILY_LIMIT');
      expect(e.message).toMatch(/spam_risk_too_many_posts/);
      expect(await t.effects('failed')).toHaveLength(1);
    });

    it('an unaudited app posting publicly → tiktok/UNAUDITED with the audit rule as hint', async () => {
      const s = await server({ unaudited: true });
      const r = root();
      const e = await failure(ctx(s, { root: r }).run({ video: makeVideo(r, 'u.mp4', 300_000), privacyLevel: 'PUBLIC_TO_EVERYONE' }));
      expect(e.pluginCode).toBe('tiktok/UNAUDITED');
      expect(e.hint).toMatch(/SELF_ONLY/);
    });
  });

  it('PULL_FROM_URL from a verified prefix', async () => {
    const s = await server({ verifiedPrefixes: ['https://media.example.org/'] });
    const r = root();
    const out = await ctx(s, { root: r, config: { verifiedUrlPrefixes: ['https://media.example.org/'] } }).run({ videoUrl: 'https://media.example.org/v/1.mp4', title: 'pulled' }) as Out;
    expect(out.status).toBe('PUBLISH_COMPLETE');
    expect(s.publishes.get(out.publishId)!.source).toBe('PULL_FROM_URL');
  });
});
