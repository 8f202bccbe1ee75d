/**
 * Authorized Content Posting API calls: the bearer token (refreshed once when TikTok says it is
 * invalid), and TikTok's error envelope (`error.code`, `log_id`) turned into errors that say
 * what to do and whether the request surely did nothing.
 */
import { classifyHttpError, isMpv2Error, mpv2Error, pluginError, type Mpv2Error, type StepContext } from 'mpv2/plugin';
import { apiBase, type TiktokConfig } from './config.js';
import { reloginHint, TiktokTokens } from './oauth.js';

interface Envelope<T> { data?: T; error?: { code?: string; message?: string; log_id?: string } }

const LIMIT_CODES = new Set(['spam_risk_too_many_posts', 'spam_risk_too_many_pending_share', 'reached_active_user_cap']);
const AUTH_CODES = new Set(['access_token_invalid', 'scope_not_authorized', 'scope_permission_missed', 'invalid_client']);

export class TiktokApi {
  readonly tokens: TiktokTokens;
  constructor(private readonly ctx: StepContext, private readonly cfg: TiktokConfig, readonly account: string) {
    this.tokens = new TiktokTokens(ctx, cfg, account);
  }

  /** POST a JSON body to an API path; `data` of the envelope, or an error. */
  async post<T>(path: string, body: unknown, what: string): Promise<T> {
    let token = await this.tokens.token();
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.ctx.http.post<Envelope<T>>(`${apiBase(this.cfg)}${path}`, body, {
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json; charset=UTF-8' },
          signal: this.ctx.signal,
        });
        const code = res.data?.error?.code;
        if (code && code !== 'ok') throw this.refusal(res.status, res.data.error!, what);
        return (res.data?.data ?? {}) as T;
      } catch (e) {
        const env = (e as { response?: { status?: number; data?: Envelope<T> } }).response;
        if (env?.data?.error?.code === 'access_token_invalid' && attempt === 0) {
          // revoked or expired before its time: one refresh, one more try
          await this.tokens.invalidate();
          token = await this.tokens.token();
          continue;
        }
        if (isMpv2Error(e)) throw e;
        if (env?.data?.error?.code) throw this.refusal(env.status ?? 0, env.data.error, what, e);
        throw classifyHttpError(e, what);
      }
    }
  }

  /** TikTok's codes as documented for the Content Posting API; each is a refusal: nothing done. */
  private refusal(status: number, err: NonNullable<Envelope<unknown>['error']>, what: string, cause?: unknown): Mpv2Error {
    const code = err.code ?? 'unknown';
    const says = `${what}: TikTok says ${code}${err.message ? ` (${err.message})` : ''}${err.log_id ? ` [log_id ${err.log_id}]` : ''}`;
    const opts = { status, cause, notDone: true, details: { tiktokCode: code, logId: err.log_id } };
    if (LIMIT_CODES.has(code)) return pluginError('tiktok/DAILY_LIMIT', `${says}; account "${this.account}" or the app reached a daily posting limit`, { ...opts, hint: code === 'reached_active_user_cap' ? 'an unaudited app may be used by at most 5 creators a day: wait, or have the app audited' : 'try again tomorrow or rotate to another account' });
    if (code === 'unaudited_client_can_only_post_to_private_accounts') return pluginError('tiktok/UNAUDITED', says, { ...opts, hint: 'until TikTok audits the app: privacyLevel SELF_ONLY, and the TikTok account set to private' });
    if (code === 'url_ownership_unverified') return pluginError('tiktok/URL_UNVERIFIED', says, { ...opts, hint: 'verify the URL prefix in the TikTok developer portal, or upload the file with `video:`' });
    if (code === 'privacy_level_option_mismatch' || code === 'spam_risk_user_banned_from_posting') return pluginError('tiktok/NOT_ALLOWED', says, { ...opts, hint: 'use a privacy level that creator_info lists for the account' });
    if (AUTH_CODES.has(code)) return pluginError('tiktok/AUTH', says, { ...opts, hint: `${code === 'scope_not_authorized' ? 'the creator must grant video.upload (drafts) or video.publish (direct posts); ' : ''}${reloginHint(this.account)}` });
    if (status === 429 || code === 'rate_limit_exceeded') return mpv2Error('E_RATE_LIMITED', says, { ...opts, retryable: true, retryAfterMs: 60_000 });
    if (status >= 500) return mpv2Error('E_HTTP', says, { status, cause, retryable: true, details: opts.details });
    return pluginError('tiktok/API', says, opts);
  }
}
