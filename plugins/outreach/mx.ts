/**
 * The optional MX check: does the address's domain accept mail at all? Uses node's
 * `dns.Resolver` so the servers are configurable (tests point it at 127.0.0.1:<port>).
 * One lookup per domain per step.
 */
import { Resolver } from 'node:dns/promises';

export type MxVerdict = { ok: true; exchanges: string[] } | { ok: false; reason: string };

export function makeMxChecker(o: { servers?: string[]; timeoutMs: number }): (domain: string) => Promise<MxVerdict> {
  const resolver = new Resolver({ timeout: o.timeoutMs, tries: 2 });
  if (o.servers?.length) resolver.setServers(o.servers);
  const memo = new Map<string, Promise<MxVerdict>>();
  const check = async (domain: string): Promise<MxVerdict> => {
    try {
      const records = await resolver.resolveMx(domain);
      // RFC 7505 null MX ("0 .") says the domain takes no mail
      const real = records.filter((r) => r.exchange !== '' && r.exchange !== '.').sort((a, b) => a.priority - b.priority);
      if (real.length === 0) return { ok: false, reason: `${domain} accepts no mail (null MX)` };
      return { ok: true, exchanges: real.map((r) => r.exchange) };
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'error';
      if (code === 'ENOTFOUND') return { ok: false, reason: `${domain} does not exist (DNS NXDOMAIN)` };
      if (code === 'ENODATA') return { ok: false, reason: `${domain} has no MX record` };
      return { ok: false, reason: `MX lookup for ${domain} failed (${code})` };
    }
  };
  return (domain) => {
    const d = domain.toLowerCase();
    let p = memo.get(d);
    if (!p) { p = check(d); memo.set(d, p); }
    return p;
  };
}
