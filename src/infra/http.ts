/**
 * The shared HTTP client: one axios instance with keep-alive agents (pooled sockets), and one
 * place that turns HTTP failures into Mpv2Errors that say whether a retry can help.
 */
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import type { AxiosError, AxiosInstance, AxiosStatic } from 'axios';
import { mpv2Error, type Mpv2Error } from '../errors.js';

const USER_AGENT = 'mpv2 (+https://www.npmjs.com/package/mpv2)';

/** One pool of sockets for the whole process: every client made here shares it. */
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 16 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

/**
 * axios is loaded with the first client, not with this module: it costs ~100 ms to import and a
 * run whose steps are all cached makes no request. Required (axios ships a CommonJS build)
 * because `ctx.http` is a synchronous getter.
 */
let axios: AxiosStatic | undefined;

export function createHttpClient(opts: { timeoutMs?: number; signal?: AbortSignal } = {}): AxiosInstance {
  axios ??= createRequire(import.meta.url)('axios') as AxiosStatic;
  return axios.create({
    timeout: opts.timeoutMs ?? 60_000,
    signal: opts.signal,
    httpAgent: agents.http,
    httpsAgent: agents.https,
    headers: { 'User-Agent': USER_AGENT },
    maxRedirects: 5,
    // statuses are judged by classifyHttpError, which needs the response in every case
    validateStatus: (s) => s >= 200 && s < 300,
  });
}

/** Seconds or an HTTP date → milliseconds from now. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const s = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'ENETUNREACH', 'EHOSTUNREACH', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

/** axios.isCancel without loading axios: its cancellation errors carry `__CANCEL__`. */
export function isCancelledRequest(e: unknown): boolean {
  return Boolean((e as { __CANCEL__?: unknown } | null)?.__CANCEL__) || (e instanceof Error && e.name === 'CanceledError');
}

/**
 * Failures that happen before a byte of the request is written: the connection or the name
 * lookup failed, the URL or protocol was refused by the client, or the TLS handshake rejected
 * the server's certificate (the request is queued until the handshake completes).
 */
const NOTHING_SENT_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL',
  'ERR_INVALID_URL', 'ERR_BAD_OPTION', 'ERR_BAD_OPTION_VALUE', 'ERR_INVALID_PROTOCOL', 'ERR_UNESCAPED_CHARACTERS',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED', 'HOSTNAME_MISMATCH',
]);

/**
 * Whether a redirect was followed: the answer (or failure) then belongs to a later request,
 * and the first one (a POST answered 303, say) may already have done its work.
 */
function followedRedirect(err: AxiosError): boolean {
  type Hop = { _redirectCount?: number; _redirectable?: { _redirectCount?: number } };
  const req = (err.request ?? err.response?.request) as Hop | undefined;
  return ((req?._redirectable ?? req)?._redirectCount ?? 0) > 0;
}

/**
 * Whether a failed request provably did nothing on the other side (`notDone`): it never left
 * the machine, or the server refused it with a 4xx. 408 (the server gave up reading it) and
 * 429 (some services count the request before refusing it) are not proof; neither is a 3xx,
 * a 5xx, a timeout, a reset connection or any failure after a redirect.
 */
function provesNotDone(err: AxiosError, status: number | undefined): boolean {
  if (followedRedirect(err)) return false;
  if (status !== undefined) return status >= 400 && status < 500 && status !== 408 && status !== 429;
  return NOTHING_SENT_CODES.has(err.code ?? '');
}

/**
 * Classifies a failed request. Only 408, 425, 429, 5xx, timeouts and network errors are
 * retryable: any other 4xx would fail the same way again. `notDone` says whether the request
 * provably did nothing (see provesNotDone), which decides between `failed` and in doubt for
 * an effect.
 */
export function classifyHttpError(e: unknown, what = 'request'): Mpv2Error {
  if (isCancelledRequest(e)) {
    return mpv2Error('E_ABORTED', `${what} was cancelled`, { cause: e });
  }
  const err = e as AxiosError;
  const url = safeUrl(err.config?.url, err.config?.baseURL);
  const status = err.response?.status;
  const notDone = provesNotDone(err, status);
  if (status !== undefined) {
    const retryAfterMs = parseRetryAfter(err.response?.headers?.['retry-after']) ?? parseRateReset(err.response?.headers);
    const body = summarizeBody(err.response?.data);
    const msg = `${what} ${err.config?.method?.toUpperCase() ?? 'GET'} ${url} answered ${status}${body ? `: ${body}` : ''}`;
    if (status === 401 || status === 403) return mpv2Error('E_AUTH', msg, { status, cause: e, notDone });
    if (status === 429) return mpv2Error('E_RATE_LIMITED', msg, { status, retryable: true, retryAfterMs, cause: e, notDone });
    const retryable = status === 408 || status === 425 || status >= 500;
    return mpv2Error('E_HTTP', msg, { status, retryable, retryAfterMs: retryable ? retryAfterMs : undefined, cause: e, notDone });
  }
  const code = err.code ?? '';
  // axios' own timeout (ECONNABORTED, or ETIMEDOUT with clarifyTimeoutError), a socket's, or AbortSignal.timeout's
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || (e instanceof Error && e.name === 'TimeoutError')) {
    return mpv2Error('E_TIMEOUT', `${what} ${url} timed out`, { retryable: true, cause: e });
  }
  return mpv2Error('E_HTTP', `${what} ${url} failed: ${err.message ?? String(e)}`, {
    retryable: NETWORK_CODES.has(code) || code === '',
    cause: e,
    notDone,
  });
}

function parseRateReset(headers: unknown): number | undefined {
  const h = headers as Record<string, unknown> | undefined;
  const reset = h?.['x-rate-limit-reset'] ?? h?.['x-ratelimit-reset'];
  if (reset === undefined) return undefined;
  const n = Number(reset);
  if (!Number.isFinite(n)) return undefined;
  // epoch seconds (X) or seconds from now (others)
  return n > 1e9 ? Math.max(0, n * 1000 - Date.now()) : n * 1000;
}

function safeUrl(url?: string, base?: string): string {
  try {
    const u = new URL(url ?? '', base);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return url ?? '';
  }
}

function summarizeBody(data: unknown): string {
  if (data === undefined || data === null || data === '') return '';
  let s: string;
  if (Buffer.isBuffer(data)) s = data.toString('utf8');
  else if (typeof data === 'string') s = data;
  else {
    try { s = JSON.stringify(data); } catch { s = String(data); }
  }
  s = s.replace(/\s+/g, ' ').trim();
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}
