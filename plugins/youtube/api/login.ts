/**
 * `mpv2 accounts login <name>` for an api account: the OAuth 2.0 installed-app flow with a
 * loopback redirect. A one-shot server on 127.0.0.1 (random port) receives the `code`, checked
 * against `state` and PKCE, exchanged at the token endpoint for the refresh token we store.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mpv2Error } from 'mpv2/plugin';
import type { AccountLoginContext } from 'mpv2/plugin';
import { readYoutubeConfig } from '../config.js';
import { tokenRequest } from './oauth.js';

/** videos.insert and thumbnails.set need youtube.upload; captions, playlists and channels.list need youtube.force-ssl. */
export const SCOPES = ['https://www.googleapis.com/auth/youtube.upload', 'https://www.googleapis.com/auth/youtube.force-ssl'];

const b64url = (b: Buffer) => b.toString('base64url');

export async function oauthLogin(ctx: AccountLoginContext, opts: { timeoutMs?: number } = {}): Promise<Record<string, string>> {
  const cfg = readYoutubeConfig(ctx.config);
  const name = ctx.account.name;
  const { clientId, clientSecret } = ctx.credentials;
  if (!clientId || !clientSecret) {
    throw mpv2Error('E_MISSING_KEY', `account "${name}" has no OAuth client id and secret`, {
      hint: 'in Google Cloud: enable "YouTube Data API v3", create an OAuth client of type "Desktop app", then store its id and secret with `mpv2 accounts add youtube`',
    });
  }
  const state = b64url(randomBytes(16));
  const verifier = b64url(randomBytes(48));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  const { server, redirectUri, code } = await waitForCode(state, opts.timeoutMs ?? 300_000, ctx.signal);
  try {
    const url = new URL(cfg.oauthAuthorizeUrl);
    url.search = new URLSearchParams({
      client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: SCOPES.join(' '),
      access_type: 'offline', prompt: 'consent', state, code_challenge: challenge, code_challenge_method: 'S256',
    }).toString();
    ctx.print(`Open this page, sign in with the Google account of the channel and allow access:\n  ${url.toString()}`);
    await ctx.openUrl?.(url.toString()).catch(() => undefined);
    const got = await code;
    const res = await tokenRequest(ctx.http, cfg.oauthTokenUrl, {
      grant_type: 'authorization_code', code: got, client_id: clientId, client_secret: clientSecret, redirect_uri: redirectUri, code_verifier: verifier,
    }, name, ctx.signal);
    if (!res.refresh_token) {
      throw mpv2Error('E_AUTH', 'Google granted access but sent no refresh token', { hint: `remove mpv2's access at https://myaccount.google.com/permissions, then run \`mpv2 accounts login ${name}\` again` });
    }
    ctx.print(`Signed in: account "${name}" can upload now.`);
    return {
      refreshToken: res.refresh_token,
      accessToken: res.access_token,
      accessTokenExpiresAt: String(Date.now() + (res.expires_in ?? 3600) * 1000),
    };
  } finally {
    server.close();
    server.closeAllConnections();
  }
}

const PAGE = (msg: string) => `<!doctype html><meta charset="utf-8"><title>mpv2</title><p style="font:16px sans-serif">${msg}</p>`;

/** The loopback server; `code` settles with the authorization code (or the refusal). */
async function waitForCode(state: string, timeoutMs: number, signal: AbortSignal): Promise<{ server: Server; redirectUri: string; code: Promise<string> }> {
  let settle!: { resolve: (c: string) => void; reject: (e: unknown) => void };
  const code = new Promise<string>((resolve, reject) => { settle = { resolve, reject }; });
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (u.pathname !== '/') { res.writeHead(404).end(); return; }
    const error = u.searchParams.get('error');
    if (error) {
      res.writeHead(400, { 'Content-Type': 'text/html' }).end(PAGE(`Sign-in failed: ${error.replace(/[<>&]/g, '')}. You can close this tab.`));
      settle.reject(mpv2Error('E_AUTH', `Google sign-in was not completed (${error})`, { hint: 'run `mpv2 accounts login` again and allow access' }));
      return;
    }
    if (u.searchParams.get('state') !== state || !u.searchParams.get('code')) {
      res.writeHead(400, { 'Content-Type': 'text/html' }).end(PAGE('This sign-in link is not the one mpv2 is waiting for.'));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE('Signed in. You can close this tab and go back to the terminal.'));
    settle.resolve(u.searchParams.get('code')!);
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', () => resolve()); });
  const port = (server.address() as AddressInfo).port;
  const timer = setTimeout(() => settle.reject(mpv2Error('E_TIMEOUT', `no sign-in within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  const onAbort = () => settle.reject(mpv2Error('E_ABORTED', 'sign-in interrupted'));
  signal.addEventListener('abort', onAbort, { once: true });
  void code.finally(() => { clearTimeout(timer); signal.removeEventListener('abort', onAbort); }).catch(() => undefined);
  return { server, redirectUri: `http://127.0.0.1:${port}`, code };
}
