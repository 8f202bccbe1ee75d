/**
 * Finds email addresses in a web page: `mailto:` links, Cloudflare-protected addresses,
 * plain text, and the usual obfuscations ("anna [at] example [dot] com", "anna(at)example.com",
 * "anna at example dot com"). Drops lookalikes that are file names (`logo@2x.png`), tracker
 * ids (Sentry DSNs) and placeholder domains.
 */
import { createRequire } from 'node:module';
import type * as Cheerio from 'cheerio';

// loaded on first use: cheerio's entry pulls in undici, ~0.2 s of every start-up otherwise
const requireLazy = createRequire(import.meta.url);
let cheerioLib: typeof Cheerio | undefined;
const cheerio = (): typeof Cheerio => (cheerioLib ??= requireLazy('cheerio') as typeof Cheerio);
import { isValidAddress, normaliseAddress } from './address.js';

export type FoundVia = 'mailto' | 'cloudflare' | 'text' | 'obfuscated';

export interface FoundEmail {
  email: string;
  via: FoundVia;
}

const EMAIL_IN_TEXT = /[a-z0-9][a-z0-9._%+-]{0,63}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}/gi;
const FILE_SUFFIX = /\.(?:png|jpe?g|gif|webp|svg|avif|bmp|ico|tiff?|heic|css|js|mjs|json|xml|mp4|webm|mov|mp3|wav|pdf|zip|woff2?|ttf|eot)$/i;
/** Placeholder domains of templates and form hints. */
const PLACEHOLDER = /^(?:example\.(?:com|org|net)|domain\.com|email\.com|yourdomain\.com|yoursite\.com|test\.com)$/i;
/** Services whose ids look like addresses in page source (error trackers, site builders). */
const TRACKER = /(?:^|\.)(?:sentry\.io|wixpress\.com)$/i;

const OPEN = String.raw`\s*[\[\(\{<]\s*`;
const CLOSE = String.raw`\s*[\]\)\}>]\s*`;
const BRACKET_AT = new RegExp(`${OPEN}(?:at|@)${CLOSE}`, 'gi');
const BRACKET_DOT = new RegExp(`${OPEN}(?:dot|punkt|point|\\.)${CLOSE}`, 'gi');
/** "anna at example dot com" (spelled out, no brackets): needs at least one " dot ". */
const SPELLED = /\b([a-z0-9][a-z0-9._+-]*)\s+at\s+([a-z0-9-]+(?:\s+dot\s+[a-z0-9-]+)+)\b/gi;

/** Whether an address is worth keeping (not a file name, not a tracker id, not a placeholder). */
export function plausible(addr: string): boolean {
  if (!isValidAddress(addr)) return false;
  if (FILE_SUFFIX.test(addr)) return false;
  const [local, domain] = addr.split('@') as [string, string];
  if (PLACEHOLDER.test(domain) || TRACKER.test(domain)) return false;
  // Sentry and similar DSNs: a 32-hex key as the local part
  if (/^[0-9a-f]{24,}$/.test(local)) return false;
  return true;
}

/** Addresses found in one page, first-seen order, each once (the strongest `via` wins the order). */
export function extractEmails(html: string): FoundEmail[] {
  const $ = cheerio().load(html);
  const out = new Map<string, FoundEmail>();
  const add = (raw: string, via: FoundVia) => {
    const email = normaliseAddress(raw);
    if (!out.has(email) && plausible(email)) out.set(email, { email, via });
  };
  $('a[href]').each((_, el) => {
    const href = $(el).attr('href') ?? '';
    if (/^mailto:/i.test(href.trim())) for (const part of href.trim().slice(7).split('?')[0]!.split(',')) add(part, 'mailto');
  });
  $('[data-cfemail]').each((_, el) => {
    const decoded = decodeCloudflare($(el).attr('data-cfemail') ?? '');
    if (decoded) add(decoded, 'cloudflare');
  });
  $('a[href*="/cdn-cgi/l/email-protection#"]').each((_, el) => {
    const decoded = decodeCloudflare(($(el).attr('href') ?? '').split('#')[1] ?? '');
    if (decoded) add(decoded, 'cloudflare');
  });
  $('style, noscript').remove();
  $('br, p, div, li, td, tr, h1, h2, h3, h4, h5, h6').after('\n');
  const text = $.root().text();
  for (const m of text.matchAll(EMAIL_IN_TEXT)) add(m[0], 'text');
  for (const e of deobfuscate(text)) add(e, 'obfuscated');
  return [...out.values()];
}

/** Addresses written in one of the common obfuscated forms. */
export function deobfuscate(text: string): string[] {
  const found: string[] = [];
  const bracketed = text.replace(BRACKET_AT, '@').replace(BRACKET_DOT, '.');
  if (bracketed !== text) for (const m of bracketed.matchAll(EMAIL_IN_TEXT)) found.push(m[0]);
  for (const m of text.matchAll(SPELLED)) {
    const candidate = `${m[1]}@${m[2]!.replace(/\s+dot\s+/gi, '.')}`;
    if (isValidAddress(candidate.toLowerCase())) found.push(candidate);
  }
  return found;
}

/** Cloudflare's email protection: hex bytes, the first is the XOR key of the rest. */
export function decodeCloudflare(hex: string): string | undefined {
  if (!/^(?:[0-9a-f]{2}){2,}$/i.test(hex)) return undefined;
  const bytes = hex.match(/../g)!.map((h) => parseInt(h, 16));
  const key = bytes[0]!;
  return String.fromCharCode(...bytes.slice(1).map((b) => b ^ key));
}
