/**
 * `mpv2 accounts login <name>` for an api account: Login Kit for Desktop with a loopback
 * redirect. TikTok accepts `http://127.0.0.1:` + any port + `/callback/` as a registered redirect
 * URI of a desktop app, so the one-shot server listens on a random port at `/callback/`. PKCE
 * as TikTok's desktop flow takes it: the challenge is the SHA-256 of the verifier in hex (not
 * RFC 7636's base64url, which TikTok refuses as "code challenge is invalid"). The code is
 * exchanged for the access and refresh tokens, stored with the account's secrets.
 */
import { createHash, randomBytes } from 'node:crypto';
import { classifyHttpError, mpv2Error, pluginError, waitForAuthorizationCode } from 'mpv2/plugin';
import type { AccountLoginContext } from 'mpv2/plugin';
import { apiBase, type TiktokConfig } from './config.js';

interface TokenBody { access_token?: string; refresh_token?: string; expires_in?: number; scope?: string; open_id?: string; error?: string; error_description?: string }

export async function tiktokOauthLogin(ctx: AccountLoginContext, opts: { timeoutMs?: number } = {}): Promise<Record<string, string>> {
  const cfg = ctx.config as TiktokConfig;
  const name = ctx.account.name;
  const { clientKey, clientSecret } = ctx.credentials;
  if (!clientKey || !clientSecret) {
    throw mpv2Error('E_MISSING_KEY', `tiktok account "${name}" has no clientKey and clientSecret`, {
      hint: `in the TikTok developer portal: add Login Kit (desktop) with the redirect URI http://127.0.0.1:*/callback/ and the Content Posting API, then \`mpv2 accounts add tiktok --name ${name} --update --secret clientKey=… --secret clientSecret=…\``,
    });
  }
  const state = randomBytes(16).toString('base64url');
  const verifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('hex');
  const loopback = await waitForAuthorizationCode({ state, platform: 'TikTok', path: '/callback/', timeoutMs: opts.timeoutMs ?? 300_000, signal: ctx.signal });
  try {
    const url = new URL(cfg.authorizeUrl);
    url.search = new URLSearchParams({
      client_key: clientKey, response_type: 'code', scope: cfg.loginScopes, redirect_uri: loopback.redirectUri, state, code_challenge: challenge, code_challenge_method: 'S256',
    }).toString();
    ctx.print(`Open this page, sign in to TikTok as the creator and allow access:\n  ${url.toString()}`);
    await ctx.openUrl?.(url.toString()).catch(() => undefined);
    const code = await loopback.code;
    let body: TokenBody;
    try {
      body = (await ctx.http.post<TokenBody>(`${apiBase(cfg)}/v2/oauth/token/`, new URLSearchParams({
        client_key: clientKey, client_secret: clientSecret, code, grant_type: 'authorization_code', redirect_uri: loopback.redirectUri, code_verifier: verifier,
      }).toString(), { headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Cache-Control': 'no-cache' }, signal: ctx.signal })).data;
    } catch (e) {
      const data = (e as { response?: { data?: TokenBody } }).response?.data;
      if (!data?.error) throw classifyHttpError(e, 'TikTok token exchange');
      body = data;
    }
    if (body.error || !body.access_token || !body.refresh_token) {
      throw pluginError('tiktok/AUTH', `TikTok did not grant tokens for account "${name}" (${body.error ?? 'no refresh_token'}${body.error_description ? `: ${body.error_description}` : ''})`, { hint: `check the app's redirect URI (http://127.0.0.1:*/callback/) and scopes, then run \`mpv2 accounts login ${name}\` again` });
    }
    ctx.print(`Signed in: account "${name}" can post now${body.scope ? ` (scopes ${body.scope})` : ''}.`);
    return { refreshToken: body.refresh_token, accessToken: body.access_token, accessTokenExpiresAt: String(Date.now() + (body.expires_in ?? 86_400) * 1000) };
  } finally {
    loopback.close();
  }
}
