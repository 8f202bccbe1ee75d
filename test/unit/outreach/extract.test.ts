import { describe, expect, it } from 'vitest';
import { decodeCloudflare, deobfuscate, extractEmails, plausible } from '../../../plugins/outreach/extract.js';
import { isValidAddress, normaliseAddress, sameSite } from '../../../plugins/outreach/address.js';

describe('email extraction', () => {
  it('finds mailto links (several recipients, query stripped), text and entity-encoded addresses', () => {
    const html = '<a href="MAILTO:Info@Shop.test,sales@shop.test?subject=Hi">mail</a><p>or write to help&#64;shop.test.</p>';
    expect(extractEmails(html)).toEqual([
      { email: 'info@shop.test', via: 'mailto' },
      { email: 'sales@shop.test', via: 'mailto' },
      { email: 'help@shop.test', via: 'text' },
    ]);
  });

  it.each([
    ['anna [at] shop [dot] test', 'anna@shop.test'],
    ['anna(at)shop(dot)test', 'anna@shop.test'],
    ['anna {at} shop.test', 'anna@shop.test'],
    ['anna AT shop DOT co DOT uk', 'anna@shop.co.uk'],
    ['anna <at> mail [.] shop [dot] test', 'anna@mail.shop.test'],
  ])('decodes "%s"', (text, want) => {
    expect(deobfuscate(text).map((e) => e.toLowerCase())).toContain(want);
  });

  it('drops file names, tracker ids and placeholders', () => {
    const html = '<img src="logo@2x.png"> icon@3x.webp <script>"https://0123456789abcdef0123456789abcdef@o12.ingest.sentry.io/3"</script> you@example.com real@shop.test';
    expect(extractEmails(html).map((e) => e.email)).toEqual(['real@shop.test']);
    expect(plausible('name@shop.jpg')).toBe(false);
    expect(plausible('anna@berg.example.net')).toBe(true);
  });

  it('decodes Cloudflare email protection', () => {
    // key 0x42 xor "a@b.co"
    const protect = (s: string) => '42' + Buffer.from(Buffer.from(s).map((b) => b ^ 0x42)).toString('hex');
    const hex = protect('a@b.co');
    expect(decodeCloudflare(hex)).toBe('a@b.co');
    expect(extractEmails(`<a class="__cf_email__" data-cfemail="${protect('x@shop.test')}">[email protected]</a>`)).toEqual([{ email: 'x@shop.test', via: 'cloudflare' }]);
  });
});

describe('addresses', () => {
  it('normalises display forms and mailto URLs', () => {
    expect(normaliseAddress(' "Anna" <Anna@Example.COM> ')).toBe('anna@example.com');
    expect(normaliseAddress('mailto:bo%40x.test?subject=hi')).toBe('bo@x.test');
  });
  it('validates', () => {
    expect(isValidAddress('a.b+c@sub.domain.test')).toBe(true);
    for (const bad of ['a@b', 'a b@c.de', 'a@@b.de', '@b.de', 'a@-b.de', 'a..b@c.de']) expect(isValidAddress(bad)).toBe(false);
  });
  it('matches an address domain to its site, subdomains included', () => {
    expect(sameSite('shop.test', 'www.shop.test')).toBe(true);
    expect(sameSite('mail.shop.test', 'shop.test')).toBe(true);
    expect(sameSite('gmail.com', 'shop.test')).toBe(false);
  });
});
