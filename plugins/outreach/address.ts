/**
 * Email addresses: one normal form for keys and comparisons (trimmed, lower-cased), and a
 * plain syntax check that refuses what no mailbox looks like (spaces, two @, no dot in the domain).
 */

/** Letters, digits and the usual specials in the local part; a dotted domain with a 2+ letter TLD. */
const ADDRESS = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** `"Anna <Anna@Example.COM> "` and `mailto:anna@example.com?subject=x` → `anna@example.com`. */
export function normaliseAddress(raw: string): string {
  let s = raw.trim();
  const angle = /<([^<>]+)>/.exec(s);
  if (angle) s = angle[1]!;
  s = s.replace(/^mailto:/i, '');
  const q = s.indexOf('?');
  if (q >= 0) s = s.slice(0, q);
  try { s = decodeURIComponent(s); } catch { /* keep it as it is */ }
  return s.trim().replace(/\.+$/, '').toLowerCase();
}

export function isValidAddress(addr: string): boolean {
  return addr.length <= 254 && ADDRESS.test(addr) && addr.split('@')[0]!.length <= 64;
}

export function domainOf(addr: string): string {
  return addr.slice(addr.lastIndexOf('@') + 1);
}

/** `www.shop.example.co.uk` → `shop.example.co.uk`: the host without a leading `www.`. */
export function bareHost(host: string): string {
  return host.toLowerCase().replace(/^www\./, '').replace(/\.$/, '');
}

/**
 * Whether an address belongs to a site: same host, or one is a subdomain of the other
 * (`info@example.com` for `shop.example.com`, `a@mail.example.com` for `example.com`).
 */
export function sameSite(addrDomain: string, siteHost: string): boolean {
  const a = bareHost(addrDomain);
  const b = bareHost(siteHost);
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}
