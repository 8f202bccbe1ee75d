/**
 * `mpv2 accounts login <name>` for an api account: the OAuth 2.0 installed-app flow with a
 * loopback redirect (`waitForAuthorizationCode`): the `code`, checked against `state` and PKCE, is
 * exchanged at the token endpoint for the refresh token we store.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mpv2Error, waitForAuthorizationCode } from 'mpv2/plugin';
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
  const { close, redirectUri, code } = await waitForAuthorizationCode({ state, platform: 'Google', timeoutMs: opts.timeoutMs ?? 300_000, signal: ctx.signal });
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
    close();
  }
}
