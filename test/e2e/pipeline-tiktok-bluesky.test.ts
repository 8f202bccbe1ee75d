/**
 * tiktok.upload and bluesky.post through the CLI: accounts added with `mpv2 accounts add`, the
 * config sections pointing at loopback servers that speak the APIs, one pipeline posting to
 * both; a second run posts nothing. The rotated TikTok refresh token is stored, and no secret
 * reaches the events or the run log.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBlueskyServer, type BlueskyServer } from '../servers/bluesky.js';
import { startTiktokServer, type TiktokServer } from '../servers/tiktok.js';
import { ensureBuilt, makeProject, mpv2 } from './cli-harness.js';

const CLIENT_SECRET = 'tt-client-secret-e2e-5f2c9a';
const APP_PASSWORD = 'e2e1-app2-pass-word';

const PIPELINE = `name: crosspost-min
steps:
  - id: tiktok
    uses: tiktok.upload
    with: { account: tt, video: short.mp4, title: "Octopus facts #science", privacyLevel: PUBLIC_TO_EVERYONE }
  - id: bsky
    uses: bluesky.post
    with: { account: me, text: "Octopus facts on TikTok: \${{ steps.tiktok.outputs.url }} #science", video: short.mp4 }
outputs:
  tiktok: \${{ steps.tiktok.outputs.url }}
  bluesky: \${{ steps.bsky.outputs.url }}
`;

type Ev = { event: string; status?: string; outputs?: Record<string, string>; error?: { code: string; message: string } };
const events = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Ev);

describe('tiktok.upload and bluesky.post through the CLI', () => {
  let tt: TiktokServer;
  let bs: BlueskyServer;
  let root: string;
  const cli = (args: string[]) => mpv2(args, { cwd: root, env: {} });

  beforeAll(async () => {
    await ensureBuilt();
    tt = await startTiktokServer({ clientKey: 'aw-e2e-key', clientSecret: CLIENT_SECRET, refreshTokens: ['rt-e2e-initial-0001'] });
    bs = await startBlueskyServer({ handle: 'mpv2.test', appPassword: APP_PASSWORD });
    root = makeProject({
      '.mpv2rc.yaml': `tiktok:\n  apiBaseUrl: ${tt.url}\n  pollIntervalMs: 0\nbluesky:\n  service: ${bs.url}\n  videoService: ${bs.url}\n  pollIntervalMs: 0\n`,
      'post.yaml': PIPELINE,
    });
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=90x160:rate=10', '-t', '1', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', join(root, 'short.mp4')]);
  }, 600_000);
  afterAll(async () => { await tt?.close(); await bs?.close(); });

  it('posts to both once; a re-run posts nothing; secrets stay out of events and logs', async () => {
    for (const args of [
      ['accounts', 'add', 'tiktok', '--name', 'tt', '--secret', 'clientKey=aw-e2e-key', '--secret', `clientSecret=${CLIENT_SECRET}`, '--secret', 'refreshToken=rt-e2e-initial-0001'],
      ['accounts', 'add', 'bluesky', '--name', 'me', '--set', 'handle=mpv2.test', '--secret', `appPassword=${APP_PASSWORD}`],
    ]) {
      const r = await cli(args);
      expect(r.code, r.stderr).toBe(0);
    }
    const first = await cli(['run', 'post.yaml', '--json']);
    const done = events(first.stdout).find((e) => e.event === 'run.finished')!;
    expect(done.status, first.stderr + first.stdout).toBe('succeeded');
    expect(done.outputs!.tiktok).toMatch(/^https:\/\/www\.tiktok\.com\/@mpv2creator\/video\/\d+$/);
    expect(done.outputs!.bluesky).toMatch(/^https:\/\/bsky\.app\/profile\/mpv2\.test\/post\/[2-7a-z]{13}$/);
    expect(tt.posted()).toHaveLength(1);
    expect(bs.posts()).toHaveLength(1);
    expect((bs.posts()[0]!.value as { text: string }).text).toContain(done.outputs!.tiktok);
    // the rotated refresh token replaced the spent one in the credentials file
    const creds = readFileSync(join(root, '.mpv2', 'credentials.json'), 'utf8');
    expect(tt.spent.has('rt-e2e-initial-0001')).toBe(true);
    expect(creds).not.toContain('rt-e2e-initial-0001');
    expect([...tt.refreshTokens].some((t) => creds.includes(t))).toBe(true);

    const second = await cli(['run', 'post.yaml', '--json']);
    expect(events(second.stdout).find((e) => e.event === 'run.finished')!.status).toBe('succeeded');
    expect(tt.posted()).toHaveLength(1);
    expect(bs.posts()).toHaveLength(1);
    expect(tt.count('init')).toBe(1);

    const logs = readdirSync(join(root, '.mpv2', 'logs')).map((f) => readFileSync(join(root, '.mpv2', 'logs', f), 'utf8')).join('\n');
    for (const secret of [CLIENT_SECRET, APP_PASSWORD, ...tt.refreshTokens]) {
      expect(first.stdout + first.stderr + second.stdout + logs).not.toContain(secret);
    }
  }, 300_000);

  it('two processes that need a token at the same time refresh it once (the spent token is never sent twice)', async () => {
    const server = await startTiktokServer({ clientKey: 'aw-e2e-key', clientSecret: CLIENT_SECRET, refreshTokens: ['rt-e2e-race-0001'], tokenDelayMs: 1500 });
    try {
      const dir = makeProject({
        '.mpv2rc.yaml': `tiktok:\n  apiBaseUrl: ${server.url}\n  pollIntervalMs: 0\n`,
        'a.yaml': 'name: a\nsteps:\n  - id: t\n    uses: tiktok.upload\n    with: { account: tt, video: a.mp4, title: "A" }\n',
        'b.yaml': 'name: b\nsteps:\n  - id: t\n    uses: tiktok.upload\n    with: { account: tt, video: b.mp4, title: "B" }\n',
      });
      for (const n of ['a', 'b']) execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=90x160:rate=10`, '-t', n === 'a' ? '1' : '2', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', join(dir, `${n}.mp4`)]);
      const add = await mpv2(['accounts', 'add', 'tiktok', '--name', 'tt', '--secret', 'clientKey=aw-e2e-key', '--secret', `clientSecret=${CLIENT_SECRET}`, '--secret', 'refreshToken=rt-e2e-race-0001'], { cwd: dir, env: {} });
      expect(add.code, add.stderr).toBe(0);
      const [a, b] = await Promise.all(['a.yaml', 'b.yaml'].map((f) => mpv2(['run', f, '--json'], { cwd: dir, env: {} })));
      for (const r of [a!, b!]) expect(events(r.stdout).find((e) => e.event === 'run.finished')!.status, r.stderr + r.stdout).toBe('succeeded');
      expect(server.calls.filter((c) => c.endpoint === 'token').map((c) => c.status)).toEqual([200]);
      expect(server.posted()).toHaveLength(2);
    } finally {
      await server.close();
    }
  }, 300_000);
});
