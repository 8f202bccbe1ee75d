/**
 * The affiliate link: the product's canonical URL (Amazon: `https://<host>/dp/<ASIN>`), with
 * tracking parameters removed and the affiliate tag set through URLSearchParams.
 */
import { mpv2Error } from 'mpv2/plugin';
import type { ProductFacts } from './parse.js';

/** Parameters that only track where a click came from. */
const TRACKING = [/^utm_/i, /^fbclid$/i, /^gclid$/i, /^dclid$/i, /^msclkid$/i, /^mc_(cid|eid)$/i, /^igshid$/i, /^ref_?$/i, /^pf_rd_/i, /^pd_rd_/i, /^_encoding$/i, /^psc$/i, /^th$/i, /^content-id$/i, /^linkCode$/i, /^linkId$/i, /^camp$/i, /^creative$/i, /^ascsubtag$/i, /^spm$/i, /^_ga$/i, /^si$/i];

/**
 * Which URL the product lives at. The page's canonical wins only on the same host (a page
 * cannot send the link elsewhere); Amazon pages reduce to /dp/<ASIN>.
 */
export function canonicalUrl(pageUrl: string, facts: Pick<ProductFacts, 'asin' | 'canonical' | 'source'>): URL {
  const page = new URL(pageUrl);
  if (facts.asin) return new URL(`https://${page.host}/dp/${facts.asin}`.replace(/^https:/, page.protocol));
  if (facts.canonical) {
    const c = new URL(facts.canonical);
    if (c.host === page.host) return c;
  }
  return page;
}

export function affiliateLink(canonical: URL, tag: string, tagParam = 'tag'): string {
  if (!tag.trim()) throw mpv2Error('E_PLUGIN_INPUT_INVALID', 'the affiliate `tag` is empty');
  const u = new URL(canonical.toString());
  u.hash = '';
  for (const k of [...u.searchParams.keys()]) if (TRACKING.some((r) => r.test(k)) || k === tagParam) u.searchParams.delete(k);
  u.searchParams.set(tagParam, tag.trim());
  return u.toString();
}
