/**
 * bluesky.post through @atproto/api against a loopback PDS and video service that speak the
 * XRPC methods as documented: sessions and ExpiredToken, service-auth tokens, upload limits,
 * video jobs, blobs, records with caller-chosen keys.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { abortableSleep } from 'mpv2/plugin';
import { createTestContext, type PluginTestContext, type TestAccount } from 'mpv2/testing';
import { namespace } from '../../../plugins/bluesky/index.js';
import post from '../../../plugins/bluesky/post.js';
import { startBlueskyServer, type BlueskyServer, type BlueskyServerOptions } from '../../servers/bluesky.js';

const HANDLE = 'mpv2.test';
const PASSWORD = 'abcd-efgh-ijkl-mnop';
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

async function server(o: Partial<BlueskyServerOptions> = {}): Promise<BlueskyServer> {
  const s = await startBlueskyServer({ handle: HANDLE, appPassword: PASSWORD, handles: { 'alice.test': 'did:plc:alice' }, ...o });
  cleanup.push(() => s.close());
  return s;
}
function root(): string { const r = mkdtempSync(join(tmpdir(), 'mpv2-bsky-')); cleanup.push(() => rmSync(r, { recursive: true, force: true })); return r; }
function ctx(s: BlueskyServer, r: string, o: { signal?: AbortSignal; accounts?: TestAccount[]; runId?: string; sleep?: (ms: number, signal: AbortSignal) => Promise<unknown>; now?: () => Date } = {}): PluginTestContext {
  const t = createTestContext({
    plugin: post, namespace, root: r, signal: o.signal, runId: o.runId ?? `run-${randomBytes(3).toString('hex')}`, ...(o.sleep && { sleep: o.sleep }), ...(o.now && { now: o.now }),
    config: { service: s.url, videoService: s.url, appUrl: 'https://bsky.app', pollIntervalMs: 0 },
    accounts: o.accounts ?? [{ name: 'me', platform: 'bluesky', settings: { handle: HANDLE }, secrets: { appPassword: PASSWORD } }],
  });
  cleanup.push(() => t.close());
  return t;
}
async function failure(p: Promise<unknown>): Promise<Error & { code: string; pluginCode?: string; hint?: string; details?: Record<string, unknown> }> {
  try { await p; } catch (e) { return e as never; }
  throw new Error('expected a failure');
}
function video(r: string, name = 'v.mp4', seconds = 1): string {
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=90x160:rate=10', '-t', String(seconds), '-pix_fmt', 'yuv420p', '-movflags', '+faststart', join(r, name)]);
  return name;
}
type Out = { uri: string; cid: string; url: string; account: string; posted: boolean };

/** The accounts' clock in the daily-cap tests: on the real one a test that ran across midnight UTC would start a new day between its posts. */
const CAP_DAY = () => new Date(Date.UTC(2030, 0, 10, 12));

describe('bluesky.post', () => {
  it('posts text with link, mention and hashtag facets at byte offsets; a re-run posts nothing', async () => {
    const s = await server();
    const r = root();
    const t = ctx(s, r);
    const text = 'Nova 🎬 com @alice.test em https://example.org/x #Shorts';
    const out = await t.run({ text, langs: ['pt'] }) as Out;
    const rkey = out.uri.split('/').pop()!;
    expect(out).toMatchObject({ uri: `at://${s.did}/app.bsky.feed.post/${rkey}`, url: `https://bsky.app/profile/${HANDLE}/post/${rkey}`, account: 'me', posted: true });
    const rec = s.records.get(out.uri)!.value as { text: string; langs: string[]; facets: Array<{ index: { byteStart: number; byteEnd: number }; features: Array<Record<string, string>> }> };
    expect(rec).toMatchObject({ text, langs: ['pt'] });
    const bytes = Buffer.from(text);
    expect(rec.facets.map((f) => [f.features[0]!.$type, bytes.subarray(f.index.byteStart, f.index.byteEnd).toString()])).toEqual([
      ['app.bsky.richtext.facet#mention', '@alice.test'],
      ['app.bsky.richtext.facet#link', 'https://example.org/x'],
      ['app.bsky.richtext.facet#tag', '#Shorts'],
    ]);
    expect(rec.facets[0]!.features[0]!.did).toBe('did:plc:alice');
    const again = await t.run({ text, langs: ['pt'] }) as Out;
    expect(again).toMatchObject({ uri: out.uri, posted: false });
    expect(s.count('createRecord')).toBe(1);
  });

  it('publishAt: next-slot waits for the account\'s reserved slot, then posts at it; two runs take two slots; an abort mid-wait leaves nothing pending and the next run waits for the same slot', async () => {
    const start = Date.UTC(2030, 0, 10, 9, 0, 0);
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    cleanup.push(() => { vi.useRealTimers(); });
    const s = await server();
    const r = root();
    const accounts = [{ name: 'me', platform: 'bluesky', settings: { handle: HANDLE }, secrets: { appPassword: PASSWORD }, slots: ['09:02', '12:00', '18:00'], timezone: 'UTC' }];
    // the wait takes no time: each sleep moves the fake clock on by what it was asked to wait
    const waits: number[] = [];
    const sleep = async (ms: number) => { waits.push(ms); vi.setSystemTime(Date.now() + ms); };
    const postedAt: number[] = [];
    s.hooks.createRecord = () => { postedAt.push(Date.now()); };
    const sessionsBefore = s.count('createSession');

    // an abort during the wait: nothing is recorded for the act, nothing reaches the PDS
    const ac = new AbortController();
    const aborted = ctx(s, r, { accounts, signal: ac.signal, sleep: async (ms, signal) => { ac.abort(); return abortableSleep(ms, signal); } });
    expect((await failure(aborted.run({ text: 'At noon', publishAt: 'next-slot' }))).code).toBe('E_ABORTED');
    expect(await aborted.effects()).toEqual([]);
    expect(s.count('createSession')).toBe(sessionsBefore); // the wait came before the session
    expect(s.count('createRecord')).toBe(0);

    // the next run takes the same slot (09:02 is within the 5 minutes' lead: 12:00) and posts at it
    const t = ctx(s, r, { accounts, sleep });
    const one = await t.run({ text: 'At noon', publishAt: 'next-slot' }) as Out;
    expect(one.posted).toBe(true);
    expect(postedAt).toEqual([Date.UTC(2030, 0, 10, 12)]);
    expect(waits.reduce((a, b) => a + b, 0)).toBe(3 * 3_600_000);
    expect(t.logs.map((l) => l.message)).toContain('waiting until 2030-01-10T12:00:00.000Z (me\'s slot)');

    // a second run that started at the same time: 12:00 is taken, it waits for 18:00
    vi.setSystemTime(start);
    const two = await ctx(s, r, { accounts, sleep }).run({ text: 'In the evening', publishAt: 'next-slot' }) as Out;
    expect(two.posted).toBe(true);
    expect(postedAt).toEqual([Date.UTC(2030, 0, 10, 12), Date.UTC(2030, 0, 10, 18)]);

    // an ISO time is waited for as it is, with no slot
    vi.setSystemTime(start);
    await ctx(s, r, { accounts, sleep }).run({ text: 'At a time', publishAt: '2030-01-10T10:30:00Z' });
    expect(postedAt[2]).toBe(Date.UTC(2030, 0, 10, 10, 30));
    expect((await failure(ctx(s, r, { accounts, sleep }).run({ text: 'x', publishAt: 'tomorrow' }))).message).toContain('publishAt');
  });

  it('a reply keeps the thread root', async () => {
    const s = await server();
    const r = root();
    const t = ctx(s, r);
    const a = await t.run({ text: 'root' }) as Out;
    const b = await t.run({ text: 'second', replyTo: a.uri }) as Out;
    const c = await t.run({ text: 'third', replyTo: b.uri }) as Out;
    expect(s.records.get(c.uri)!.value.reply).toEqual({ root: { uri: a.uri, cid: a.cid }, parent: { uri: b.uri, cid: b.cid } });
    const e = await failure(t.run({ text: 'orphan', replyTo: `at://${s.did}/app.bsky.feed.post/3zzzzzzzzzzzz` }));
    expect(e).toMatchObject({ pluginCode: 'bluesky/REPLY_PARENT', details: { field: 'replyTo' } });
  });

  it('images as blobs with alt text; an image over 1,000,000 bytes is refused before any request', async () => {
    const s = await server();
    const r = root();
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3060a0' } }).png().toFile(join(r, 'a.png'));
    await sharp({ create: { width: 30, height: 40, channels: 3, background: '#a03060' } }).jpeg().toFile(join(r, 'b.jpg'));
    writeFileSync(join(r, 'big.jpg'), randomBytes(1_000_001));
    const t = ctx(s, r);
    const big = await failure(t.run({ text: 'too big', images: [{ file: 'a.png' }, { file: 'big.jpg' }] }));
    expect(big).toMatchObject({ pluginCode: 'bluesky/INPUT', details: { field: 'images[1].file' } });
    expect(s.calls).toEqual([]);
    const out = await t.run({ text: 'two pictures', images: [{ file: 'a.png', alt: 'blue' }, { file: 'b.jpg', alt: 'red' }] }) as Out;
    const embed = s.records.get(out.uri)!.value.embed as { $type: string; images: Array<{ alt: string; image: { ref: { $link: string }; mimeType: string } }> };
    expect(embed.$type).toBe('app.bsky.embed.images');
    expect(embed.images.map((i) => [i.alt, i.image.mimeType, s.blobs.has(i.image.ref.$link)])).toEqual([['blue', 'image/png', true], ['red', 'image/jpeg', true]]);
  });

  it('a video: limits first, uploaded with a PDS-scoped service token, the job polled; a dropped upload is picked up from the service', async () => {
    const s = await server({ processingPolls: 2 });
    const r = root();
    const v = video(r);
    // the service got the whole video and made a job, but the answer was lost
    s.faults.uploadVideo = ['drop-after'];
    const t = ctx(s, r);
    const out = await t.run({ text: 'a short', video: v, videoAlt: 'test card' }) as Out;
    const embed = s.records.get(out.uri)!.value.embed as { $type: string; alt: string; video: { ref: { $link: string } }; aspectRatio: unknown };
    expect(embed).toMatchObject({ $type: 'app.bsky.embed.video', alt: 'test card', aspectRatio: { width: 90, height: 160 } });
    expect(s.jobs.size).toBe(1);
    expect(embed.video.ref.$link).toBe([...s.jobs.values()][0]!.blobCid);
    expect(s.calls.filter((c) => c.method === 'uploadVideo').map((c) => c.status)).toEqual([0, 409]);
    expect(s.count('getUploadLimits')).toBe(1);
    expect(t.logs.some((l) => /sending the video again/.test(l.message))).toBe(true);
  });

  it('video limits: an unverified email or a spent daily allowance is refused before upload', async () => {
    const s = await server({ emailConfirmed: false });
    const r = root();
    const e = await failure(ctx(s, r).run({ text: 'x', video: video(r) }));
    expect(e.pluginCode).toBe('bluesky/VIDEO_LIMIT');
    expect(e.message).toMatch(/verify your email/);
    expect(s.calls.filter((c) => c.method === 'uploadVideo')).toEqual([]);
    const s2 = await server({ dailyVideos: 0 });
    const e2 = await failure(ctx(s2, r, { runId: 'other' }).run({ text: 'y', video: 'v.mp4' }));
    expect(e2.pluginCode).toBe('bluesky/VIDEO_LIMIT');
  });

  it('a failed video job is bluesky/VIDEO_FAILED and nothing is posted', async () => {
    const s = await server();
    const r = root();
    s.failNextJob.push('invalid_codec');
    const t = ctx(s, r);
    const e = await failure(t.run({ text: 'x', video: video(r) }));
    expect(e.pluginCode).toBe('bluesky/VIDEO_FAILED');
    expect(e.message).toMatch(/invalid_codec/);
    expect(s.records.size).toBe(0);
    expect(await t.effects()).toEqual([]);
  });

  it('an expired access token is refreshed once by the client; the rotated refresh token is used, the old one refused', async () => {
    const s = await server();
    const r = root();
    s.hooks.createRecord = (n) => { if (n === 1) s.expireAccessTokens(); };
    const out = await ctx(s, r).run({ text: 'after expiry' }) as Out;
    expect(out.posted).toBe(true);
    expect(s.count('refreshSession')).toBe(1);
    expect(s.count('createRecord')).toBe(1);
    expect(s.calls.filter((c) => c.method === 'createRecord').map((c) => c.status)).toEqual([400, 200]);
    const [spent] = [...s.spentRefresh];
    const res = await fetch(`${s.url}/xrpc/com.atproto.server.refreshSession`, { method: 'POST', headers: { Authorization: `Bearer ${spent}` } });
    expect(res.status).toBe(400);
  });

  describe('a crash', () => {
    it('before the act (while the video processes) leaves nothing in doubt; the next run picks the job up and posts once', async () => {
      const s = await server({ processingPolls: 3 });
      const r = root();
      const v = video(r);
      const ac = new AbortController();
      s.hooks.getJobStatus = (n) => { if (n === 1) ac.abort(); };
      const first = ctx(s, r, { signal: ac.signal });
      await failure(first.run({ text: 'crash before', video: v }));
      expect(await first.effects()).toEqual([]);
      delete s.hooks.getJobStatus;
      const out = await ctx(s, r, { accounts: [] }).run({ text: 'crash before', video: v }) as Out;
      expect(out.posted).toBe(true);
      expect(s.calls.filter((c) => c.method === 'uploadVideo')).toHaveLength(1);
      expect(s.records.size).toBe(1);
    });

    it('during the act (the PDS created the record, the answer was lost) is reconciled by its record key: not posted twice', async () => {
      const s = await server();
      const r = root();
      s.faults.createRecord = ['drop-after'];
      const first = ctx(s, r);
      const e = await failure(first.run({ text: 'crash during' }));
      expect(e.code).toBe('E_EFFECT_IN_DOUBT');
      expect((await first.effects()).map((x) => x.status)).toEqual(['pending']);
      const out = await ctx(s, r, { accounts: [] }).run({ text: 'crash during' }) as Out;
      expect(out).toMatchObject({ posted: false, uri: [...s.records.keys()][0] });
      expect(s.records.size).toBe(1);
      expect(s.calls.filter((c) => c.method === 'createRecord')).toHaveLength(1);
    });

    it('after the act, before it was recorded: reconciled, not posted twice', async () => {
      const s = await server();
      const r = root();
      const t = ctx(s, r);
      let saved: Promise<Array<{ key: string; value: unknown }>> | undefined;
      s.hooks.createRecord = () => { saved = t.context().store.list('post/'); };
      await t.run({ text: 'crash after' });
      // as the process would have left things had it died right after createRecord answered
      const [state] = await saved!;
      await t.context().store.set(state!.key, state!.value);
      const [effect] = await t.effects('done');
      await t.leaveInDoubt(effect!);
      const out = await ctx(s, r, { accounts: [] }).run({ text: 'crash after' }) as Out;
      expect(out.posted).toBe(false);
      expect(s.records.size).toBe(1);
      expect(s.count('createRecord')).toBe(1);
    });

    it('a reconciliation that finds no record posts (the act never reached the PDS)', async () => {
      const s = await server();
      const r = root();
      s.faults.createRecord = ['drop'];
      const first = ctx(s, r);
      await failure(first.run({ text: 'lost on the wire' }));
      const out = await ctx(s, r, { accounts: [] }).run({ text: 'lost on the wire' }) as Out;
      expect(out.posted).toBe(true);
      expect(s.records.size).toBe(1);
    });
  });

  it('limits and credentials: 301 graphemes, images with a video, a wrong app password, the daily cap', async () => {
    const s = await server();
    const r = root();
    const t = ctx(s, r, { now: CAP_DAY, accounts: [{ name: 'me', platform: 'bluesky', maxPerDay: 1, settings: { handle: HANDLE }, secrets: { appPassword: PASSWORD } }] });
    expect(await failure(t.run({ text: '🇧🇷'.repeat(301) }))).toMatchObject({ pluginCode: 'bluesky/INPUT', details: { field: 'text' } });
    expect(await failure(t.run({ text: 'x', video: 'v.mp4', images: [{ file: 'a.png' }] }))).toMatchObject({ pluginCode: 'bluesky/INPUT', details: { field: 'images' } });
    expect(s.calls).toEqual([]);
    await t.run({ text: 'one a day' });
    expect(await failure(t.run({ text: 'two a day' }, { stepId: 'other' }))).toMatchObject({ code: 'E_ACCOUNT' });
    const bad = ctx(s, root(), { accounts: [{ name: 'me', platform: 'bluesky', settings: { handle: HANDLE }, secrets: { appPassword: 'wrong-pass-word-here' } }] });
    const e = await failure(bad.run({ text: 'x' }));
    expect(e.pluginCode).toBe('bluesky/AUTH');
    expect(e.hint).toMatch(/mpv2 accounts add bluesky --name me --update --secret appPassword=/);
  });
});
