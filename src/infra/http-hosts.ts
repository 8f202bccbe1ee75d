/**
 * `http.allowHosts`: the hosts the shared HTTP client may reach. An entry is `host` (any
 * port), `host:port`, or `*.example.com` (any subdomain of example.com, not example.com
 * itself), optionally with a port. An empty list allows every host.
 */
import { mpv2Error, type Mpv2Error } from '../errors.js';

/** The shape of an entry, for the config schema (ASCII host names, IPv4, or [IPv6]). */
export const HOST_PATTERN = '^(\\*\\.)?([A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\\.?|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?$';

interface HostRule {
  /** Lower-case host name, IPv6 in brackets, no trailing dot. */
  host: string;
  /** `*.host`: subdomains only. */
  subdomains: boolean;
  port?: number;
}

export interface HostAllowList {
  /** The entries as written, for messages. */
  entries: readonly string[];
  allows(url: URL): boolean;
}

const ENTRY = /^(\*\.)?(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i;

function normalizeHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

function parseRule(entry: string): HostRule {
  const m = ENTRY.exec(entry.trim());
  if (!m) {
    throw mpv2Error('E_CONFIG_INVALID', `http.allowHosts: ${JSON.stringify(entry)} is not a host`, {
      hint: 'write a host (api.example.com), a host and port (api.example.com:8443) or a wildcard (*.example.com)',
    });
  }
  return { subdomains: Boolean(m[1]), host: normalizeHost(m[2]!), ...(m[3] !== undefined && { port: Number(m[3]) }) };
}

/** The port a URL reaches: its own, else the scheme's default. */
export function effectivePort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

export function hostAllowList(entries: readonly string[]): HostAllowList {
  const rules = entries.map(parseRule);
  return {
    entries,
    allows(url) {
      if (rules.length === 0) return true;
      const host = normalizeHost(url.hostname);
      const port = effectivePort(url);
      return rules.some((r) => (r.port === undefined || r.port === port)
        && (r.subdomains ? host.endsWith(`.${r.host}`) : host === r.host));
    },
  };
}

/** `host:port` of a URL, the way an allowHosts entry names it. */
export function hostPort(url: URL): string {
  return `${normalizeHost(url.hostname)}:${effectivePort(url)}`;
}

/** The error for a request (or a redirect) to a host the list does not hold: nothing was sent to it. */
export function hostNotAllowed(url: URL, list: HostAllowList, redirectFrom?: URL): Mpv2Error {
  const host = normalizeHost(url.hostname);
  const target = hostPort(url);
  const what = redirectFrom
    ? `a redirect from ${redirectFrom.origin} to ${url.origin} was refused`
    : `a request to ${url.origin} was refused`;
  return mpv2Error('E_HOST_NOT_ALLOWED', `${what}: ${target} is not in http.allowHosts (${list.entries.join(', ')})`, {
    hint: `add "${host}" (any port) or "${target}" to http.allowHosts in the config if mpv2 may reach it; an empty list allows every host`,
    details: { host, port: effectivePort(url) },
    // the first request never left the machine; after a redirect the request before it did
    notDone: redirectFrom === undefined,
  });
}
