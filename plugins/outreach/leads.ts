/**
 * outreach.leads: loads leads from CSV/JSON/YAML files (or a google-maps-scraper export, or
 * inline), finds an email address for those that have a website and none, optionally checks
 * the domain's MX record, and hands back the usable leads and the excluded ones with why.
 */
import pLimit from 'p-limit';
import { mpv2Error } from 'mpv2/plugin';
import { parseDuration } from 'mpv2/plugin';
import { definePlugin } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import { abortableSleep } from 'mpv2/plugin';
import { domainOf, normaliseAddress } from './address.js';
import type { OutreachConfig } from './config.js';
import type { Discovery, DiscoverOptions } from './discover.js';
import { leadsInputSchema, leadsOutputSchema, type LeadsInput, type LeadsOutput } from './leads-schema.js';
import { makeMxChecker } from './mx.js';
import { inlineLeads, readSource, type RawLead } from './sources.js';

export type { LeadsInput, LeadsOutput } from './leads-schema.js';

export default definePlugin<LeadsInput, LeadsOutput>({
  id: 'outreach.leads',
  uses: ['file'],
  version: '1.0.0',
  description: 'Load leads (CSV/JSON/YAML, google-maps-scraper output) and find their email addresses on their websites',
  input: leadsInputSchema,
  output: leadsOutputSchema,
  effect: false,
  pure: true,
  async run(ctx, input) {
    const raw = await loadAll(ctx, input);
    for (const lead of raw) for (const w of lead.warnings) ctx.log.warn(w);
    if (raw.length === 0) ctx.skip('no leads in the sources');
    const cfg = ctx.config as OutreachConfig;
    const timeoutMs = parseDuration(cfg.crawl.timeout, 'outreach.crawl.timeout');
    const checkMx = input.checkMx ? makeMxChecker({ servers: cfg.dns.servers, timeoutMs: parseDuration(cfg.dns.timeout, 'outreach.dns.timeout') }) : undefined;
    const crawl = pLimit(cfg.crawl.concurrency);
    let done = 0;
    const settled = await Promise.all(raw.map((lead) => crawl(async () => {
      const r = await resolveLead(ctx, lead, input, {
        userAgent: cfg.userAgent, timeoutMs, maxBytes: cfg.crawl.maxBytes, hosts: lowerKeys(cfg.crawl.hosts), paths: cfg.crawl.paths, maxPages: cfg.crawl.maxPages,
        anyDomain: input.anyDomain, maxCrawlDelayMs: 5000,
        throttle: (fn) => ctx.limit(input.crawlLimit, fn),
        sleep: async (ms) => { await abortableSleep(ms, ctx.signal); },
      });
      done++;
      ctx.progress({ fraction: done / raw.length, message: `${done}/${raw.length} leads` });
      return r;
    })));
    const out: LeadsOutput = { leads: [], excluded: [] };
    const byAddress = new Map<string, string>();
    for (const [i, r] of settled.entries()) {
      const lead = raw[i]!;
      if ('reason' in r) { out.excluded.push({ lead: describe(lead), reason: r.reason }); continue; }
      const prior = byAddress.get(r.email);
      if (input.dedupe && prior) { out.excluded.push({ lead: describe(lead), reason: `duplicate of ${prior} (${r.email})` }); continue; }
      if (checkMx) {
        const mx = await checkMx(domainOf(r.email));
        if (!mx.ok) { out.excluded.push({ lead: describe(lead), reason: mx.reason }); continue; }
      }
      byAddress.set(r.email, lead.origin);
      out.leads.push({ ...lead.fields, ...known(lead), email: r.email, emailSource: r.source, ...(r.page && { emailPage: r.page }), ...(r.candidates && r.candidates.length > 1 && { emailCandidates: r.candidates }) });
    }
    ctx.log.info(`${out.leads.length} lead(s) with an address, ${out.excluded.length} excluded`);
    return out;
  },
});

async function loadAll(ctx: StepContext, input: LeadsInput): Promise<RawLead[]> {
  const sources = input.source === undefined ? [] : Array.isArray(input.source) ? input.source : [input.source];
  if (sources.length === 0 && !input.leads) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', 'outreach.leads needs `source` (a leads file) or `leads` (a list)', { hint: 'e.g. `source: leads.csv`' });
  }
  const out: RawLead[] = [];
  for (const s of sources) out.push(...(await readSource(ctx.resolvePath(s), s, input.format, ctx.signal, (format, text, file) => ctx.services.file.parse(format, text, file))));
  if (input.leads) out.push(...inlineLeads(input.leads));
  return out;
}

type Resolved = { email: string; source: string; page?: string; candidates?: string[] } | { reason: string };

async function resolveLead(ctx: StepContext, lead: RawLead, input: LeadsInput, o: DiscoverOptions): Promise<Resolved> {
  // cheerio is loaded only when a step reads leads, not whenever the namespace is
  const { discoverEmail } = await import('./discover.js');
  const { plausible } = await import('./extract.js');
  const given = lead.emails.map(normaliseAddress);
  const good = given.filter(plausible);
  if (good.length) return { email: good[0]!, source: 'input', ...(good.length > 1 && { candidates: good }) };
  if (given.length) return { reason: `address "${lead.emails[0]}" is not a valid email address` };
  if (!lead.website) return { reason: 'no email address and no website' };
  if (!input.discover) return { reason: 'no email address (discovery is off)' };
  const found: Discovery = await discoverEmail(ctx, lead.website, o);
  ctx.log.debug(`discovery on ${lead.website}`, { visited: found.visited });
  if (!found.email) return { reason: found.reason ?? 'no address found' };
  return { email: found.email, source: found.via!, page: found.page, candidates: found.candidates };
}

function known(lead: RawLead): Record<string, string> {
  return {
    ...(lead.name !== undefined && { name: lead.name }),
    ...(lead.company !== undefined && { company: lead.company }),
    ...(lead.website !== undefined && { website: lead.website }),
  };
}

function describe(lead: RawLead): Record<string, unknown> {
  return { ...lead.fields, ...known(lead), origin: lead.origin };
}

function lowerKeys(m: Record<string, string> | undefined): Record<string, string> | undefined {
  return m && Object.fromEntries(Object.entries(m).map(([k, v]) => [k.toLowerCase(), v]));
}
