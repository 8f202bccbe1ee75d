/**
 * The few Graph API calls a Reels upload makes: JSON requests with the token in the
 * `Authorization` header (never in a URL, where logs would keep it), the rupload POST with
 * `offset` / `file_size`, and Graph error bodies turned into errors that say what to do.
 * Meta issues no refresh token for these tokens, so an expired one (code 190) ends the step
 * with the way to store a new one.
 */
import { createReadStream } from 'node:fs';
import type { AxiosInstance } from 'axios';
import { classifyHttpError, isMpv2Error, mpv2Error, type Mpv2Error } from 'mpv2/plugin';

export interface GraphSettings { graphBaseUrl: string; graphVersion: string; uploadBaseUrl?: string }

interface GraphErrorBody {
  error?: { message?: string; type?: string; code?: number; error_subcode?: number; is_transient?: boolean; error_user_msg?: string };
  /** rupload's own error shape */
  debug_info?: { retriable?: boolean; type?: string; message?: string };
}

/** Graph error codes that mean "slow down" (app, user, page and business-use-case rate limits). */
const RATE_CODES = new Set([4, 17, 32, 613, 80001, 80002]);

export class Graph {
  constructor(private readonly o: {
    http: AxiosInstance; settings: GraphSettings; token: string; signal: AbortSignal;
    /** What an expired or revoked token should make the user do. */
    reloginHint: string;
  }) {}

  private url(path: string): string {
    return `${this.o.settings.graphBaseUrl.replace(/\/+$/, '')}/${this.o.settings.graphVersion}/${path}`;
  }

  async get<T>(path: string, params: Record<string, string | number>, what: string): Promise<T> {
    return this.send<T>({ method: 'GET', url: this.url(path), params }, what);
  }

  async post<T>(path: string, body: Record<string, string | number | boolean>, what: string): Promise<T> {
    return this.send<T>({ method: 'POST', url: this.url(path), data: body, headers: { 'Content-Type': 'application/json' } }, what);
  }

  /** The upload URL Meta returned, with `uploadBaseUrl` put in place of its origin. */
  uploadUrl(returned: string): string {
    const base = this.o.settings.uploadBaseUrl;
    if (!base) return returned;
    const u = new URL(returned);
    return `${base.replace(/\/+$/, '')}${u.pathname}${u.search}`;
  }

  /** Sends the file from `offset` to its end in one request, as the rupload protocol takes it. */
  async upload(returnedUrl: string, file: string, offset: number, size: number, what: string): Promise<unknown> {
    return this.send({
      method: 'POST', url: this.uploadUrl(returnedUrl),
      data: createReadStream(file, { start: offset }),
      headers: { Authorization: `OAuth ${this.o.token}`, offset: String(offset), file_size: String(size), 'Content-Type': 'application/octet-stream', 'Content-Length': String(size - offset) },
      maxBodyLength: Infinity, maxContentLength: Infinity,
    }, what, true);
  }

  private async send<T>(req: Parameters<AxiosInstance['request']>[0], what: string, raw = false): Promise<T> {
    try {
      const headers = raw ? req.headers : { ...req.headers, Authorization: `Bearer ${this.o.token}` };
      return (await this.o.http.request<T>({ ...req, headers, signal: this.o.signal })).data;
    } catch (e) {
      throw this.classify(e, what);
    }
  }

  /** A Graph error body → an error that says whether trying again helps and what to do. */
  classify(e: unknown, what: string): Mpv2Error {
    const res = (e as { response?: { status?: number; data?: unknown } }).response;
    const body = (typeof res?.data === 'object' ? res.data : undefined) as GraphErrorBody | undefined;
    const g = body?.error;
    if (!res || !g) {
      const base = classifyHttpError(e, what);
      // the upload host answers a dead token with its own error shape, not a Graph error 190
      if (base.code === 'E_AUTH') base.hint = this.o.reloginHint;
      if (body?.debug_info) base.message = `${base.message} (${body.debug_info.type ?? 'upload error'}: ${body.debug_info.message ?? ''})`;
      if (body?.debug_info?.retriable) base.retryable = true;
      return base;
    }
    const status = res.status ?? 0;
    const said = `${g.message ?? 'no message'} (Graph error ${g.code ?? '?'}${g.error_subcode ? `/${g.error_subcode}` : ''})`;
    const details = { graphCode: g.code, graphSubcode: g.error_subcode };
    // an error answer is the platform refusing the request: it did nothing
    if (g.code === 190 || g.code === 102) {
      return mpv2Error('E_AUTH', `${what}: Meta refused the access token: it expired or was revoked — ${said}`, { status, cause: e, notDone: true, details, hint: this.o.reloginHint });
    }
    if (g.code !== undefined && RATE_CODES.has(g.code)) {
      return mpv2Error('E_RATE_LIMITED', `${what}: Meta asks to slow down — ${said}`, { status, cause: e, notDone: true, retryable: true, retryAfterMs: 60_000, details });
    }
    if (g.code === 10 || (g.code !== undefined && g.code >= 200 && g.code < 300)) {
      return mpv2Error('E_AUTH', `${what}: the token lacks a permission — ${said}`, { status, cause: e, notDone: true, details, hint: 'grant the permissions the docs list for this platform (an app in development mode only works for people with a role on the app)' });
    }
    if (g.is_transient || status >= 500) {
      return mpv2Error('E_HTTP', `${what}: Meta had a passing failure — ${said}`, { status, cause: e, retryable: true, details });
    }
    return mpv2Error('E_HTTP', `${what}: Meta refused the request — ${said}${g.error_user_msg ? `: ${g.error_user_msg}` : ''}`, { status, cause: e, notDone: true, retryable: false, details });
  }
}

/** The Graph error code an error carries, if it came from a Graph error answer. */
export function graphCode(e: unknown): { code?: number; subcode?: number } {
  if (!isMpv2Error(e)) return {};
  const d = e.details as { graphCode?: number; graphSubcode?: number } | undefined;
  return { code: d?.graphCode, subcode: d?.graphSubcode };
}
