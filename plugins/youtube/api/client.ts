/**
 * Authorized Data API calls: the bearer token (refreshed once on a 401), quota counted before
 * each call, and Google's error reasons (quotaExceeded, uploadLimitExceeded, forbidden …)
 * turned into errors that say whether a retry can help.
 */
import type { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import { mpv2Error, type Mpv2Error } from 'mpv2/plugin';
import { classifyHttpError } from 'mpv2/plugin';
import type { QuotaMethod, QuotaTracker } from '../quota.js';
import { loginHint, type TokenSource } from './oauth.js';

interface GoogleErrorBody { error?: { code?: number; message?: string; errors?: Array<{ reason?: string; message?: string }> } }

/** The `reason` of a Google API error response, if any. */
export function googleReason(e: unknown): string | undefined {
  const data = (e as { response?: { data?: unknown } }).response?.data;
  const body = (typeof data === 'string' ? safeJson(data) : data) as GoogleErrorBody | undefined;
  return body?.error?.errors?.[0]?.reason;
}

function safeJson(s: string): unknown {
  try { return JSON.parse(s); } catch { return undefined; }
}

const QUOTA_REASONS = new Set(['quotaExceeded', 'dailyLimitExceeded']);
const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);

export class YoutubeApi {
  constructor(
    private readonly opts: { http: AxiosInstance; tokens: TokenSource; quota: QuotaTracker; account: string; signal?: AbortSignal },
  ) {}

  get http(): AxiosInstance { return this.opts.http; }
  get quota(): QuotaTracker { return this.opts.quota; }

  /** One request with the account's bearer token; `method` is what it costs (null: free, e.g. a chunk PUT). */
  async call<T = unknown>(method: QuotaMethod | null, what: string, req: AxiosRequestConfig): Promise<AxiosResponse<T>> {
    if (method) await this.opts.quota.spend(method);
    let token = await this.opts.tokens.token();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.opts.http.request<T>({ ...req, signal: this.opts.signal, headers: { ...(req.headers ?? {}), Authorization: `Bearer ${token}` } });
      } catch (e) {
        const status = (e as { response?: { status?: number } }).response?.status;
        if (status === 401 && attempt === 0) {
          // the access token was revoked or expired early: refresh once and repeat
          await this.opts.tokens.invalidate();
          token = await this.opts.tokens.token();
          continue;
        }
        throw await this.classify(e, method, what);
      }
    }
  }

  /**
   * Google's error reasons → errors that say what to do. Quota, upload-limit and rate-limit
   * reasons are refusals of the request (`notDone`), as Google documents them.
   */
  async classify(e: unknown, method: QuotaMethod | null, what: string): Promise<Mpv2Error> {
    const reason = googleReason(e);
    const status = (e as { response?: { status?: number } }).response?.status;
    if (reason && QUOTA_REASONS.has(reason)) {
      if (method) await this.opts.quota.exhaust(method);
      return mpv2Error('E_RATE_LIMITED', `${what}: YouTube says the Data API quota of this OAuth client is used up for today (${reason})`, {
        status, retryable: false, cause: e, notDone: true,
        hint: 'quotas reset at midnight Pacific time; ask for more in the Google Cloud console, or use an account with another OAuth client',
      });
    }
    if (reason === 'uploadLimitExceeded') {
      return mpv2Error('E_RATE_LIMITED', `${what}: channel of account "${this.opts.account}" reached YouTube's upload limit (uploadLimitExceeded)`, { status, retryable: false, cause: e, notDone: true, hint: 'try again tomorrow or rotate to another account' });
    }
    if (reason && RATE_REASONS.has(reason)) {
      return mpv2Error('E_RATE_LIMITED', `${what}: YouTube asks to slow down (${reason})`, { status, retryable: true, retryAfterMs: 10_000, cause: e, notDone: true });
    }
    if (status === 401) {
      return mpv2Error('E_AUTH', `${what}: YouTube refused the access token of account "${this.opts.account}"`, { status, cause: e, hint: loginHint(this.opts.account) });
    }
    const err = classifyHttpError(e, what);
    if (status === 403 && reason) err.message = `${err.message} (${reason})`;
    return err;
  }
}
