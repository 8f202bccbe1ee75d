/**
 * What a redirect may take along. A redirect to another origin is a request the user never
 * wrote to a host they may not trust: it gets no credential header. follow-redirects alone
 * drops only Authorization, Proxy-Authorization and Cookie, and keeps them for subdomains.
 */
import type { Redactor } from './redact.js';
import { effectivePort, type HostAllowList, hostNotAllowed } from './http-hosts.js';

/** Header names that carry credentials: Authorization, Cookie, X-Api-Key, X-Auth-Token, X-Session-Id, … */
const CREDENTIAL_NAME = /auth|cookie|token|key|secret|session|passw|credential/i;

/**
 * Same scheme, host and port. An upgrade from http on port 80 to https on port 443 of the same
 * host counts as the same origin: the credentials go to the same server, now encrypted.
 */
export function sameOrigin(from: URL, to: URL): boolean {
  if (from.hostname.toLowerCase() !== to.hostname.toLowerCase()) return false;
  if (from.protocol === to.protocol) return effectivePort(from) === effectivePort(to);
  return from.protocol === 'http:' && to.protocol === 'https:' && effectivePort(from) === 80 && effectivePort(to) === 443;
}

function holdsSecret(value: unknown, redactor: Redactor | undefined): boolean {
  if (!redactor) return false;
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => typeof v === 'string' && redactor.redact(v) !== v);
}

/** Deletes, in place, every header that names a credential or whose value holds a known secret. */
export function dropCredentialHeaders(headers: Record<string, unknown>, redactor: Redactor | undefined): void {
  for (const name of Object.keys(headers)) {
    if (CREDENTIAL_NAME.test(name) || holdsSecret(headers[name], redactor)) delete headers[name];
  }
}

/**
 * axios' `beforeRedirect`: refuses a target outside `http.allowHosts` (throwing here stops
 * follow-redirects before it connects) and strips credentials when the origin changes. The
 * headers are the ones follow-redirects carries from hop to hop, so once stripped they stay
 * stripped, even if a later hop comes back to the first origin.
 */
export function guardRedirect(allow: HostAllowList, redactor: Redactor | undefined) {
  // `options` are the next request's, already pointing at the target (follow-redirects' spread of its URL)
  return (options: Record<string, unknown>, _response: unknown, request: { url: string }): void => {
    const from = new URL(request.url);
    const to = new URL(String(options.href));
    if (!allow.allows(to)) throw hostNotAllowed(to, allow, from);
    if (!sameOrigin(from, to) && options.headers) dropCredentialHeaders(options.headers as Record<string, unknown>, redactor);
  };
}
