/**
 * `mpv2 accounts login` for a tiktok api account: Login Kit for Desktop through a loopback
 * redirect at http://127.0.0.1:<port>/callback/. The "user's browser" follows the printed
 * authorize URL with fetch; the fake TikTok redirects with a code, exchanged (PKCE, hex SHA-256
 * challenge) for tokens that the server then accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tiktokAccountType } from '../../../plugins/tiktok/account-type.js';
import { createHttpClient } from '../../../src/infra/http.js';
import type { AccountLoginContext } from '../../../src/plugin/types.js';
import { startTiktokServer, type TiktokServer } from '../../servers/tiktok.js';

describe('tiktok account login (Login Kit for Desktop)', () => {
  let tt: TiktokServer;
  beforeAll(async () => { tt = await startTiktokServer({ clientKey: 'ck-login', clientSecret: 'cs-login', refreshTokens: [] }); });
  afterAll(async () => { await tt.close(); });

  const ctxFor = (browse: (url: string) => Promise<void>, credentials: Record<string, string> = { clientKey: 'ck-login', clientSecret: 'cs-login' }) => {
    const printed: string[] = [];
    const ctx: AccountLoginContext = {
      account: { name: 'tt', platform: 'tiktok', settings: { driver: 'api' } },
      credentials,
      config: { apiBaseUrl: tt.url, authorizeUrl: `${tt.url}/v2/auth/authorize/`, loginScopes: 'user.info.basic,video.upload,video.publish' },
      http: createHttpClient(), signal: new AbortController().signal, print: (l) => printed.push(l), openUrl: browse,
    };
    return { ctx, printed };
  };

  it('receives the code on 127.0.0.1 at /callback/ and stores tokens TikTok accepts', async () => {
    let landed = '';
    const { ctx, printed } = ctxFor(async (url) => {
      const res = await fetch(url, { redirect: 'follow' });
      landed = res.url;
      expect(await res.text()).toContain('Signed in');
    });
    const saved = await tiktokAccountType.login!(ctx);
    expect(new URL(landed).pathname).toBe('/callback/');
    expect(new URL(landed).hostname).toBe('127.0.0.1');
    const auth = new URL(printed.join('\n').match(/http:\/\/\S+\/v2\/auth\/authorize\/\?\S+/)![0]);
    expect(auth.searchParams.get('scope')).toBe('user.info.basic,video.upload,video.publish');
    expect(auth.searchParams.get('code_challenge')).toMatch(/^[0-9a-f]{64}$/);
    expect(saved.refreshToken).toMatch(/^rt-/);
    expect(Number(saved.accessTokenExpiresAt)).toBeGreaterThan(Date.now());
    // the stored access token works: creator_info answers
    const r = await fetch(`${tt.url}/v2/post/publish/creator_info/query/`, { method: 'POST', headers: { Authorization: `Bearer ${saved.accessToken}` } });
    expect(r.status).toBe(200);
  });

  it('a refusal on the consent page is a clear E_AUTH; an account without its app keys is told how to add them', async () => {
    const { ctx } = ctxFor(async (url) => {
      const redirect = new URL(new URL(url).searchParams.get('redirect_uri')!);
      redirect.searchParams.set('error', 'access_denied');
      await fetch(redirect);
    });
    await expect(tiktokAccountType.login!(ctx)).rejects.toMatchObject({ code: 'E_AUTH', message: 'TikTok sign-in was not completed (access_denied)' });
    const { ctx: bare } = ctxFor(async () => {}, {});
    await expect(tiktokAccountType.login!(bare)).rejects.toMatchObject({ code: 'E_MISSING_KEY' });
  });
});
