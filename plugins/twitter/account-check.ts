/**
 * `mpv2 accounts check` for twitter: `GET /2/users/me` with the account's keys proves they
 * are valid and names the account. X offers no cheap call that tells what is left of the
 * posting allowance, so no quota is reported; the browser driver has nothing to call.
 */
import { isMpv2Error } from 'mpv2/plugin';
import type { AccountCheckContext, AccountCheckReport } from 'mpv2/plugin';
import { me } from './api-driver.js';
import { twitterConfig } from './config.js';
import { authFrom } from './credentials.js';

export async function checkTwitterAccount(ctx: AccountCheckContext): Promise<AccountCheckReport> {
  if (ctx.account.settings.driver === 'browser') {
    return { level: 'ok', message: 'browser driver: the sign-in lives in the Chromium profile and is checked when a run opens it (`mpv2 accounts login` to sign in again)' };
  }
  const auth = authFrom(ctx.credentials);
  if (!auth) return { level: 'error', message: 'no X API keys stored', hint: `\`mpv2 accounts add twitter --name ${ctx.account.name} --update --secret apiKey=… --secret apiSecret=… --secret accessToken=… --secret accessSecret=…\`` };
  try {
    const user = await me(ctx, twitterConfig(ctx.config), auth);
    return { level: 'ok', message: `${auth.kind === 'oauth1' ? 'OAuth 1.0a keys' : 'OAuth 2.0 user token'} valid for @${user.username}` };
  } catch (e) {
    if (!isMpv2Error(e)) throw e;
    return { level: 'error', message: e.message, hint: e.hint };
  }
}
