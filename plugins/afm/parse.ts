/**
 * Product facts from a product page, with cheerio: Amazon's own structure first (title,
 * feature bullets, price, main image, ASIN), then schema.org Product JSON-LD, then OpenGraph.
 * Returns undefined when the page has none of them.
 */
import { createRequire } from 'node:module';
import type * as Cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';

// loaded on first use: cheerio's entry pulls in undici, ~0.2 s of every start-up otherwise
const requireLazy = createRequire(import.meta.url);
let cheerioLib: typeof Cheerio | undefined;
const cheerio = (): typeof Cheerio => (cheerioLib ??= requireLazy('cheerio') as typeof Cheerio);

export interface ProductFacts {
  title: string;
  description?: string;
  bullets: string[];
  price?: string;
  currency?: string;
  image?: string;
  brand?: string;
  /** Amazon's product id. */
  asin?: string;
  /** The page's own canonical URL (link rel=canonical, og:url or JSON-LD url), absolute. */
  canonical?: string;
  source: 'amazon' | 'jsonld' | 'opengraph';
}

const clean = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
const abs = (u: string | undefined, base: string) => { if (!u) return undefined; try { return new URL(u.trim(), base).toString(); } catch { return undefined; } };

export function parseProduct(html: string, pageUrl: string): ProductFacts | undefined {
  const $ = cheerio().load(html);
  const canonical = abs($('link[rel="canonical"]').attr('href'), pageUrl) ?? abs(meta($, 'og:url'), pageUrl);
  return amazon($, pageUrl, canonical) ?? jsonLd($, pageUrl, canonical) ?? openGraph($, pageUrl, canonical);
}

function meta($: CheerioAPI, name: string): string | undefined {
  const v = $(`meta[property="${name}"]`).attr('content') ?? $(`meta[name="${name}"]`).attr('content');
  return v ? clean(v) : undefined;
}

export function asinOf(url: string): string | undefined {
  return /\/(?:dp|gp\/product|gp\/aw\/d|product)\/([A-Z0-9]{10})(?:[/?#]|$)/i.exec(url)?.[1]?.toUpperCase();
}

function amazon($: CheerioAPI, pageUrl: string, canonical: string | undefined): ProductFacts | undefined {
  const title = clean($('#productTitle').first().text());
  if (!title) return undefined;
  const bullets = $('#feature-bullets li').map((_, li) => clean($(li).find('.a-list-item').text() || $(li).text())).get().filter((b) => b !== '');
  const priceText = clean($('#corePrice_feature_div .a-offscreen').first().text() || $('.a-price .a-offscreen').first().text() || $('#priceblock_ourprice, #priceblock_dealprice, #price_inside_buybox').first().text());
  const img = $('#landingImage');
  const dynamic = img.attr('data-a-dynamic-image');
  let image = img.attr('data-old-hires') || img.attr('src');
  if (!image && dynamic) { try { image = Object.keys(JSON.parse(dynamic) as Record<string, unknown>)[0]; } catch { /* no image */ } }
  const asin = clean($('#ASIN').attr('value') ?? $('input[name="ASIN"]').attr('value')) || asinOf(pageUrl) || (canonical ? asinOf(canonical) : undefined);
  return {
    title, bullets, source: 'amazon', canonical,
    ...(priceText && { price: priceText }),
    ...(image && { image: abs(image, pageUrl) }),
    ...(asin && { asin }),
    ...(clean($('#bylineInfo').text()) && { brand: clean($('#bylineInfo').text()).replace(/^(Visit the|Brand:)\s*/i, '').replace(/\s*Store$/i, '') }),
  };
}

type Json = Record<string, unknown>;
const isType = (o: Json, t: string) => (Array.isArray(o['@type']) ? (o['@type'] as unknown[]).includes(t) : o['@type'] === t);
const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? clean(v) : typeof v === 'number' ? String(v) : undefined);

function findProduct(v: unknown, depth = 0): Json | undefined {
  if (depth > 5 || !v || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) { for (const x of v) { const p = findProduct(x, depth + 1); if (p) return p; } return undefined; }
  const o = v as Json;
  if (isType(o, 'Product') || isType(o, 'ProductGroup')) return o;
  return findProduct(o['@graph'], depth + 1) ?? findProduct(o.mainEntity, depth + 1);
}

function jsonLd($: CheerioAPI, pageUrl: string, canonical: string | undefined): ProductFacts | undefined {
  for (const el of $('script[type="application/ld+json"]').toArray()) {
    let data: unknown;
    try { data = JSON.parse($(el).text()); } catch { continue; }
    const p = findProduct(data);
    const title = p && text(p.name);
    if (!p || !title) continue;
    const offer = first(p.offers) as Json | undefined;
    const price = text(offer?.price) ?? text(offer?.lowPrice) ?? text(first((offer?.priceSpecification as Json | undefined)?.price));
    const img = first(p.image);
    const image = typeof img === 'string' ? img : text((img as Json | undefined)?.url);
    const brand = typeof p.brand === 'string' ? p.brand : text((p.brand as Json | undefined)?.name);
    return {
      title, bullets: [], source: 'jsonld', canonical: canonical ?? abs(text(p.url), pageUrl),
      ...(text(p.description) && { description: text(p.description) }),
      ...(price && { price }),
      ...(text(offer?.priceCurrency) && { currency: text(offer?.priceCurrency) }),
      ...(image && { image: abs(image, pageUrl) }),
      ...(brand && { brand: clean(brand) }),
    };
  }
  return undefined;
}

function openGraph($: CheerioAPI, pageUrl: string, canonical: string | undefined): ProductFacts | undefined {
  const title = meta($, 'og:title');
  if (!title) return undefined;
  const price = meta($, 'product:price:amount') ?? meta($, 'og:price:amount');
  const currency = meta($, 'product:price:currency') ?? meta($, 'og:price:currency');
  const image = abs(meta($, 'og:image:secure_url') ?? meta($, 'og:image'), pageUrl);
  const description = meta($, 'og:description');
  const isProduct = /product/i.test(meta($, 'og:type') ?? '') || price !== undefined;
  if (!isProduct && !image) return undefined;
  return {
    title, bullets: [], source: 'opengraph', canonical,
    ...(description && { description }), ...(price && { price }), ...(currency && { currency }), ...(image && { image }),
    ...(meta($, 'product:brand') && { brand: meta($, 'product:brand') }),
  };
}
