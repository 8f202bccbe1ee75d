/**
 * outreach.leads against local websites (one HTTP server, sites told apart by Host) and a
 * local DNS server for the MX check.
 */
import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import leads, { type LeadsInput, type LeadsOutput } from '../../../plugins/outreach/leads.js';
import { makeTestContext } from '../../helpers/context.js';
import { namespace } from '../../../plugins/outreach/index.js';
import { startSites, type SitesServer } from '../../servers/sites.js';
import { startDns, type DnsServer } from '../../servers/dns.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'outreach');

describe('outreach.leads', () => {
  let sites: SitesServer;
  let dns: DnsServer;
  let root: string;
  const hosts = ['bakery.test', 'bikes.test', 'obfus.test', 'robots.test', 'slow.test', 'images.test', 'elsewhere.test', 'down.test']
    .reduce<Record<string, string>>((m, h) => ({ ...m, [h]: '127.0.0.1' }), {});

  beforeAll(async () => {
    sites = await startSites({
      'bakery.test': {
        pages: {
          '/': '<html><body><h1>Corner Bakery</h1><a href="/contact-us">Contact</a><img src="/img/logo@2x.png" alt="logo@2x.png"></body></html>',
          '/contact-us': '<html><body>Write to <a href="mailto:Hello@Bakery.test?subject=Hi">us</a> or orders@bakery.test</body></html>',
        },
      },
      'obfus.test': {
        pages: {
          '/': '<p>Welcome</p>',
          '/impressum': '<p>Kontakt: max [at] obfus [dot] test</p>',
        },
      },
      'robots.test': {
        robots: 'User-agent: *\nDisallow: /contact\n',
        pages: {
          '/': '<p>Home</p>',
          '/contact': '<a href="mailto:secret@robots.test">mail</a>',
          '/about': '<p>About us. Email: team@robots.test</p>',
        },
      },
      'slow.test': {
        pages: {
          '/': '<a href="/kontakt">Kontakt</a>',
          '/kontakt': { hang: true },
          '/about': '<a href="mailto:info@slow.test">info</a>',
        },
      },
      'images.test': {
        pages: { '/': '<img srcset="/a@2x.png 2x"> sprite@3x.webp <script>var dsn="https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/1"</script>' },
      },
      'elsewhere.test': {
        pages: { '/': '<a href="mailto:owner@gmail.com">mail me</a>' },
      },
      'down.test': { robots: undefined, pages: {} },
    });
    dns = await startDns({
      'bakery.test': [{ priority: 10, exchange: 'mx.bakery.test' }],
      'obfus.test': [],
      'berg-studio.example.net': [{ priority: 5, exchange: 'mx1.example.net' }],
    });
    root = mkdtempSync(join(tmpdir(), 'mpv2-leads-'));
    writeFileSync(join(root, 'gmaps.csv'), readFileSync(join(FIXTURES, 'gmaps.csv'), 'utf8').replaceAll('{PORT}', String(sites.port)));
    cpSync(join(FIXTURES, 'contacts.yaml'), join(root, 'contacts.yaml'));
  });
  afterAll(async () => {
    await sites?.close();
    await dns?.close();
  });

  const run = (input: Partial<LeadsInput>, extra: Record<string, unknown> = {}) => {
    const ctx = makeTestContext({ namespace, root, config: { crawl: { hosts, timeout: '1s' }, dns: { servers: [dns.address], timeout: '1s' }, ...extra } });
    const full: LeadsInput = { format: 'auto', discover: true, anyDomain: false, checkMx: false, dedupe: true, crawlLimit: 'outreach-crawl', ...input };
    return leads.run(ctx, full) as Promise<LeadsOutput>;
  };

  it('reads a google-maps-scraper export, keeps given addresses and finds the others on the site', async () => {
    const out = await run({ source: 'gmaps.csv' });
    const bakery = out.leads.find((l) => l.company === 'Corner Bakery')!;
    expect(bakery).toMatchObject({ email: 'hello@bakery.test', emailSource: 'mailto', phone: '+1 555 0100', category: 'Bakery' });
    expect(bakery.emailPage).toMatch(/\/contact-us$/);
    expect(bakery.emailCandidates).toEqual(['hello@bakery.test', 'orders@bakery.test']);
    const bikes = out.leads.find((l) => l.company === 'Fix Bikes')!;
    expect(bikes).toMatchObject({ email: 'owner@fixbikes.example.org', emailSource: 'input' });
    expect(out.excluded).toEqual([{ lead: expect.objectContaining({ company: 'No Site Diner', origin: 'gmaps.csv:4' }), reason: 'no email address and no website' }]);
    // the bikes lead had addresses: its site was never crawled
    expect(sites.requests.some((r) => r.startsWith('bikes.test'))).toBe(false);
  });

  it('decodes obfuscated addresses, honours robots.txt, survives a page that never answers, drops lookalikes', async () => {
    const url = (h: string) => sites.url(h);
    const out = await run({ leads: [
      { company: 'Obfus', website: url('obfus.test') },
      { company: 'Robots', website: url('robots.test') },
      { company: 'Slow', website: url('slow.test') },
      { company: 'Images', website: url('images.test') },
      { company: 'Elsewhere', website: url('elsewhere.test') },
    ] });
    const by = (c: string) => out.leads.find((l) => l.company === c);
    expect(by('Obfus')).toMatchObject({ email: 'max@obfus.test', emailSource: 'obfuscated' });
    expect(by('Robots')).toMatchObject({ email: 'team@robots.test', emailSource: 'text' });
    expect(sites.requests).not.toContain('robots.test /contact');
    expect(by('Slow')).toMatchObject({ email: 'info@slow.test' });
    const reasons = Object.fromEntries(out.excluded.map((e) => [e.lead.company, e.reason]));
    expect(reasons.Images).toMatch(/^no address of images\.test found/);
    expect(reasons.Elsewhere).toMatch(/^no address of elsewhere\.test found/);
    // asked for: addresses of other domains are kept
    const any = await run({ anyDomain: true, leads: [{ company: 'Elsewhere', website: url('elsewhere.test') }] });
    expect(any.leads[0]).toMatchObject({ email: 'owner@gmail.com' });
  }, 20_000);

  it('validates and de-duplicates given addresses, and checks MX records through the configured DNS server', async () => {
    const out = await run({ source: 'contacts.yaml', checkMx: true, leads: ['x@obfus.test', 'y@nowhere.test'] });
    expect(out.leads.map((l) => l.email)).toEqual(['anna@berg-studio.example.net']);
    expect(out.leads[0]).toMatchObject({ name: 'Anna Berg', city: 'Oslo', emailSource: 'input' });
    expect(out.excluded.map((e) => e.reason)).toEqual([
      'address "not-an-address" is not a valid email address',
      'duplicate of contacts.yaml:1 (anna@berg-studio.example.net)',
      'obfus.test has no MX record',
      'nowhere.test does not exist (DNS NXDOMAIN)',
    ]);
    expect(dns.questions).toEqual(expect.arrayContaining(['berg-studio.example.net MX', 'obfus.test MX']));
  });
});
