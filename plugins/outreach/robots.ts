/**
 * robots.txt for one site, read once. As search engines do: 4xx means no rules (all
 * allowed); 5xx, a timeout or a network failure means the site cannot be crawled now.
 */
import robotsModule from 'robots-parser';
import type { StepContext } from 'mpv2/plugin';
import { fetchPage, type FetchOptions } from './fetch-page.js';

// robots-parser is CommonJS whose typings declare an ES default export: at run time the
// default import already is the function
const robotsParser = robotsModule as unknown as typeof robotsModule.default;

export interface Robots {
  allowed(url: string): boolean;
  /** Seconds between requests the site asks for, if any. */
  crawlDelaySec?: number;
  /** Set when robots.txt could not be read: nothing may be fetched. */
  unreachable?: string;
}

export async function readRobots(ctx: Pick<StepContext, 'http' | 'signal'>, origin: string, o: FetchOptions): Promise<Robots> {
  const url = `${origin}/robots.txt`;
  const page = await fetchPage(ctx, url, { ...o, maxBytes: Math.min(o.maxBytes, 500_000) });
  if (page.status >= 400 && page.status < 500) return { allowed: () => true };
  if (page.html === undefined) {
    // a robots.txt served as something else than text/plain still counts
    if (page.problem?.startsWith('not HTML')) return { allowed: () => true };
    return { allowed: () => false, unreachable: `robots.txt: ${page.problem ?? `HTTP ${page.status}`}` };
  }
  const robots = robotsParser(url, page.html);
  const delay = robots.getCrawlDelay(o.userAgent);
  return {
    allowed: (u) => robots.isAllowed(u, o.userAgent) !== false,
    ...(delay !== undefined && { crawlDelaySec: delay }),
  };
}
