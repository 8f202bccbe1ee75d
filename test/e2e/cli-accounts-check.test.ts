/**
 * `mpv2 accounts check --json` as a subprocess against the Meta loopback servers: one line per
 * account (ok, an expired token, a used-up limit), the account's own cap beside the platform's
 * quota, exit 1 when one is in error, and no secret anywhere in stdout or stderr.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFacebookServer, type FacebookServer } from '../servers/facebook.js';
import { startInstagramServer, type InstagramServer } from '../servers/instagram.js';
import { ensureBuilt, json, makeProject, mpv2 } from './cli-harness.js';

const env = { MPV2_MASTER_KEY: 'e2e-master-key-check-0123' };
const TOKENS = ['IGTOKEN-live-5b1e', 'IGTOKEN-dead-77aa', 'FBTOKEN-page-c0de'];

interface Row { name: string; platform: string; level: string; message: string; quota?: string; usesToday: number; maxPerDay?: number }

describe('mpv2 accounts check', () => {
  let ig: InstagramServer;
  let fb: FacebookServer;
  let root: string;
  const cli = (args: string[]) => mpv2(args, { cwd: root, env });

  beforeAll(async () => {
    await ensureBuilt();
    ig = await startInstagramServer({ users: { '1784100': TOKENS[0]!, '1784200': TOKENS[1]! } });
    fb = await startFacebookServer({ pages: { '5550001': TOKENS[2]! } });
    ig.expire(TOKENS[1]!);
    ig.quota.set('1784100', { usage: 98, total: 100 });
    root = makeProject({
      '.mpv2rc.yaml': `instagram:\n  graphBaseUrl: ${ig.url}\n  uploadBaseUrl: ${ig.url}\nfacebook:\n  graphBaseUrl: ${fb.url}\n  uploadBaseUrl: ${fb.url}\n`,
    });
    for (const args of [
      ['instagram', '--name', 'ig-live', '--max-per-day', '3', '--set', 'userId=1784100', '--secret', `accessToken=${TOKENS[0]}`],
      ['instagram', '--name', 'ig-dead', '--set', 'userId=1784200', '--secret', `accessToken=${TOKENS[1]}`],
      ['facebook', '--name', 'fb-page', '--set', 'pageId=5550001', '--secret', `pageAccessToken=${TOKENS[2]}`],
    ]) {
      const r = await cli(['accounts', 'add', ...args]);
      expect(r.code, r.stderr).toBe(0);
    }
  }, 240_000);
  afterAll(async () => { await ig?.close(); await fb?.close(); });

  it('reports each account on one line, exits 1 for the expired token, and prints no secret', async () => {
    const r = await cli(['accounts', 'check', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const rows = json<{ accounts: Row[] }>(r).accounts;
    expect(rows.map((x) => [x.name, x.platform, x.level])).toEqual([['fb-page', 'facebook', 'ok'], ['ig-dead', 'instagram', 'error'], ['ig-live', 'instagram', 'ok']]);
    expect(rows.find((x) => x.name === 'ig-live')).toMatchObject({ quota: '2 of 100 posts (moving 24 h)', usesToday: 0, maxPerDay: 3 });
    expect(rows.find((x) => x.name === 'ig-dead')!.message).toMatch(/expired or was revoked/);
    for (const t of TOKENS) {
      for (const text of [r.stdout, r.stderr, Buffer.from(r.stdout).toString('base64')]) expect(text).not.toContain(t);
    }
  }, 120_000);

  it('checks only the named accounts; the table says the same', async () => {
    const r = await cli(['accounts', 'check', 'ig-live', 'fb-page']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ig-live\s+instagram\s+ok\s+2 of 100 posts \(moving 24 h\)\s+0\/3/);
    expect(r.stdout).toContain('fb-page');
    expect(r.stdout).not.toContain('ig-dead');
    for (const t of TOKENS) expect(r.stdout + r.stderr).not.toContain(t);
  }, 120_000);
});
