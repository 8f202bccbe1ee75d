/**
 * pipelines/crosspost.yaml through the CLI against loopback servers for the LLM, YouTube,
 * Instagram, Facebook, TikTok and Bluesky: the LLM writes each platform's captions (structured
 * output), each listed account gets the video once. The first run is killed while the Instagram
 * upload is in flight; the re-run finishes, and the servers count exactly one post per account.
 * A platform that fails (an expired Meta token) does not block the others, and the outputs say
 * why. Without account inputs every configured account is posted to, one added since included.
 */
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBlueskyServer, type BlueskyServer } from '../servers/bluesky.js';
import { startFacebookServer, type FacebookServer } from '../servers/facebook.js';
import { startInstagramServer, type InstagramServer } from '../servers/instagram.js';
import { startLlmServer, type LlmServer } from '../servers/llm.js';
import { startTiktokServer, type TiktokServer } from '../servers/tiktok.js';
import { startYoutubeServer, type YoutubeServer } from '../servers/youtube-api.js';
import { ensureBuilt, makeProject, mpv2, REPO } from './cli-harness.js';

const YT = { clientId: 'test-client.apps.googleusercontent.com', clientSecret: 'GOCSPX-crosspost-secret-01' };
const CAPTIONS = {
  youtube: { title: 'Three hearts of the octopus', description: 'Why octopuses have three hearts.', tags: ['octopus', 'science'] },
  instagram: { caption: 'Three hearts, blue blood.', hashtags: ['octopus', 'science'] },
  facebook: { description: 'Three hearts, blue blood.', hashtags: ['octopus'] },
  tiktok: { title: 'Three hearts #octopus #science' },
  bluesky: { text: 'Octopuses have three hearts #science' },
};

type Post = { account: string; reason: string | null; url?: string };
type Ev = { event: string; status?: string; outputs?: Record<string, Array<Record<string, unknown> | null>> & { posts?: Record<string, Post[]> } };
const finished = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Ev).find((e) => e.event === 'run.finished');

describe('pipelines/crosspost.yaml', () => {
  let llm: LlmServer; let yt: YoutubeServer; let ig: InstagramServer; let fb: FacebookServer; let tt: TiktokServer; let bs: BlueskyServer;
  let root: string;
  const cli = (args: string[], onSpawn?: (pid: number) => void) => mpv2(args, { cwd: root, env: { MPV2_MASTER_KEY: 'crosspost-e2e-master-key-01' }, onSpawn });

  beforeAll(async () => {
    await ensureBuilt();
    llm = await startLlmServer({ responder: () => ({ json: CAPTIONS }) });
    yt = await startYoutubeServer({ ...YT, refreshTokens: ['1//yt-refresh-crosspost'] });
    ig = await startInstagramServer({ users: { '1784100': 'IG-TOKEN-crosspost', '1784200': 'IG-TOKEN-second' } });
    fb = await startFacebookServer({ pages: { '5550001': 'FB-TOKEN-crosspost', '5550002': 'FB-TOKEN-expired' } });
    fb.expire('FB-TOKEN-expired');
    tt = await startTiktokServer({ clientKey: 'ck-crosspost', clientSecret: 'cs-crosspost', refreshTokens: ['rt-crosspost-0001'] });
    bs = await startBlueskyServer({ handle: 'mpv2.test', appPassword: 'cros-spos-tapp-pass' });
    const y = yt.config;
    root = makeProject({
      '.mpv2rc.yaml': [
        `llm:\n  defaultProvider: local\n  providers:\n    local:\n      type: openai\n      baseUrl: ${llm.url}/v1\n      model: test-model`,
        `youtube:\n  apiBaseUrl: ${y.apiBaseUrl}\n  uploadBaseUrl: ${y.uploadBaseUrl}\n  oauthTokenUrl: ${y.oauthTokenUrl}\n  oauthAuthorizeUrl: ${y.oauthAuthorizeUrl}`,
        `instagram:\n  graphBaseUrl: ${ig.url}\n  uploadBaseUrl: ${ig.url}\n  pollIntervalMs: 0`,
        `facebook:\n  graphBaseUrl: ${fb.url}\n  uploadBaseUrl: ${fb.url}\n  pollIntervalMs: 0`,
        `tiktok:\n  apiBaseUrl: ${tt.url}\n  pollIntervalMs: 0`,
        `bluesky:\n  service: ${bs.url}\n  videoService: ${bs.url}\n  pollIntervalMs: 0`,
      ].join('\n') + '\n',
    });
    cpSync(join(REPO, 'pipelines', 'crosspost.yaml'), join(root, 'crosspost.yaml'));
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=540x960:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '4', '-shortest', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart', join(root, 'short.mp4')]);
    for (const args of [
      ['youtube', '--name', 'yt', '--secret', `clientId=${YT.clientId}`, '--secret', `clientSecret=${YT.clientSecret}`, '--secret', 'refreshToken=1//yt-refresh-crosspost'],
      ['instagram', '--name', 'ig', '--set', 'userId=1784100', '--secret', 'accessToken=IG-TOKEN-crosspost'],
      ['facebook', '--name', 'fb', '--set', 'pageId=5550001', '--secret', 'pageAccessToken=FB-TOKEN-crosspost'],
      ['facebook', '--name', 'fb-old', '--set', 'pageId=5550002', '--secret', 'pageAccessToken=FB-TOKEN-expired'],
      ['tiktok', '--name', 'tt', '--secret', 'clientKey=ck-crosspost', '--secret', 'clientSecret=cs-crosspost', '--secret', 'refreshToken=rt-crosspost-0001'],
      ['bluesky', '--name', 'bs', '--set', 'handle=mpv2.test', '--secret', 'appPassword=cros-spos-tapp-pass'],
    ]) {
      const r = await cli(['accounts', 'add', ...args]);
      expect(r.code, r.stderr).toBe(0);
    }
  }, 600_000);
  afterAll(async () => { for (const s of [llm, yt, ig, fb, tt, bs]) await s?.close(); });

  const ARGS = ['run', 'crosspost.yaml', '--json', '--input', 'video=short.mp4', '--input', 'about=Why octopuses have three hearts',
    '--input', 'youtube=["yt"]', '--input', 'instagram=["ig"]', '--input', 'facebook=["fb","fb-old"]', '--input', 'tiktok=["tt"]', '--input', 'bluesky=["bs"]'];

  it('killed mid-upload, then re-run: every account posted exactly once, the expired Page reported without blocking the others', async () => {
    ig.faults.upload = ['hold@65536']; // keeps 64 KiB, then never answers
    let pid = 0;
    const first = cli(ARGS, (p) => { pid = p; });
    // the run ends on its own only if it never reached the Instagram upload: show why
    const ended = await Promise.race([first.then((r) => r), ig.held.then(() => undefined)]);
    expect(ended, ended && `${ended.stdout.slice(-3000)}\n${ended.stderr.slice(-3000)}`).toBeUndefined();
    process.kill(pid, 'SIGKILL');
    await first;

    const second = await cli(ARGS);
    const done = finished(second.stdout);
    expect(done, second.stderr).toBeDefined();
    const out = done!.outputs!;
    expect(out.youtube![0]).toMatchObject({ url: expect.stringMatching(/^https:\/\/(www\.)?youtube\.com\/(watch\?v=|shorts\/)/) });
    expect(out.instagram![0]).toMatchObject({ url: expect.stringMatching(/^https:\/\/www\.instagram\.com\/reel\//) });
    expect(out.facebook![0]).toMatchObject({ url: expect.stringContaining('/reel/') });
    expect(out.facebook![1]).toBeNull();
    expect(out.tiktok![0]).toMatchObject({ account: 'tt' });
    expect(out.bluesky![0]).toMatchObject({ url: expect.stringMatching(/^https:\/\/bsky\.app\/profile\/mpv2\.test\/post\//) });
    const counts = () => ({ yt: yt.videos.size, ig: ig.media.length, fb: [...fb.videos.values()].filter((v) => v.finish).length, tt: tt.posted().length, bs: bs.posts().length });
    expect(counts()).toEqual({ yt: 1, ig: 1, fb: 1, tt: 1, bs: 1 });

    const third = await cli(ARGS);
    expect(finished(third.stdout)?.outputs?.instagram?.[0]).toMatchObject({ url: out.instagram![0]!.url });
    expect(counts()).toEqual({ yt: 1, ig: 1, fb: 1, tt: 1, bs: 1 });
    for (const secret of ['IG-TOKEN-crosspost', 'FB-TOKEN-crosspost', 'cs-crosspost', 'cros-spos-tapp-pass', YT.clientSecret]) {
      expect(second.stdout + second.stderr + third.stdout + third.stderr).not.toContain(secret);
    }
    // per platform and account: the post's URL, or the reason it was not posted
    expect(out.posts!.facebook).toEqual([
      expect.objectContaining({ account: 'fb', reason: null, url: expect.stringContaining('/reel/') }),
      { account: 'fb-old', reason: expect.stringMatching(/expired|log in again/i) },
    ]);
    expect(out.posts!.instagram).toEqual([expect.objectContaining({ account: 'ig', reason: null, url: out.instagram![0]!.url })]);
    expect(out.posts!.tiktok).toEqual([expect.objectContaining({ account: 'tt', reason: null })]);
  }, 300_000);

  it('without account inputs, every configured account of every platform: the one added since gets its post, the others nothing new', async () => {
    const added = await cli(['accounts', 'add', 'instagram', '--name', 'ig2', '--set', 'userId=1784200', '--secret', 'accessToken=IG-TOKEN-second']);
    expect(added.code, added.stderr).toBe(0);
    const r = await cli(['run', 'crosspost.yaml', '--json', '--input', 'video=short.mp4', '--input', 'about=Why octopuses have three hearts']);
    const done = finished(r.stdout);
    expect(done, r.stderr).toBeDefined();
    const posts = done!.outputs!.posts!;
    expect(posts.instagram!.map((p) => [p.account, p.reason])).toEqual([['ig', null], ['ig2', null]]);
    expect(posts.instagram![1]!.url).toMatch(/^https:\/\/www\.instagram\.com\/reel\//);
    expect(posts.facebook!.map((p) => p.account)).toEqual(['fb', 'fb-old']);
    expect(posts.facebook![1]!.reason).toMatch(/expired|log in again/i);
    for (const [platform, account] of [['youtube', 'yt'], ['tiktok', 'tt'], ['bluesky', 'bs']] as const) {
      expect(posts[platform]).toEqual([expect.objectContaining({ account, reason: null })]);
    }
    expect({ yt: yt.videos.size, ig: ig.media.length, fb: [...fb.videos.values()].filter((v) => v.finish).length, tt: tt.posted().length, bs: bs.posts().length })
      .toEqual({ yt: 1, ig: 2, fb: 1, tt: 1, bs: 1 });
    expect(r.stdout + r.stderr).not.toContain('IG-TOKEN-second');
    expect(r.stdout + r.stderr).not.toContain('FB-TOKEN-expired');
  }, 300_000);
});
