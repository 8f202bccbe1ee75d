/**
 * outreach.leads on a google-maps-scraper CSV with the export's full column set
 * (gosom/google-maps-scraper, `Entry.CsvHeaders`): JSON-valued cells become objects, the
 * owner's name (`owner.name`) is what reaches To: and the greeting, and a malformed JSON cell
 * is a warning naming the row and the column, never text in a greeting (issue 13 item 18).
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose } from '../../../plugins/outreach/compose.js';
import leads, { type LeadsInput, type LeadsOutput } from '../../../plugins/outreach/leads.js';
import { compileTemplate } from '../../../plugins/outreach/template.js';
import { makeTestContext } from '../../helpers/context.js';
import { namespace } from '../../../plugins/outreach/index.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'outreach');

describe('outreach.leads, google-maps-scraper JSON columns', () => {
  const root = mkdtempSync(join(tmpdir(), 'mpv2-gmaps-'));
  copyFileSync(join(FIXTURES, 'gmaps-full.csv'), join(root, 'gmaps-full.csv'));
  const ctx = makeTestContext({ namespace, root, config: {} });
  const input: LeadsInput = { source: 'gmaps-full.csv', format: 'auto', discover: false, anyDomain: false, checkMx: false, dedupe: true, crawlLimit: 'outreach-crawl' };
  const loaded = leads.run(ctx, input) as Promise<LeadsOutput>;

  it('parses every JSON column of the export into objects', async () => {
    const out = await loaded;
    const anna = out.leads.find((l) => l.company === 'Corner Bakery')!;
    expect(anna.name).toBe('Anna Baker');
    expect(anna.owner).toEqual({ id: '10234', name: 'Anna Baker', link: 'https://www.google.com/maps/contrib/10234' });
    expect(anna.complete_address).toMatchObject({ city: 'Springfield', postal_code: '62701' });
    expect(anna.open_hours).toMatchObject({ Sunday: ['Closed'] });
    expect(anna.popular_times).toMatchObject({ Monday: { 8: 35 } });
    expect(anna.reviews_per_rating).toMatchObject({ 5: 90 });
    expect(anna.images).toHaveLength(2);
    expect(anna.reservations).toBeNull();
    expect(anna.menu).toMatchObject({ source: 'menu.example' });
    expect((anna.about as Array<{ options: unknown[] }>)[0]!.options).toHaveLength(2);
    expect((anna.user_reviews as Array<{ Name: string }>)[0]!.Name).toBe('Pat, a "regular"');
    // plain columns stay text
    expect(anna.descriptions).toBe('Family bakery, "sourdough" since 1998, with a comma');
    // an owner with an empty name gives no name, not `{"id":…}`
    const bikes = out.leads.find((l) => l.company === 'Fix Bikes')!;
    expect(bikes.name).toBeUndefined();
  });

  it('puts owner.name in To: and in the greeting', async () => {
    const out = await loaded;
    const sender = { host: '127.0.0.1', port: 25, secure: false, fromAddress: 'me@example.org', fromName: 'Me' } as unknown as Parameters<typeof compose>[0]['sender'];
    const templates = {
      subject: compileTemplate('subject', 'Hello {{ company }}'),
      body: compileTemplate('body', 'Hi {{ name | default: "there" }},\n\nWe bake too.'),
      footer: compileTemplate('footer', 'bye'),
    };
    const mails = await Promise.all(out.leads.map((lead) => compose({ recipient: { email: lead.email, lead }, campaign: 'c', sender, templates, attachments: [] })));
    const anna = mails.find((m) => JSON.stringify(m.to).includes('anna@'))!;
    expect(anna.to).toEqual({ name: 'Anna Baker', address: 'anna@cornerbakery.example.org' });
    expect(anna.text).toMatch(/^Hi Anna Baker,/);
    for (const m of mails) {
      expect(JSON.stringify(m.to)).not.toContain('{\\"');
      expect(m.text).not.toContain('{"');
    }
  });

  it('warns about a malformed JSON cell, naming the row and the column, and uses none of it', async () => {
    const out = await loaded;
    const warnings = ctx.logs.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toEqual([expect.stringMatching(/^gmaps-full\.csv:5, column "owner": not valid JSON \(.+\); the cell is left out$/)]);
    const deli = out.leads.find((l) => l.company === 'Broken Owner Deli')!;
    expect(deli.owner).toBeNull();
    expect(deli.name).toBeUndefined();
    expect(deli.email).toBe('dora@deli.example.org');
  });
});
