/**
 * Local product pages for the afm tests: an Amazon-structured page (productTitle,
 * feature-bullets, a-price, landingImage, ASIN), a shop page with only schema.org JSON-LD,
 * one with only OpenGraph, one with no product data, a 404 and a redirect. Pages are the
 * HTML files in test/fixtures/afm; every request's User-Agent is recorded.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { listenLoopback } from './listen.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'afm');
const page = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

export interface ShopServer {
  url: string;
  requests: Array<{ path: string; userAgent: string }>;
  count(pathPrefix: string): number;
  close(): Promise<void>;
}

export const SHOP_PATHS = {
  amazon: '/Trailblazer-Bottle/dp/B0TESTASN1/ref=sr_1_3?utm_source=newsletter&psc=1&tag=someone-else-20',
  jsonld: '/products/copper-kettle?variant=1&utm_campaign=spring&fbclid=abc',
  opengraph: '/p/arc-desk-lamp',
  nothing: '/shop/nothing',
  missing: '/shop/gone',
  redirect: '/go/lamp',
};

export async function startShopServer(): Promise<ShopServer> {
  const requests: ShopServer['requests'] = [];
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    requests.push({ path: u.pathname, userAgent: req.headers['user-agent'] ?? '' });
    const html = (body: string) => { res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }); res.end(body); };
    if (/\/dp\/B0TESTASN1/.test(u.pathname)) return html(page('amazon-product.html'));
    if (u.pathname === '/products/copper-kettle') return html(page('jsonld-product.html'));
    if (u.pathname === '/p/arc-desk-lamp') return html(page('opengraph-product.html'));
    if (u.pathname === '/shop/nothing') return html(page('no-product.html'));
    if (u.pathname === '/go/lamp') { res.writeHead(301, { Location: '/p/arc-desk-lamp?utm_source=x' }); return res.end(); }
    res.writeHead(404, { 'Content-Type': 'text/html' });
    res.end('<h1>Not found</h1>');
  });
  const { url, close } = await listenLoopback(server);
  return {
    url,
    requests,
    count: (prefix) => requests.filter((r) => r.path.startsWith(prefix)).length,
    close,
  };
}
