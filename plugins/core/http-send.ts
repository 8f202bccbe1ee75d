import type { AxiosResponse } from 'axios';
import { isMpv2Error, mpv2Error, type Mpv2Error } from 'mpv2/plugin';
import { formatDuration } from 'mpv2/plugin';
import { classifyHttpError } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import { decodeText, outputHeaders, parseBody, type ResponseType } from './http-response.js';
import { displayUrl } from './http-url.js';

/** Responses larger than this are refused: outputs are journaled and held in memory. */
export const MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

export type HttpOutput = { status: number; headers: Record<string, string> } & ({ json: unknown } | { body: string });

export interface SendOptions {
  method: string;
  url: URL;
  headers: Record<string, string | number | boolean>;
  json?: unknown;
  body?: string;
  timeoutMs: number;
  responseType: ResponseType;
}

/** What came back, the body as text (decoded with the content-type's charset), not yet parsed. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One request, its body parsed as `responseType` asks. */
export async function sendRequest(ctx: StepContext, o: SendOptions): Promise<HttpOutput> {
  return parseAnswer(await exchange(ctx, o), o.responseType, `http.request ${o.method} ${displayUrl(o.url)}`);
}

/**
 * `{ json }` or `{ body }` from the text of an answer. Kept out of the exchange so an effect
 * records the answer as it came: a body that does not parse fails the step, not the act.
 */
export function parseAnswer(a: RawAnswer, responseType: ResponseType, what: string): HttpOutput {
  return { status: a.status, headers: a.headers, ...parseBody(a.body, a.headers['content-type'], responseType, what) };
}

/**
 * One request through the shared client. The timeout covers the whole exchange (not only
 * socket idle time), and ctx.signal aborts it; either way the socket is released.
 */
export async function exchange(ctx: StepContext, o: Omit<SendOptions, 'responseType'>): Promise<RawAnswer> {
  const what = `http.request ${o.method} ${displayUrl(o.url)}`;
  // cancelled before anything was sent: an effect may simply act again
  if (ctx.signal.aborted) throw mpv2Error('E_ABORTED', `${what} was cancelled`, { notDone: true });
  const sent: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.headers)) sent[k] = String(v);
  const hasType = Object.keys(sent).some((k) => k.toLowerCase() === 'content-type');
  let data: string | undefined;
  if (o.json !== undefined) {
    data = JSON.stringify(o.json);
    if (!hasType) sent['Content-Type'] = 'application/json';
  } else if (o.body !== undefined) {
    data = o.body;
    if (!hasType) sent['Content-Type'] = 'text/plain; charset=utf-8';
  }

  const ctl = new AbortController();
  const onAbort = (): void => ctl.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; ctl.abort(); }, o.timeoutMs);
  const started = Date.now();
  let res: AxiosResponse<Buffer>;
  try {
    res = await ctx.http.request<Buffer>({
      url: o.url.toString(),
      method: o.method,
      headers: sent,
      data,
      timeout: o.timeoutMs,
      signal: ctl.signal,
      responseType: 'arraybuffer',
      transformResponse: [(d: unknown) => d],
      maxContentLength: MAX_RESPONSE_BYTES,
      // follow-redirects caps request bodies at 10 MB by default; match the response cap
      maxBodyLength: MAX_RESPONSE_BYTES,
    });
  } catch (e) {
    throw failure(e, what, o.timeoutMs, timedOut);
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
  }
  const bytes = Buffer.isBuffer(res.data) ? res.data : Buffer.from(res.data ?? '');
  ctx.log.debug(`${what} → ${res.status} (${formatDuration(Date.now() - started)}, ${bytes.length} bytes)`);
  const headers = outputHeaders(res.headers);
  return { status: res.status, headers, body: decodeText(bytes, headers['content-type']) };
}

function failure(e: unknown, what: string, timeoutMs: number, timedOut: boolean): Mpv2Error {
  if (timedOut) {
    return mpv2Error('E_TIMEOUT', `${what} took longer than ${formatDuration(timeoutMs)}`, {
      retryable: true,
      hint: 'raise `timeout` if the service is just slow',
      cause: e,
    });
  }
  // the client's own refusals (E_HOST_NOT_ALLOWED) already say what happened
  if (isMpv2Error(e)) return e;
  const msg = e instanceof Error ? e.message : '';
  if (/maxContentLength/i.test(msg)) {
    return mpv2Error('E_HTTP', `${what} answered with more than ${MAX_RESPONSE_BYTES / 1048576} MB`, {
      hint: 'http.request keeps bodies in memory; download large files with a media step',
      cause: e,
    });
  }
  return classifyHttpError(e, 'http.request');
}
