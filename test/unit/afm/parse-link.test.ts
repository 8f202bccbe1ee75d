import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { affiliateLink, canonicalUrl } from '../../../plugins/afm/link.js';
import { parseProduct } from '../../../plugins/afm/parse.js';
import { fitPitch } from '../../../plugins/afm/pitch.js';
import { PLATFORMS } from '../../../plugins/afm/platforms.js';
import { productList, readProductsFile } from '../../../plugins/afm/products.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const fx = (n: string) => readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'afm', n), 'utf8');

describe('product facts', () => {
  it('reads an Amazon page: title, bullets, price, hi-res image, ASIN, brand', () => {
    const f = parseProduct(fx('amazon-product.html'), 'https://www.amazon.com/Trailblazer/dp/B0TESTASN1/ref=sr_1_3?psc=1')!;
    expect(f).toMatchObject({
      source: 'amazon', title: 'Trailblazer Insulated Water Bottle, 32 oz, Leak-Proof Lid', price: '$24.99', asin: 'B0TESTASN1', brand: 'Trailblazer',
      image: 'https://m.media-amazon.com/images/I/71bottle._AC_SL1500_.jpg',
    });
    expect(f.bullets).toHaveLength(3);
    expect(f.bullets[0]).toBe('Double-wall vacuum insulation keeps drinks cold for 24 hours and hot for 12');
  });

  it('falls back to schema.org Product JSON-LD (in @graph, offers as a list, ImageObject)', () => {
    const f = parseProduct(fx('jsonld-product.html'), 'https://brew.example.com/products/copper-kettle?utm_source=x')!;
    expect(f).toMatchObject({
      source: 'jsonld', title: 'Copper Pour-Over Kettle, 1 L', price: '59.00', currency: 'EUR', brand: 'Brew Supply',
      image: 'https://brew.example.com/images/kettle-large.jpg', canonical: 'https://brew.example.com/products/copper-kettle',
    });
    expect(f.description).toMatch(/^A gooseneck kettle/);
  });

  it('falls back to OpenGraph product tags', () => {
    const f = parseProduct(fx('opengraph-product.html'), 'https://lumen.example.com/p/arc-desk-lamp?ref=home')!;
    expect(f).toMatchObject({ source: 'opengraph', title: 'Arc Desk Lamp with Dimmer', price: '39.50', currency: 'USD', image: 'https://cdn.lumen.example.com/arc-lamp.jpg', canonical: 'https://lumen.example.com/p/arc-desk-lamp' });
  });

  it('finds nothing on a page without product data', () => {
    expect(parseProduct(fx('no-product.html'), 'https://shop.example.com/about')).toBeUndefined();
  });
});

describe('affiliate link', () => {
  it('Amazon: /dp/<ASIN> on the same host, tracking gone, tag set once', () => {
    const page = 'https://www.amazon.de/Some-Name/dp/B0TESTASN1/ref=sr_1_3?keywords=x&tag=other-21&utm_source=nl';
    const link = affiliateLink(canonicalUrl(page, { asin: 'B0TESTASN1', source: 'amazon' }), 'mine-21');
    expect(link).toBe('https://www.amazon.de/dp/B0TESTASN1?tag=mine-21');
  });

  it('other shops: the canonical URL (same host only), tracking removed, other parameters kept', () => {
    const page = 'https://brew.example.com/products/kettle?variant=7&utm_campaign=s&fbclid=1&gclid=2';
    expect(affiliateLink(canonicalUrl(page, { source: 'opengraph' }), 'aff 1', 'ref')).toBe('https://brew.example.com/products/kettle?variant=7&ref=aff+1');
    // a canonical on another host is ignored: a page cannot send the link elsewhere
    expect(canonicalUrl(page, { source: 'jsonld', canonical: 'https://evil.example.net/x' }).host).toBe('brew.example.com');
    expect(canonicalUrl(page, { source: 'jsonld', canonical: 'https://brew.example.com/products/kettle' }).toString()).toBe('https://brew.example.com/products/kettle');
  });
});

describe('fitting a pitch to X', () => {
  const x = PLATFORMS.twitter!;
  const link = `https://www.amazon.com/dp/B0TESTASN1?tag=${'t'.repeat(60)}`;

  it('keeps a short pitch whole, with the link last and the disclosure', () => {
    const r = fitPitch({ hook: 'Cold water all day.', body: 'Stays cold for 24 hours.', hashtags: ['hiking', '#gear'] }, link, '#ad', x);
    expect(r.text).toBe(`Cold water all day.\n\nStays cold for 24 hours.\n\n#hiking #gear #ad\n\n${link}`);
    expect(r.hashtags).toEqual(['hiking', 'gear']);
  });

  it('a too-long draft loses hashtags, then body sentences; the link stays whole and it fits 280', () => {
    const body = Array.from({ length: 8 }, (_, i) => `Sentence ${i + 1} tells you one more true thing about this bottle.`).join(' ');
    const r = fitPitch({ hook: 'The bottle that keeps up with you.', body, hashtags: ['hiking', 'outdoors', 'hydration'] }, link, '#ad', x);
    expect(x.measure(r.text)).toBeLessThanOrEqual(280);
    expect(r.text.endsWith(link)).toBe(true);
    expect(r.text).toContain('#ad');
    expect(r.text).toMatch(/Sentence 1 .*bottle\./);
    expect(r.text).not.toMatch(/Sentence 8/);
  });
});

describe('product lists', () => {
  it('reads CSV (url, notes) and YAML lists, drops duplicates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'afm-'));
    writeFileSync(join(dir, 'p.csv'), 'URL,Notes\nhttps://a.example.com/1,for hikers\nhttps://a.example.com/2,\n');
    writeFileSync(join(dir, 'p.yaml'), 'products:\n  - https://a.example.com/2\n  - { url: https://a.example.com/3, notes: gift }\n');
    const csv = readProductsFile(join(dir, 'p.csv'), 'p.csv');
    expect(csv).toEqual([{ url: 'https://a.example.com/1', notes: 'for hikers' }, { url: 'https://a.example.com/2' }]);
    const all = productList(['https://a.example.com/1'], [...csv, ...readProductsFile(join(dir, 'p.yaml'), 'p.yaml')]);
    expect(all.map((p) => p.url)).toEqual(['https://a.example.com/1', 'https://a.example.com/2', 'https://a.example.com/3']);
    writeFileSync(join(dir, 'bad.csv'), 'link\nhttps://a.example.com\n');
    expect(() => readProductsFile(join(dir, 'bad.csv'), 'bad.csv')).toThrow(/needs a `url` column/);
  });

  it('a YAML products file is read by the pipeline rules: a syntax error or a tag is E_FILE at line:col', () => {
    const dir = mkdtempSync(join(tmpdir(), 'afm-'));
    writeFileSync(join(dir, 'tag.yaml'), 'products:\n  - !!binary aGVsbG8=\n');
    writeFileSync(join(dir, 'broken.yaml'), 'products: [https://a.example.com\n');
    expect(() => readProductsFile(join(dir, 'tag.yaml'), 'tag.yaml')).toThrow(expect.objectContaining({ code: 'E_FILE', message: expect.stringMatching(/tag\.yaml:2:5: the tag !!binary is not allowed/) }));
    expect(() => readProductsFile(join(dir, 'broken.yaml'), 'broken.yaml')).toThrow(expect.objectContaining({ code: 'E_FILE', message: expect.stringMatching(/^products file broken\.yaml:\d+:\d+/) }));
  });
});
