/**
 * The `youtube` account type: what `mpv2 accounts add youtube` asks for, and what
 * `mpv2 accounts login` does (OAuth for api accounts, Chromium sign-in for browser accounts).
 */
import { mpv2Error } from 'mpv2/plugin';
import type { AccountLoginContext, AccountType } from 'mpv2/plugin';
import { checkYoutubeAccount } from './account-check.js';
import { oauthLogin } from './api/login.js';

export async function youtubeLogin(ctx: AccountLoginContext): Promise<Record<string, string>> {
  if (ctx.account.settings.driver === 'browser') {
    if (!ctx.openProfile) throw mpv2Error('E_USAGE', `account "${ctx.account.name}" uses the browser driver, but this mpv2 cannot open its profile for sign-in`);
    ctx.print(`Sign in to YouTube in the Chromium window, then close it. Profile: ${ctx.account.profileDir ?? '(default)'}`);
    await ctx.openProfile();
    return {};
  }
  return oauthLogin(ctx);
}

export const youtubeAccountType: AccountType = {
  platform: 'youtube',
  description: 'A YouTube channel: Data API v3 with an OAuth client (driver api), or YouTube Studio in a Chromium profile (driver browser)',
  browserLogin: true,
  login: youtubeLogin,
  check: (ctx) => checkYoutubeAccount(ctx),
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      driver: { enum: ['api', 'browser'], default: 'api', description: '`api`: YouTube Data API v3 (OAuth, needs a Google Cloud project); `browser`: YouTube Studio in this account\'s Chromium profile.' },
      clientId: { type: 'string', writeOnly: true, description: 'api: OAuth client id of a "Desktop app" client in your Google Cloud project (YouTube Data API v3 enabled).' },
      clientSecret: { type: 'string', writeOnly: true, description: 'api: that OAuth client\'s secret.' },
      refreshToken: { type: 'string', writeOnly: true, description: 'api: filled by `mpv2 accounts login <name>`; leave empty.' },
      channelId: { type: 'string', pattern: '^(UC[\\w-]{22})?$', description: 'The channel id (UC…); the browser driver needs it to check the content list after a crash.' },
      quotaPerDay: { type: 'integer', minimum: 1, description: 'api: Data API units per day of this OAuth client, when not the config\'s `youtube.quotaPerDay` (10000).' },
    },
  },
};
