/**
 * Who may call the server. On the loopback without MPV2_SERVE_TOKEN anyone on this machine may
 * (as anyone here may run `mpv2`); any other address needs the token: `Authorization: Bearer`
 * for programs, or the studio's sign-in cookie (httpOnly, SameSite=Strict) holding an HMAC of it.
 * `/api/health`, the sign-in page and the studio's static files need none (they hold no data).
 *
 * Browsers are kept from acting for another site: a state-changing request that is not
 * Bearer-authenticated must come from this server's own origin (or a configured CORS origin):
 * browsers send `Origin` on every cross-site POST/DELETE, so a form or script elsewhere is
 * refused. On the loopback the `Host` must name the loopback too, so a DNS-rebound name
 * cannot reach the API.
 */
import { createHmac, randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { mpv2Error } from '../errors.js';
import { withHttpStatus } from './problem.js';

export const SESSION_COOKIE = 'mpv2_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

/**
 * The token the server asks for: MPV2_SERVE_TOKEN when set; else, off the loopback, a new
 * random one (`generated`, printed once); else none (loopback, no token).
 */
export function serverToken(host: string, configured: string | undefined): { token?: string; generated: boolean } {
  if (configured) return { token: configured, generated: false };
  if (isLoopback(host)) return { generated: false };
  return { token: randomBytes(24).toString('base64url'), generated: true };
}

/** The cookie value for a token: an HMAC, so the browser never holds the token itself. */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('mpv2 serve session').digest('base64url');
}

/** Constant-time comparison (lengths hidden by hashing both sides first). */
export function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

export function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

export interface AuthRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface AuthPolicy {
  token?: string;
  /** The address the server listens on. */
  host: string;
  /** Origins that may call the API from a browser (CORS). */
  corsOrigins: string[];
}

/** Paths anyone may reach: health, the sign-in page, and the studio (outside /api). */
export function isOpenPath(path: string): boolean {
  return path === '/api/health' || !(path === '/api' || path.startsWith('/api/') || path === '/mcp' || path.startsWith('/mcp/'));
}

const header = (r: AuthRequest, name: string): string | undefined => {
  const v = r.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Throws E_UNAUTHORIZED (401, or 403 for a request from elsewhere) when `r` may not go on. */
export function checkRequest(r: AuthRequest, p: AuthPolicy): void {
  const hostHeader = header(r, 'host') ?? '';
  if (!p.token && isLoopback(p.host)) {
    const name = hostHeader.replace(/:\d+$/, '').toLowerCase();
    if (!LOOPBACK_NAMES.has(name) && !(isIP(name) === 4 && name.startsWith('127.'))) {
      throw withHttpStatus(mpv2Error('E_UNAUTHORIZED', `requests must name the loopback as their host, not "${name}"`, { hint: `open http://127.0.0.1:<port>/ (set MPV2_SERVE_TOKEN to serve under other names)` }), 403);
    }
  }
  if (isOpenPath(r.path)) return;
  let bearer = false;
  if (p.token) {
    const auth = header(r, 'authorization');
    const m = auth && /^Bearer\s+(.+)$/i.exec(auth);
    const cookie = cookieOf(header(r, 'cookie'), SESSION_COOKIE);
    bearer = Boolean(m && sameSecret(m[1]!.trim(), p.token));
    if (!bearer && !(cookie && sameSecret(cookie, sessionValue(p.token)))) {
      throw mpv2Error('E_UNAUTHORIZED', auth || cookie ? 'the token is wrong' : 'this server needs a token');
    }
  } else bearer = /^Bearer\s/i.test(header(r, 'authorization') ?? '');
  if (bearer || SAFE_METHODS.has(r.method)) return;
  // a browser's request: only from this origin (or a configured one)
  const origin = header(r, 'origin');
  const site = header(r, 'sec-fetch-site');
  const own = [`http://${hostHeader}`, `https://${hostHeader}`];
  if ((origin !== undefined && !own.includes(origin) && !p.corsOrigins.includes(origin)) || (origin === undefined && site !== undefined && site !== 'same-origin' && site !== 'none')) {
    throw withHttpStatus(mpv2Error('E_UNAUTHORIZED', `a ${r.method} from another site (${origin ?? site}) is refused`, { hint: 'call the API from the studio itself, with a Bearer token, or add the site to serve.cors' }), 403);
  }
}
