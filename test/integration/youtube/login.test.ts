/**
 * `mpv2 accounts login` for an api account: the installed-app flow with a loopback redirect on
 * 127.0.0.1. The "user's browser" here follows the printed authorize URL with fetch: the fake
 * Google redirects to our loopback server with the code, which is exchanged (PKCE) for tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { youtubeLogin } from '../../../plugins/youtube/account-type.js';
import { SCOPES } from '../../../plugins/youtube/api/login.js';
import { createHttpClient } from '../../../src/infra/http.js';
import { isMpv2Error } from '../../../src/errors.js';
import type { AccountLoginContext } from '../../../src/plugin/types.js';
import { startYoutubeServer, type YoutubeServer } from '../../servers/youtube-api.js';
import { CLIENT } from './helpers.js';

describe('youtube account login (OAuth installed-app flow)', () => {
  let yt: YoutubeServer;
  beforeAll(async () => { yt = await startYoutubeServer({ ...CLIENT }); });
  afterAll(async () => { await yt.close(); });

  function loginCtx(o: { credentials?: Record<string, string>; browse?: (url: string) => Promise<void>; signal?: AbortSignal; driver?: string; openProfile?: () => Promise<void> }) {
    const printed: string[] = [];
    const ctx: AccountLoginContext = {
      account: { name: 'main', platform: 'youtube', settings: { driver: o.driver ?? 'api' } },
      credentials: o.credentials ?? { ...CLIENT },
      config: yt.config,
      http: createHttpClient(),
      signal: o.signal ?? new AbortController().signal,
      print: (l) => printed.push(l),
      openUrl: o.browse,
      openProfile: o.openProfile,
    };
    return { ctx, printed };
  }

  it('prints the authorize URL, receives the code on 127.0.0.1 and stores a refresh token', async () => {
    let redirectedTo = '';
    const { ctx, printed } = loginCtx({
      browse: async (url) => {
        // the user signs in: Google redirects the browser to the loopback address
        const res = await fetch(url, { redirect: 'follow' });
        redirectedTo = res.url;
        expect(await res.text()).toContain('Signed in');
      },
    });
    const saved = await youtubeLogin(ctx);
    expect(saved.refreshToken).toMatch(/^1\/\/test-refresh-/);
    expect(yt.refreshTokens.has(saved.refreshToken!)).toBe(true);
    expect(saved.accessToken).toMatch(/^ya29\./);
    expect(Number(saved.accessTokenExpiresAt)).toBeGreaterThan(Date.now());
    expect(new URL(redirectedTo).hostname).toBe('127.0.0.1');
    const auth = new URL(printed.join('\n').match(/http:\/\/\S+\/auth\?\S+/)![0]);
    expect(auth.searchParams.get('scope')).toBe(SCOPES.join(' '));
    expect(auth.searchParams.get('access_type')).toBe('offline');
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('a refusal on the consent page is a clear E_AUTH', async () => {
    const { ctx } = loginCtx({
      browse: async (url) => {
        const redirect = new URL(new URL(url).searchParams.get('redirect_uri')!);
        redirect.searchParams.set('error', 'access_denied');
        await fetch(redirect);
      },
    });
    const e = await youtubeLogin(ctx).then(() => undefined, (x: unknown) => x);
    expect(isMpv2Error(e) && e.code).toBe('E_AUTH');
    expect((e as Error).message).toContain('access_denied');
  });

  it('without the OAuth client it says how to make one', async () => {
    const { ctx } = loginCtx({ credentials: {} });
    const e = await youtubeLogin(ctx).then(() => undefined, (x: unknown) => x);
    expect(isMpv2Error(e) && e.code).toBe('E_MISSING_KEY');
    expect(isMpv2Error(e) && e.hint).toContain('Desktop app');
  });

  it('a browser account signs in through the profile instead', async () => {
    let opened = 0;
    const { ctx } = loginCtx({ driver: 'browser', openProfile: async () => { opened++; } });
    expect(await youtubeLogin(ctx)).toEqual({});
    expect(opened).toBe(1);
  });
});
