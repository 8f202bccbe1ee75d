/**
 * One polite GET of a lead's web page: our User-Agent, a hard time cap (the socket timeout
 * alone misses a server that trickles bytes), a size cap, and only text answers kept.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { StepContext } from 'mpv2/plugin';

export interface Page {
  url: string;
  /** The URL after redirects. */
  finalUrl: string;
  status: number;
  html?: string;
  /** Why there is no html: `timeout`, `HTTP 404`, `not HTML (image/png)`, a network error code. */
  problem?: string;
}

export interface FetchOptions {
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
  /** Host name → IP overrides (config `outreach.crawl.hosts`). */
  hosts?: Record<string, string>;
}

export async function fetchPage(ctx: Pick<StepContext, 'http' | 'signal'>, url: string, o: FetchOptions): Promise<Page> {
  const timer = AbortSignal.timeout(o.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timer]);
  try {
    const res = await ctx.http.get<string>(url, {
      signal,
      timeout: o.timeoutMs,
      responseType: 'text',
      transformResponse: (x: unknown) => x,
      maxContentLength: o.maxBytes,
      maxRedirects: 5,
      validateStatus: () => true,
      ...(o.hosts && { lookup: hostsLookup(o.hosts) }),
      headers: { 'User-Agent': o.userAgent, Accept: 'text/html,text/plain;q=0.9,*/*;q=0.1' },
    });
    const finalUrl = (res.request as { res?: { responseUrl?: string } } | undefined)?.res?.responseUrl ?? url;
    if (res.status >= 400) return { url, finalUrl, status: res.status, problem: `HTTP ${res.status}` };
    const type = String(res.headers['content-type'] ?? 'text/html');
    if (!/text\/(?:html|plain)|application\/xhtml/i.test(type)) return { url, finalUrl, status: res.status, problem: `not HTML (${type.split(';')[0]})` };
    return { url, finalUrl, status: res.status, html: typeof res.data === 'string' ? res.data : String(res.data) };
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    const err = e as { code?: string; message?: string };
    const problem = timer.aborted || err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT' ? 'timeout' : err.code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(err.message ?? '') ? 'page too large' : (err.code ?? err.message ?? 'request failed');
    return { url, finalUrl: url, status: 0, problem };
  }
}

function hostsLookup(hosts: Record<string, string>) {
  return async (hostname: string): Promise<{ address: string; family: 4 | 6 }> => {
    const fixed = hosts[hostname.toLowerCase()];
    if (fixed) return { address: fixed, family: isIP(fixed) === 6 ? 6 : 4 };
    const r = await dnsLookup(hostname);
    return { address: r.address, family: r.family === 6 ? 6 : 4 };
  };
}
