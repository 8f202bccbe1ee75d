/**
 * The `tiktok` account type: what `mpv2 accounts add tiktok` stores. For the api driver, the client key and secret
 * come from the app in the TikTok developer portal; the refresh token from the app's OAuth flow
 * (scopes video.upload and/or video.publish). TikTok rotates the refresh token on every refresh,
 * and the plugin stores each new one (with the access token) through `saveCredentials`. The
 * browser driver needs only the signed-in Chromium profile (`mpv2 accounts login <name>`).
 */
import { mpv2Error, type AccountLoginContext, type AccountType } from 'mpv2/plugin';
import { checkTiktokAccount } from './account-check.js';
import { tiktokOauthLogin } from './login.js';

/** `mpv2 accounts login`: Chromium on the profile for browser accounts; Login Kit's OAuth flow for api accounts. */
async function tiktokLogin(ctx: AccountLoginContext): Promise<Record<string, string>> {
  if (ctx.account.settings.driver !== 'browser') return tiktokOauthLogin(ctx);
  if (!ctx.openProfile) throw mpv2Error('E_USAGE', `account "${ctx.account.name}" uses the browser driver, but this mpv2 cannot open its profile for sign-in`);
  ctx.print(`Sign in to TikTok in the Chromium window, then close it. Profile: ${ctx.account.profileDir ?? '(default)'}`);
  await ctx.openProfile();
  return {};
}

export const tiktokAccountType: AccountType = {
  platform: 'tiktok',
  description: 'A TikTok creator account: through an app of yours on the Content Posting API (driver api: client key and secret, refresh token), or TikTok Studio in a Chromium profile (driver browser)',
  browserLogin: true,
  login: tiktokLogin,
  check: (ctx) => checkTiktokAccount(ctx),
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      driver: { enum: ['api', 'browser'], default: 'api', description: '`api`: the Content Posting API (needs a developer app); `browser`: TikTok Studio in this account\'s Chromium profile (sign in with `mpv2 accounts login`).' },
      loginUrl: { type: 'string', default: 'https://www.tiktok.com/login', description: 'browser: where `mpv2 accounts login` opens Chromium.' },
      clientKey: { type: 'string', writeOnly: true, description: 'api: client key of your app (TikTok developer portal → your app → Credentials).' },
      clientSecret: { type: 'string', writeOnly: true, description: 'api: client secret of that app.' },
      refreshToken: { type: 'string', writeOnly: true, description: 'api: filled by `mpv2 accounts login <name>` (or a refresh token of the creator for that app, scopes video.upload, video.publish). mpv2 replaces it with each rotated one.' },
    },
  },
};
