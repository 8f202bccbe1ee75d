/**
 * Email discovery on one lead's website: the home page, then contact-like links found on it
 * and the configured likely paths (contact, about, impressum, team), same host only, within
 * robots.txt and a page budget. Stops at the first page that yields an address of the site.
 */
import { createRequire } from 'node:module';
import type * as Cheerio from 'cheerio';

// loaded on first use: cheerio's entry pulls in undici, ~0.2 s of every start-up otherwise
const requireLazy = createRequire(import.meta.url);
let cheerioLib: typeof Cheerio | undefined;
const cheerio = (): typeof Cheerio => (cheerioLib ??= requireLazy('cheerio') as typeof Cheerio);
import type { StepContext } from 'mpv2/plugin';
import { bareHost, domainOf, sameSite } from './address.js';
import { extractEmails, type FoundVia } from './extract.js';
import { fetchPage, type FetchOptions } from './fetch-page.js';
import { readRobots } from './robots.js';

export interface DiscoverOptions extends FetchOptions {
  paths: string[];
  maxPages: number;
  /** Keep addresses of other domains (a gmail.com address on a bakery's site). */
  anyDomain: boolean;
  /** Longest crawl-delay honoured between two pages of one site. */
  maxCrawlDelayMs: number;
  /** Runs each page fetch (the `outreach-crawl` limit). */
  throttle: <T>(fn: () => Promise<T>) => Promise<T>;
  sleep: (ms: number) => Promise<void>;
}

export interface Discovery {
  email?: string;
  via?: FoundVia;
  page?: string;
  /** Every acceptable address seen, best first. */
  candidates: string[];
  /** Pages fetched, each with what happened. */
  visited: Array<{ url: string; status: number; problem?: string; found: number }>;
  /** Why nothing was found (when `email` is unset). */
  reason?: string;
}

const CONTACTISH = /contact|kontakt|about|ueber-uns|uber-uns|impressum|imprint|legal|team|mentions/i;
const VIA_RANK: Record<FoundVia, number> = { mailto: 0, cloudflare: 1, obfuscated: 2, text: 3 };

/** `example.com/shop` → `https://example.com/shop`; undefined for what is not an http(s) URL. */
export function siteUrl(website: string): URL | undefined {
  const s = website.trim();
  try {
    const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `https://${s}`);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}

export async function discoverEmail(ctx: Pick<StepContext, 'http' | 'signal'>, website: string, o: DiscoverOptions): Promise<Discovery> {
  const visited: Discovery['visited'] = [];
  const site = siteUrl(website);
  if (!site) return { candidates: [], visited, reason: `website "${website}" is not an http(s) URL` };
  const robots = await o.throttle(() => readRobots(ctx, site.origin, o));
  if (robots.unreachable) return { candidates: [], visited, reason: `cannot crawl ${site.host} (${robots.unreachable})` };
  const delayMs = Math.min((robots.crawlDelaySec ?? 0) * 1000, o.maxCrawlDelayMs);
  const queue = [site.href, ...o.paths.map((p) => new URL(p, site.origin).href)];
  const seen = new Set<string>();
  const found = new Map<string, { via: FoundVia; page: string; order: number }>();
  const forbidden: string[] = [];
  let fetched = 0;
  let requests = 0;
  while (queue.length && fetched < o.maxPages && requests < 2 * o.maxPages) {
    const url = stripHash(queue.shift()!);
    if (seen.has(url)) continue;
    seen.add(url);
    if (!robots.allowed(url)) { forbidden.push(new URL(url).pathname); continue; }
    if (requests > 0 && delayMs > 0) await o.sleep(delayMs);
    requests++;
    const page = await o.throttle(() => fetchPage(ctx, url, o));
    if (page.status !== 404) fetched++;
    const emails = page.html === undefined ? [] : extractEmails(page.html);
    const mine = emails.filter((e) => o.anyDomain || sameSite(domainOf(e.email), site.hostname));
    visited.push({ url, status: page.status, ...(page.problem && { problem: page.problem }), found: mine.length });
    for (const e of mine) if (!found.has(e.email)) found.set(e.email, { via: e.via, page: url, order: found.size });
    if (page.html !== undefined && requests === 1) queue.unshift(...contactLinks(page.html, page.finalUrl, site.hostname));
    if (found.size > 0) break;
  }
  const ranked = [...found.entries()].sort(([, a], [, b]) => VIA_RANK[a.via] - VIA_RANK[b.via] || a.order - b.order);
  const best = ranked[0];
  if (best) return { email: best[0], via: best[1].via, page: best[1].page, candidates: ranked.map(([e]) => e), visited };
  const failures = visited.filter((v) => v.problem).map((v) => `${new URL(v.url).pathname}: ${v.problem}`);
  const parts = [`no address of ${bareHost(site.hostname)} found on ${visited.length} page(s)`];
  if (forbidden.length) parts.push(`robots.txt forbids ${forbidden.join(', ')}`);
  if (failures.length) parts.push(failures.join('; '));
  return { candidates: [], visited, reason: parts.join('; ') };
}

/** Links on the home page that look like contact/about pages, on the same site. */
export function contactLinks(html: string, base: string, host: string): string[] {
  const $ = cheerio().load(html);
  const out: string[] = [];
  $('a[href]').each((_, el) => {
    const href = $(el).attr('href') ?? '';
    const label = `${href} ${$(el).text()}`;
    if (!CONTACTISH.test(label)) return;
    try {
      const u = new URL(href, base);
      if ((u.protocol === 'http:' || u.protocol === 'https:') && sameSite(u.hostname, host) && bareHost(u.hostname) === bareHost(host)) out.push(stripHash(u.href));
    } catch { /* not a URL */ }
  });
  return [...new Set(out)];
}

function stripHash(u: string): string {
  const i = u.indexOf('#');
  return i >= 0 ? u.slice(0, i) : u;
}
