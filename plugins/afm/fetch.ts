/**
 * Reads a product page: over the shared HTTP client with a real browser's User-Agent, or,
 * with `via: browser`, through Chromium (shops that build the page with script or block
 * plain clients). The parsed facts are cached per URL for `afm.pageCacheTtl`.
 */
import { mpv2Error } from 'mpv2/plugin';
import { parseDuration } from 'mpv2/plugin';
import { classifyHttpError } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import type { AfmConfig } from './config.js';
import { parseProduct, type ProductFacts } from './parse.js';

export interface FetchedProduct { facts?: ProductFacts; finalUrl: string }

export async function readProduct(ctx: StepContext, cfg: AfmConfig, url: string, via: 'http' | 'browser'): Promise<FetchedProduct> {
  let u: URL;
  try { u = new URL(url); } catch { throw mpv2Error('E_PLUGIN_INPUT_INVALID', `not a URL: ${JSON.stringify(url)}`); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw mpv2Error('E_PLUGIN_INPUT_INVALID', `only http(s) product URLs can be read, got ${u.protocol}`);
  return ctx.cache.wrap(['afm.product/1', url, via], cfg.pageCacheTtl, async () => {
    const page = via === 'browser' ? await viaBrowser(ctx, url) : await viaHttp(ctx, cfg, url);
    return { facts: parseProduct(page.html, page.finalUrl), finalUrl: page.finalUrl };
  });
}

async function viaHttp(ctx: StepContext, cfg: AfmConfig, url: string): Promise<{ html: string; finalUrl: string }> {
  try {
    const res = await ctx.http.get<string>(url, {
      headers: { 'User-Agent': cfg.userAgent, Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'Accept-Language': cfg.acceptLanguage },
      responseType: 'text', timeout: parseDuration(cfg.fetchTimeout, 'afm.fetchTimeout'), maxContentLength: cfg.maxPageBytes, signal: ctx.signal,
    });
    const finalUrl = (res.request as { res?: { responseUrl?: string } } | undefined)?.res?.responseUrl ?? url;
    return { html: String(res.data), finalUrl };
  } catch (e) {
    throw classifyHttpError(e, 'product page');
  }
}

async function viaBrowser(ctx: StepContext, url: string): Promise<{ html: string; finalUrl: string }> {
  const session = await ctx.browser.open({ headless: true, signal: ctx.signal });
  try {
    const driver = session.driver as { get(u: string): Promise<void>; getPageSource(): Promise<string>; getCurrentUrl(): Promise<string> };
    await driver.get(url);
    return { html: await driver.getPageSource(), finalUrl: await driver.getCurrentUrl() };
  } finally {
    await session.close();
  }
}
