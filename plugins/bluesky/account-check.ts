/**
 * `mpv2 accounts check` for bluesky: an app-password session (createSession) proves the handle
 * and app password; the video service's getUploadLimits (through a short-lived service-auth
 * token) tells the videos and bytes left today and whether the email is verified.
 */
import { classifyHttpError, isMpv2Error } from 'mpv2/plugin';
import type { AccountCheckContext, AccountCheckReport } from 'mpv2/plugin';
import { trim, type BlueskyConfig } from './config.js';
import { loginSession, xrpcError } from './session.js';

interface Limits { canUpload?: boolean; remainingDailyVideos?: number; remainingDailyBytes?: number; message?: string; error?: string }

export async function checkBlueskyAccount(ctx: AccountCheckContext): Promise<AccountCheckReport> {
  const cfg = ctx.config as BlueskyConfig;
  const name = ctx.account.name;
  try {
    const s = await loginSession(ctx, ctx.credentials.appPassword, cfg, name, String(ctx.account.settings.handle ?? ''));
    let token: string;
    try {
      token = (await s.agent.com.atproto.server.getServiceAuth({ aud: cfg.videoServiceDid, lxm: 'app.bsky.video.getUploadLimits', exp: Math.floor(ctx.now() / 1000) + 60 })).data.token;
    } catch (e) {
      throw xrpcError(e, 'getServiceAuth', name);
    }
    let l: Limits;
    try {
      l = (await ctx.http.get<Limits>(`${trim(cfg.videoService)}/xrpc/app.bsky.video.getUploadLimits`, { headers: { Authorization: `Bearer ${token}` }, signal: ctx.signal })).data;
    } catch (e) {
      throw classifyHttpError(e, 'app.bsky.video.getUploadLimits');
    }
    const quota = `${l.remainingDailyVideos ?? '?'} videos, ${l.remainingDailyBytes ?? '?'} bytes (today)`;
    const who = `app password valid for @${s.handle}`;
    return l.canUpload === false
      ? { level: 'warn', message: `${who}; no video upload now: ${l.message ?? l.error ?? 'the video service says no'}`, hint: 'verify the account\'s email address in Bluesky, or wait until tomorrow', quota }
      : { level: 'ok', message: who, quota };
  } catch (e) {
    if (!isMpv2Error(e)) throw e;
    return { level: 'error', message: e.message, hint: e.hint };
  }
}
