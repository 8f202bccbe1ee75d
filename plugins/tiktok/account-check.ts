/**
 * `mpv2 accounts check` for tiktok. TikTok rotates the refresh token on every refresh and the old
 * one dies at once, so a check never refreshes: that is a run's job, under the lock and effect
 * that keep the rotated token (plugins/tiktok/oauth.ts). With a stored access token still valid,
 * creator_info/query proves it works and says what the creator may post; without one, the check
 * says the next run will refresh and whether what it needs is stored. TikTok tells no quota.
 */
import { classifyHttpError, isMpv2Error } from 'mpv2/plugin';
import type { AccountCheckContext, AccountCheckReport } from 'mpv2/plugin';
import { apiBase, type TiktokConfig } from './config.js';
import type { CreatorInfo } from './creator.js';
import { reloginHint } from './oauth.js';

interface Envelope { data?: CreatorInfo; error?: { code?: string; message?: string } }

export async function checkTiktokAccount(ctx: AccountCheckContext): Promise<AccountCheckReport> {
  const { account, credentials: c } = ctx;
  if (account.settings.driver === 'browser') {
    return { level: 'ok', message: 'browser driver: the sign-in lives in the Chromium profile and is checked when a run opens it (`mpv2 accounts login` to sign in again)' };
  }
  const missing = ['clientKey', 'clientSecret', 'refreshToken'].filter((k) => !c[k]);
  if (missing.length) return { level: 'error', message: `lacks ${missing.join(', ')}`, hint: reloginHint(account.name) };
  if (!c.accessToken || Number(c.accessTokenExpiresAt ?? 0) <= ctx.now()) {
    return { level: 'warn', message: 'no valid access token stored; the next run refreshes it (a check does not, since each refresh rotates the refresh token)', hint: 'an invalid refresh token shows then as tiktok/AUTH' };
  }
  try {
    const res = await ctx.http.post<Envelope>(`${apiBase(ctx.config as TiktokConfig)}/v2/post/publish/creator_info/query/`, {}, {
      headers: { Authorization: `Bearer ${c.accessToken}`, 'Content-Type': 'application/json; charset=UTF-8' }, signal: ctx.signal,
    }).catch((e: unknown) => {
      const body = (e as { response?: { data?: Envelope } }).response?.data;
      if (body?.error?.code) return { data: body };
      throw classifyHttpError(e, 'TikTok creator_info/query');
    });
    const body = res.data;
    if (body.error?.code && body.error.code !== 'ok') {
      return { level: 'error', message: `TikTok refused the stored access token (${body.error.code}: ${body.error.message ?? ''})`, hint: 'the next run refreshes it; if that fails too, '.concat(reloginHint(account.name)) };
    }
    const info = body.data ?? {};
    const privacy = info.privacy_level_options ?? [];
    const onlyPrivate = privacy.length > 0 && privacy.every((p) => p === 'SELF_ONLY');
    const message = `access token valid for @${info.creator_username ?? '?'}; may post ${privacy.join(', ') || 'no privacy level'}, videos up to ${info.max_video_post_duration_sec ?? '?'} s`;
    return onlyPrivate
      ? { level: 'warn', message, hint: 'until TikTok audits the app, posts are SELF_ONLY (docs/plugins/tiktok.md)' }
      : { level: 'ok', message };
  } catch (e) {
    if (!isMpv2Error(e)) throw e;
    return { level: 'error', message: e.message, hint: e.hint };
  }
}
