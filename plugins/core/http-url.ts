import { mpv2Error } from 'mpv2/plugin';
import type { HttpRequestInput } from './http-request.js';

/** A value of http.request's `query`. */
export type QueryValue = NonNullable<HttpRequestInput['query']>[string];

/**
 * The request URL: `url` plus `query` (appended to any query already in `url`; a list
 * repeats the key, null leaves it out). Only http(s): file:, data:, ftp: and the like
 * would reach things the sandbox is there to protect.
 */
export function buildUrl(url: string, query: Record<string, QueryValue> | undefined): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch (e) {
    throw mpv2Error('E_INPUT_INVALID', `\`url\` is not an absolute URL: ${JSON.stringify(url)}`, {
      hint: 'write the whole address, e.g. https://api.example.com/v1/items',
      cause: e,
    });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw mpv2Error('E_INPUT_INVALID', `http.request only speaks http and https, got a ${u.protocol} URL`, {
      hint: 'use file.read for local files',
    });
  }
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === null || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) u.searchParams.append(key, String(v));
  }
  return u;
}

const SECRET_PARAM = /key|token|secret|pass|auth|sig|session|code/i;

/** The URL for logs and dry-run descriptions: no user:password, secret-looking query values masked. */
export function displayUrl(u: URL): string {
  const d = new URL(u.toString());
  d.username = '';
  d.password = '';
  for (const key of [...new Set(d.searchParams.keys())]) {
    if (SECRET_PARAM.test(key)) d.searchParams.set(key, '***');
  }
  return d.toString();
}
