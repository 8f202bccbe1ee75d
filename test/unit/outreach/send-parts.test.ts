import { describe, expect, it } from 'vitest';
import { makePacer, parseRate } from '../../../plugins/outreach/rate.js';
import { classifySmtp } from '../../../plugins/outreach/smtp-errors.js';
import { parseSuppressionFile, SuppressionList } from '../../../plugins/outreach/records.js';
import { looksLikeGoogleMaps, toLead } from '../../../plugins/outreach/sources.js';
import { compileTemplate, renderHtml, renderText } from '../../../plugins/outreach/template.js';

describe('rate', () => {
  it('parses count/unit and count/duration', () => {
    expect(parseRate('30/hour')).toBe(120_000);
    expect(parseRate('5/minutes')).toBe(12_000);
    expect(parseRate('1/90s')).toBe(90_000);
    expect(() => parseRate('fast')).toThrow(/30\/hour/);
  });
  it('spreads messages evenly on a fake clock, the first at once', async () => {
    let now = 1000;
    const waits: number[] = [];
    const pacer = makePacer(100, { now: () => now, sleep: async (ms) => { waits.push(ms); now += ms; } });
    await pacer.wait();
    now += 30;
    await pacer.wait();
    await pacer.wait();
    expect(waits).toEqual([70, 100]);
  });
});

describe('SMTP failures', () => {
  it.each([
    [{ code: 'EAUTH', responseCode: 535, response: '535 bad' }, 'auth'],
    [{ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 unknown' }, 'permanent'],
    [{ code: 'EENVELOPE', responseCode: 451, response: '451 later' }, 'temporary'],
    [{ code: 'ECONNECTION', message: 'connect ECONNREFUSED' }, 'connection'],
    [{ code: 'ETLS', message: 'self-signed certificate' }, 'other'],
  ])('%o → %s', (err, kind) => {
    expect(classifySmtp(err).kind).toBe(kind);
  });
});

describe('suppression', () => {
  it('reads addresses and whole domains, ignoring comments', async () => {
    const lines = parseSuppressionFile('# list\nAnna@X.test\n\n@Spam.test  # whole domain\nother.test\n', 'dnm.txt');
    expect(lines.map((l) => l.entry)).toEqual(['anna@x.test', '@spam.test', '@other.test']);
    const list = new SuppressionList(new Map(lines.map((l) => [l.entry, `listed in ${l.source}`])));
    expect(list.why('anna@x.test')).toBe('listed in dnm.txt');
    expect(list.why('bob@spam.test')).toBe('listed in dnm.txt');
    expect(list.why('bob@x.test')).toBeUndefined();
  });
});

describe('lead sources', () => {
  it('recognises a google-maps-scraper export and maps its columns', () => {
    const row = { input_id: 'q', link: 'https://maps', title: 'Corner Bakery', category: 'Bakery', address: '1 Main', website: 'bakery.test', emails: 'a@bakery.test, b@bakery.test', owner: { name: 'Jo' } };
    expect(looksLikeGoogleMaps(Object.keys(row))).toBe(true);
    expect(toLead(row, 'x:2', true)).toMatchObject({ company: 'Corner Bakery', name: 'Jo', website: 'bakery.test', emails: ['a@bakery.test', 'b@bakery.test'] });
    // elsewhere `title` is a job title, not the company
    expect(toLead({ Name: 'Ann', Title: 'CEO', 'Company Name': 'Acme', 'E-Mail': 'ann@acme.test' }, 'x:2', false)).toMatchObject({ name: 'Ann', company: 'Acme', emails: ['ann@acme.test'] });
  });
});

describe('templates', () => {
  it('are strict, escape values in HTML only, and cannot read files', async () => {
    const t = compileTemplate('body', 'Hi {{ name }} from **{{ company }}**{% if city %} in {{ city }}{% endif %} {{ role | default: "owner" }}');
    expect(await renderText(t, { name: 'A', company: 'B & <C>' })).toBe('Hi A from **B & <C>** owner');
    expect(await renderHtml(t, { name: 'A', company: 'B & <C>' })).toContain('<strong>B &amp; &lt;C&gt;</strong>');
    await expect(renderText(t, { company: 'B' })).rejects.toThrow(/undefined variable: name/);
    const inc = compileTemplate('body', '{% include "/etc/passwd" %}');
    await expect(renderText(inc, {})).rejects.toThrow();
    expect(() => compileTemplate('subject', 'Hi {{ name ')).toThrow(/subject template cannot be parsed/);
  });
});
