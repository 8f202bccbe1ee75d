/**
 * `mpv2 accounts check` for youtube. Driver api: a refresh-token grant proves the OAuth client
 * and the stored grant are valid and tells the scopes; `channels.list mine=true` (1 unit,
 * counted) proves the Data API answers for this channel; what is left of today's quota comes
 * from the plugin's own tracker, as Google offers no call that tells it.
 */
import { classifyHttpError, isMpv2Error } from 'mpv2/plugin';
import type { AccountCheckContext, AccountCheckReport } from 'mpv2/plugin';
import { loginHint, tokenRequest } from './api/oauth.js';
import { readYoutubeConfig } from './config.js';
import { QuotaTracker } from './quota.js';

export async function checkYoutubeAccount(ctx: AccountCheckContext): Promise<AccountCheckReport> {
  const { account, credentials: creds } = ctx;
  if (account.settings.driver === 'browser') {
    return { level: 'ok', message: 'browser driver: the sign-in lives in the Chromium profile and is checked when a run opens it (`mpv2 accounts login` to sign in again)' };
  }
  const cfg = readYoutubeConfig(ctx.config);
  if (!creds.clientId || !creds.clientSecret) return { level: 'error', message: 'no OAuth client stored (clientId and clientSecret)', hint: `\`mpv2 accounts add youtube --name ${account.name} --update --secret clientId=… --secret clientSecret=…\`, then \`mpv2 accounts login ${account.name}\`` };
  if (!creds.refreshToken) return { level: 'error', message: 'not signed in yet (no refresh token)', hint: loginHint(account.name) };
  const perDay = Number(account.settings.quotaPerDay);
  const quota = new QuotaTracker(ctx.store, creds.clientId, {
    unitsPerDay: Number.isFinite(perDay) && perDay > 0 ? perDay : cfg.quotaPerDay, uploadsPerDay: cfg.uploadsPerDay, legacy: cfg.legacyQuota,
  }, ctx.now);
  try {
    const token = await tokenRequest(ctx.http, cfg.oauthTokenUrl, { grant_type: 'refresh_token', client_id: creds.clientId, client_secret: creds.clientSecret, refresh_token: creds.refreshToken }, account.name, ctx.signal);
    const scopes = token.scope?.split(/\s+/).filter(Boolean);
    await quota.spend('channels.list');
    let channel: string | undefined;
    try {
      const r = await ctx.http.get<{ items?: Array<{ id?: string }> }>(`${cfg.apiBaseUrl.replace(/\/+$/, '')}/channels`, { params: { part: 'id', mine: 'true' }, headers: { Authorization: `Bearer ${token.access_token}` }, signal: ctx.signal });
      channel = r.data.items?.[0]?.id;
    } catch (e) {
      throw classifyHttpError(e, 'YouTube channels.list');
    }
    const used = await quota.usage();
    const left = cfg.legacyQuota
      ? `${Math.max(0, quota.limits.unitsPerDay - used.units)} of ${quota.limits.unitsPerDay} units (Pacific day)`
      : `${Math.max(0, quota.limits.unitsPerDay - used.units)} of ${quota.limits.unitsPerDay} units, ${Math.max(0, cfg.uploadsPerDay - used.uploads)} of ${cfg.uploadsPerDay} uploads (Pacific day)`;
    const noUpload = scopes && !scopes.some((s) => s.endsWith('/youtube.upload') || s.endsWith('/youtube'));
    if (!channel) return { level: 'warn', message: 'the grant is valid, but the Google account has no YouTube channel', hint: 'create the channel in YouTube, or sign in with the channel\'s Google account', scopes, quota: left };
    if (noUpload) return { level: 'warn', message: `the grant is valid for channel ${channel}, but lacks the youtube.upload scope`, hint: loginHint(account.name), scopes, quota: left };
    return { level: 'ok', message: `OAuth grant valid for channel ${channel}`, scopes, quota: left };
  } catch (e) {
    if (!isMpv2Error(e)) throw e;
    return { level: 'error', message: e.message, hint: e.hint };
  }
}
