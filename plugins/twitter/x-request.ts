/**
 * One signed request to the X API through the shared HTTP client (limits, keep-alive, abort).
 * OAuth 1.0a signatures come from the `oauth-1.0a` library: the signed URL is the one
 * requested, query parameters are signed, JSON and multipart bodies are not (as X expects).
 */
import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { mpv2Error, type Mpv2Error } from 'mpv2/plugin';
import { classifyHttpError } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import type { ApiAuth } from './credentials.js';

export interface XRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  query?: Record<string, string>;
  json?: unknown;
  form?: FormData;
  /** What the request does, for error messages. */
  what: string;
}

export function authorization(auth: ApiAuth, method: string, url: string): string {
  if (auth.kind === 'bearer') return `Bearer ${auth.token}`;
  const oauth = new OAuth({
    consumer: { key: auth.apiKey, secret: auth.apiSecret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  const data = oauth.authorize({ url, method }, { key: auth.accessToken, secret: auth.accessSecret });
  return oauth.toHeader(data).Authorization;
}

export async function xRequest<T>(ctx: Pick<StepContext, 'http' | 'signal'>, auth: ApiAuth, req: XRequest): Promise<T> {
  const url = new URL(req.url);
  for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { Authorization: authorization(auth, req.method, url.toString()) };
  if (req.json !== undefined) headers['Content-Type'] = 'application/json';
  try {
    const res = await ctx.http.request<T>({ method: req.method, url: url.toString(), data: req.json ?? req.form, headers, signal: ctx.signal, responseType: 'json' });
    return res.data;
  } catch (e) {
    throw xError(e, req.what);
  }
}

interface XProblem { detail?: string; title?: string; errors?: Array<{ message?: string; detail?: string }> }

/** X's answer as a typed error: duplicate posts and auth problems say what to do. */
export function xError(e: unknown, what: string): Mpv2Error {
  const err = classifyHttpError(e, what);
  const body = (e as { response?: { data?: unknown } }).response?.data as XProblem | undefined;
  const detail = [body?.detail, body?.title, ...(body?.errors ?? []).map((x) => x.message ?? x.detail)].filter(Boolean).join('; ');
  if (err.status === 403 && /duplicate/i.test(detail)) {
    return mpv2Error('E_PLUGIN_FAILED', `X refused the post as duplicate content: ${detail}`, {
      status: 403, cause: e, retryable: false, notDone: true,
      hint: 'X does not accept the same text twice from one account; change the text (a retry would fail the same way)',
    });
  }
  if (err.status === 401) {
    err.hint = 'check the account keys: OAuth 1.0a needs the API key/secret and an access token/secret with Read and Write permission (regenerate the token after changing the app permissions)';
  } else if (err.code === 'E_RATE_LIMITED') {
    // X answers 429 before it handles the request: a rate-limited post was not made
    err.notDone = err.status === 429;
    if (err.retryAfterMs !== undefined) {
      err.message = `${err.message} (the limit resets in ${Math.ceil(err.retryAfterMs / 1000)}s)`;
      err.hint = 'give the step a `limit:` with a lower rate, or `retry:` attempts so it waits for the reset';
    }
  }
  return err;
}
