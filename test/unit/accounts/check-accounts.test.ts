/**
 * `checkAccounts` with each built-in platform's check against its loopback server: a valid
 * token, an expired or revoked one, and a used-up quota; a hanging check ends at the timeout;
 * every row is free of secrets.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blueskyAccountType } from '../../../plugins/bluesky/account-type.js';
import { facebookAccountType } from '../../../plugins/meta/facebook/account-type.js';
import { instagramAccountType } from '../../../plugins/meta/instagram/account-type.js';
import { emailAccountType } from '../../../plugins/outreach/account-type.js';
import { tiktokAccountType } from '../../../plugins/tiktok/account-type.js';
import { twitterAccountType } from '../../../plugins/twitter/account-type.js';
import { youtubeAccountType } from '../../../plugins/youtube/account-type.js';
import { pacificDay } from '../../../plugins/youtube/quota.js';
import { sha256 } from '../../../src/sdk/plugin.js';
import { addAccount, checkAccounts, openAccounts, type AccountsHandle, type CheckAccountsRequest } from '../../../src/infra/accounts/index.js';
import { Redactor } from '../../../src/infra/redact.js';
import { openState, type State } from '../../../src/infra/state.js';
import { namespaceKv } from '../../../src/infra/store/types.js';
import type { AccountType } from '../../../src/plugin/types.js';
import { configSection } from 'mpv2/testing';
import type { JSONSchema } from 'mpv2/plugin';
import { namespace as youtubeNs } from '../../../plugins/youtube/index.js';
import { namespace as twitterNs } from '../../../plugins/twitter/index.js';
import { namespace as instagramNs } from '../../../plugins/meta/instagram/index.js';
import { namespace as facebookNs } from '../../../plugins/meta/facebook/index.js';
import { namespace as outreachNs } from '../../../plugins/outreach/index.js';
import { namespace as tiktokNs } from '../../../plugins/tiktok/index.js';
import { namespace as blueskyNs } from '../../../plugins/bluesky/index.js';
import { startBlueskyServer } from '../../servers/bluesky.js';
import { startFacebookServer } from '../../servers/facebook.js';
import { startInstagramServer } from '../../servers/instagram.js';
import { startSmtpServer } from '../../servers/smtp.js';
import { startTiktokServer } from '../../servers/tiktok.js';
import { startXApiServer } from '../../servers/x-api.js';
import { startYoutubeServer } from '../../servers/youtube-api.js';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const types = [
  { type: youtubeAccountType, namespace: 'youtube' }, { type: twitterAccountType, namespace: 'twitter' },
  { type: instagramAccountType, namespace: 'instagram' }, { type: facebookAccountType, namespace: 'facebook' },
  { type: emailAccountType, namespace: 'outreach' }, { type: tiktokAccountType, namespace: 'tiktok' },
  { type: blueskyAccountType, namespace: 'bluesky' },
];

let state: State;
let h: AccountsHandle;
let root: string;
const closers: Array<() => Promise<void>> = [];
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mpv2-acheck-'));
  state = openState(root);
  h = openAccounts({ root, kv: state.kv, masterKey: 'k' });
});
afterEach(async () => { for (const c of closers.splice(0)) await c(); state.close(); });

async function add(platform: string, name: string, set: Record<string, string>, secrets: Record<string, string>, maxPerDay?: number) {
  const type = types.find((t) => t.type.platform === platform)!.type;
  await addAccount(h, type, { name, settings: set, secrets, ...(maxPerDay !== undefined && { maxPerDay }) });
}

/** Each namespace's section as the config loader hands it over: the schema's defaults filled. */
const SCHEMAS: Record<string, JSONSchema> = Object.fromEntries(
  [youtubeNs, twitterNs, instagramNs, facebookNs, outreachNs, tiktokNs, blueskyNs].map((n) => [n.namespace, n.config!.schema]),
);

function request(config: Record<string, Record<string, unknown>>, o: Partial<CheckAccountsRequest> = {}): CheckAccountsRequest {
  return {
    names: [], types, configOf: (ns) => (SCHEMAS[ns] ? configSection(SCHEMAS[ns], config[ns] ?? {}) : config[ns] ?? {}), storeOf: (ns) => namespaceKv(state.kv, ns), root,
    redactor: new Redactor(), timeoutMs: 10_000, signal: new AbortController().signal, now: () => NOW, ...o,
  };
}

describe('accounts check', () => {
  it('instagram: valid token with the moving-24 h limit left, an expired token (190) as an error with the way to store a new one, a used-up limit as a warning', async () => {
    const ig = await startInstagramServer({ users: { '1784100': 'IG-TOKEN-OK', '1784200': 'IG-TOKEN-OLD', '1784300': 'IG-TOKEN-FULL' } });
    closers.push(() => ig.close());
    ig.expire('IG-TOKEN-OLD');
    ig.quota.set('1784100', { usage: 3, total: 100 });
    ig.quota.set('1784300', { usage: 100, total: 100 });
    await add('instagram', 'ig-ok', { userId: '1784100' }, { accessToken: 'IG-TOKEN-OK' }, 5);
    await add('instagram', 'ig-old', { userId: '1784200' }, { accessToken: 'IG-TOKEN-OLD' });
    await add('instagram', 'ig-full', { userId: '1784300' }, { accessToken: 'IG-TOKEN-FULL' });
    const rows = await checkAccounts(h, request({ instagram: ig.config }));
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(by['ig-ok']).toMatchObject({ platform: 'instagram', level: 'ok', quota: '97 of 100 posts (moving 24 h)', usesToday: 0, maxPerDay: 5 });
    expect(by['ig-old']!.level).toBe('error');
    expect(by['ig-old']!.message).toMatch(/expired or was revoked/);
    expect(by['ig-old']!.hint).toMatch(/--secret accessToken=…/);
    expect(by['ig-full']).toMatchObject({ level: 'warn', quota: '0 of 100 posts (moving 24 h)' });
    expect(ig.count('limit')).toBe(2);
    expect(JSON.stringify(rows)).not.toMatch(/IG-TOKEN/);
  });

  it('facebook: the Page read with its token, the Reels window counted by mpv2, an expired token reported clearly', async () => {
    const fb = await startFacebookServer({ pages: { '5550001': 'FB-PAGE-OK', '5550002': 'FB-PAGE-OLD' } });
    closers.push(() => fb.close());
    fb.expire('FB-PAGE-OLD');
    await add('facebook', 'fb-ok', { pageId: '5550001' }, { pageAccessToken: 'FB-PAGE-OK' });
    await add('facebook', 'fb-old', { pageId: '5550002' }, { pageAccessToken: 'FB-PAGE-OLD' });
    await namespaceKv(state.kv, 'facebook').set('published/5550001', Array.from({ length: 28 }, () => Date.now()));
    const rows = await checkAccounts(h, request({ facebook: { ...fb.config, reelsPer24h: 30 } }));
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(by['fb-ok']).toMatchObject({ level: 'ok', quota: '2 of 30 Reels (moving 24 h, counted by mpv2)' });
    expect(by['fb-ok']!.message).toContain('Page "Page 5550001" (5550001)');
    expect(by['fb-old']).toMatchObject({ level: 'error' });
    expect(by['fb-old']!.hint).toMatch(/--secret pageAccessToken=…/);
    expect(JSON.stringify(rows)).not.toMatch(/FB-PAGE/);
  });

  it('youtube: a valid grant with its scopes and today\'s quota from the tracker, a revoked grant, a client whose units are used up', async () => {
    const yt = await startYoutubeServer({ clientId: 'CID-1', clientSecret: 'CSECRET-1', refreshTokens: ['RT-GOOD'] });
    closers.push(() => yt.close());
    await add('youtube', 'yt-ok', {}, { clientId: 'CID-1', clientSecret: 'CSECRET-1', refreshToken: 'RT-GOOD' });
    await add('youtube', 'yt-revoked', {}, { clientId: 'CID-1', clientSecret: 'CSECRET-1', refreshToken: 'RT-REVOKED' });
    // an account of the same client whose own daily units (quotaPerDay) are already used
    await add('youtube', 'yt-spent', { quotaPerDay: '100' }, { clientId: 'CID-1', clientSecret: 'CSECRET-1', refreshToken: 'RT-GOOD' });
    const store = namespaceKv(state.kv, 'youtube');
    await store.set(`quota/${sha256('CID-1').slice(0, 16)}/${pacificDay(NOW)}`, { units: 100, uploads: 4, searches: 0 });
    const rows = await checkAccounts(h, request({ youtube: yt.config }));
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(by['yt-ok']).toMatchObject({ level: 'ok', scopes: ['https://www.googleapis.com/auth/youtube.upload'], quota: '9899 of 10000 units, 96 of 100 uploads (Pacific day)' });
    expect(yt.count('channels')).toBe(1);
    expect(by['yt-ok']!.message).toContain('channel UCtestchannel000000000000');
    expect(by['yt-revoked']).toMatchObject({ level: 'error' });
    expect(by['yt-revoked']!.message).toMatch(/invalid_grant/);
    expect(by['yt-spent']).toMatchObject({ level: 'error' });
    expect(by['yt-spent']!.message).toMatch(/quota of this OAuth client is used up/);
    expect(JSON.stringify(rows)).not.toMatch(/RT-GOOD|RT-REVOKED|CSECRET|ya29/);
  });

  it('twitter: valid keys name the account; a refused token is an error', async () => {
    const x = await startXApiServer({ bearerToken: 'X-BEARER-OK', username: 'mpv2bot' });
    closers.push(() => x.close());
    await add('twitter', 'x-ok', {}, { bearerToken: 'X-BEARER-OK' });
    await add('twitter', 'x-bad', {}, { bearerToken: 'X-BEARER-BAD' });
    const rows = await checkAccounts(h, request({ twitter: { apiBaseUrl: x.url } }));
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(by['x-ok']).toMatchObject({ level: 'ok', message: 'OAuth 2.0 user token valid for @mpv2bot' });
    expect(by['x-bad']!.level).toBe('error');
    expect(JSON.stringify(rows)).not.toMatch(/X-BEARER/);
  });

  it('tiktok: a stored access token checked by creator_info; a check never refreshes (that rotates the refresh token); a refused token is an error', async () => {
    const tt = await startTiktokServer({ clientKey: 'CK', clientSecret: 'CS-SECRET', refreshTokens: ['RT-TT-1'] });
    closers.push(() => tt.close());
    // what a run left: a refreshed access token (the rotated refresh token stored with it)
    const grant = await (await fetch(`${tt.url}/v2/oauth/token/`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_key: 'CK', client_secret: 'CS-SECRET', grant_type: 'refresh_token', refresh_token: 'RT-TT-1' }) })).json() as { access_token: string; refresh_token: string };
    const keys = { clientKey: 'CK', clientSecret: 'CS-SECRET', refreshToken: grant.refresh_token };
    const stored = { 'tt-fresh': [grant.access_token, NOW + 3_600_000], 'tt-stale': ['act.OLD', NOW - 1], 'tt-revoked': ['act.REVOKED', NOW + 3_600_000] } as const;
    for (const [name, [accessToken, at]] of Object.entries(stored)) {
      await add('tiktok', name, {}, keys);
      // as the plugin's saveCredentials keeps them after a refresh
      await h.credentials.set(name, { accessToken, accessTokenExpiresAt: String(at) }, { merge: true });
    }
    const rows = await checkAccounts(h, request({ tiktok: { apiBaseUrl: tt.url } }));
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(by['tt-fresh']).toMatchObject({ level: 'ok', message: 'access token valid for @mpv2creator; may post PUBLIC_TO_EVERYONE, MUTUAL_FOLLOW_FRIENDS, SELF_ONLY, videos up to 600 s' });
    expect(by['tt-stale']!.level).toBe('warn');
    expect(by['tt-revoked']!.level).toBe('error');
    expect(by['tt-revoked']!.message).toContain('access_token_invalid');
    expect(tt.calls.filter((x) => x.endpoint === 'token')).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toMatch(/act\.|CS-SECRET|rt-/);
  });

  it('bluesky: an app-password session and the video service\'s limits; a wrong app password is an error; an unverified email a warning', async () => {
    const bs = await startBlueskyServer({ handle: 'anna.test', appPassword: 'abcd-efgh-ijkl-mnop', dailyVideos: 25 });
    const unverified = await startBlueskyServer({ handle: 'bob.test', appPassword: 'bbbb-cccc-dddd-eeee', emailConfirmed: false });
    closers.push(() => bs.close(), () => unverified.close());
    await add('bluesky', 'bs-ok', { handle: 'anna.test' }, { appPassword: 'abcd-efgh-ijkl-mnop' });
    await add('bluesky', 'bs-wrong', { handle: 'anna.test' }, { appPassword: 'zzzz-zzzz-zzzz-zzzz' });
    const cfg = (url: string) => ({ service: url, videoService: url, videoServiceDid: 'did:web:video.bsky.app' });
    const rows = await checkAccounts(h, request({ bluesky: cfg(bs.url) }));
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(by['bs-ok']).toMatchObject({ level: 'ok', message: 'app password valid for @anna.test' });
    expect(by['bs-ok']!.quota).toMatch(/^25 videos, \d+ bytes \(today\)$/);
    expect(by['bs-wrong']!.level).toBe('error');
    await add('bluesky', 'bs-unverified', { handle: 'bob.test' }, { appPassword: 'bbbb-cccc-dddd-eeee' });
    const [row] = await checkAccounts(h, request({ bluesky: cfg(unverified.url) }, { names: ['bs-unverified'] }));
    expect(row).toMatchObject({ level: 'warn' });
    expect(row!.message).toContain('verify your email');
    expect(JSON.stringify([...rows, row])).not.toMatch(/abcd-efgh|zzzz-zzzz|bbbb-cccc/);
  });

  it('email: connects and logs in without sending; a wrong password is an error', async () => {
    const smtp = await startSmtpServer({ user: 'anna@example.com', pass: 'SMTP-PASS-OK' });
    closers.push(() => smtp.close());
    const caFile = join(root, 'ca.pem');
    (await import('node:fs')).writeFileSync(caFile, smtp.cert);
    const set = { host: '127.0.0.1', port: String(smtp.port), user: 'anna@example.com', fromAddress: 'anna@example.com', ca: 'ca.pem' };
    await add('email', 'mail-ok', set, { password: 'SMTP-PASS-OK' });
    await add('email', 'mail-bad', set, { password: 'SMTP-PASS-WRONG' });
    const rows = await checkAccounts(h, request({}));
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(by['mail-ok']!.message).toContain('logged in as anna@example.com; nothing sent');
    expect(by['mail-ok']!.level).toBe('ok');
    expect(by['mail-bad']!.level).toBe('error');
    expect(smtp.received).toHaveLength(0);
    expect(JSON.stringify(rows)).not.toMatch(/SMTP-PASS/);
  });

  it('a check that never answers ends at the timeout as one error row; the other accounts are still checked; a platform without a check is a warning', async () => {
    const hang: AccountType = { platform: 'hangs', description: 'never answers', schema: { type: 'object', properties: { token: { type: 'string', writeOnly: true } } }, check: () => new Promise(() => {}) };
    const quiet: AccountType = { platform: 'quiet', description: 'no check', schema: { type: 'object' } };
    const throws: AccountType = { platform: 'throws', description: 'throws with the secret', schema: { type: 'object', properties: { token: { type: 'string', writeOnly: true } } }, check: (ctx) => { throw new Error(`bad token ${ctx.credentials.token}`); } };
    const all = [...types, { type: hang, namespace: 'h' }, { type: quiet, namespace: 'q' }, { type: throws, namespace: 't' }];
    await addAccount(h, hang, { name: 'a-hang', settings: {}, secrets: { token: 'HANG-SECRET' } });
    await addAccount(h, quiet, { name: 'b-quiet', settings: {}, secrets: {} });
    await addAccount(h, throws, { name: 'c-throw', settings: {}, secrets: { token: 'THROWN-SECRET' } });
    const rows = await checkAccounts(h, request({}, { types: all, timeoutMs: 50 }));
    expect(rows.map((r) => [r.name, r.level])).toEqual([['a-hang', 'error'], ['b-quiet', 'warn'], ['c-throw', 'error']]);
    expect(rows[0]!.message).toBe('no answer within 50 ms');
    expect(rows[2]!.message).toBe('bad token [REDACTED]');
    expect(JSON.stringify(rows)).not.toMatch(/SECRET/);
  });
});
