/**
 * afm.campaign against local product pages (Amazon-structured, JSON-LD only, OpenGraph only,
 * nothing, 404) and the local LLM server for the pitches.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import campaign, { type CampaignInput } from '../../../plugins/afm/campaign.js';
import { PLATFORMS } from '../../../plugins/afm/platforms.js';
import { makeTestContext, SkipSignal } from '../../helpers/context.js';
import { afmConfigSchema } from '../../../plugins/afm/config.js';
import { startLlmServer, type LlmServer, type RecordedRequest } from '../../servers/llm.js';
import { SHOP_PATHS, startShopServer, type ShopServer } from '../../servers/shop-pages.js';

let shop: ShopServer;
let llm: LlmServer;

/** Answers with a pitch naming the product from the prompt's `Product:` line. */
function pitchResponder(req: RecordedRequest) {
  const messages = req.body.messages as Array<{ role: string; content: string }>;
  const user = messages.filter((m) => m.role === 'user').at(-1)!.content;
  const title = /Product: (.+)/.exec(user)?.[1] ?? 'this';
  return { json: { hook: `Meet the ${title.split(',')[0]}.`, body: 'It does what it says, and it does it well. Worth a look.', hashtags: ['#deals', 'gear'] } };
}

beforeAll(async () => {
  shop = await startShopServer();
  llm = await startLlmServer({ responder: pitchResponder });
});
afterAll(async () => { await shop.close(); await llm.close(); });
beforeEach(() => { shop.requests.length = 0; llm.requests.length = 0; });

const configs = () => ({ llm: { defaultProvider: 'local', providers: { local: { type: 'openai', baseUrl: `${llm.url}/v1`, model: 'test-model' } } } });
const input = (i: Partial<CampaignInput>): CampaignInput => ({
  campaign: 'spring', products: [], tag: 'mystore-20', tagParam: 'tag', platforms: ['twitter'], account: '', tone: 'friendly', language: 'English', repostAfter: '30d', via: 'http', ...i,
});

describe('afm.campaign', () => {
  it('pitches each product with its affiliate link; pages without product data are skipped, the rest goes on', async () => {
    const ctx = makeTestContext({ configSchema: afmConfigSchema, configs: configs() });
    const urls = [SHOP_PATHS.amazon, SHOP_PATHS.jsonld, SHOP_PATHS.opengraph, SHOP_PATHS.nothing, SHOP_PATHS.missing].map((p) => `${shop.url}${p}`);
    const out = await campaign.run(ctx, input({ products: urls }));
    expect(out.pitches.map((p) => p.product.source)).toEqual(['amazon', 'jsonld', 'opengraph']);
    const [amz, kettle, lamp] = out.pitches;
    expect(amz!.link).toBe(`${shop.url}/dp/B0TESTASN1?tag=mystore-20`);
    expect(kettle!.link).toBe(`${shop.url}/products/copper-kettle?tag=mystore-20`); // the page's canonical URL
    expect(lamp!.link).toBe(`${shop.url}/p/arc-desk-lamp?tag=mystore-20`);
    expect(amz!.product).toMatchObject({ id: 'B0TESTASN1', title: 'Trailblazer Insulated Water Bottle, 32 oz, Leak-Proof Lid', price: '$24.99' });
    expect(amz!.image).toBe('https://m.media-amazon.com/images/I/71bottle._AC_SL1500_.jpg');
    for (const p of out.pitches) {
      expect(p.platform).toBe('twitter');
      expect(PLATFORMS.twitter!.measure(p.text)).toBeLessThanOrEqual(280);
      expect(p.text.endsWith(p.link)).toBe(true);
      expect(p.text).toContain('#deals #gear #ad');
      expect(p.hashtags).toEqual(['deals', 'gear']);
      expect(p.key).toBe(`afm/spring/${p.product.id}/twitter`);
      expect(p.repeat).toBe(false);
    }
    expect(amz!.text.startsWith('Meet the Trailblazer Insulated Water Bottle.')).toBe(true);
    expect(out.skipped).toHaveLength(2);
    expect(out.skipped[0]).toMatchObject({ url: urls[3], reason: expect.stringMatching(/no product data/) });
    expect(out.skipped[1]).toMatchObject({ url: urls[4], reason: expect.stringMatching(/E_HTTP.*404/) });
    // a real browser's user agent, not the library's
    expect(shop.requests.every((r) => /Chrome\/\d+/.test(r.userAgent) && r.userAgent.startsWith('Mozilla/5.0'))).toBe(true);
    // one structured LLM call per pitch, carrying the product facts and the schema
    expect(llm.count('/chat/completions')).toBe(3);
    const amazonPrompt = JSON.stringify(llm.requests.find((r) => JSON.stringify(r.body).includes('Trailblazer'))!.body);
    expect(amazonPrompt).toContain('Double-wall vacuum insulation');
    expect(amazonPrompt).toContain('json_schema');
  });

  it('keeps history; within repostAfter the stored pitch comes back (no LLM call), after it a new one is written', async () => {
    const ctx = makeTestContext({ configSchema: afmConfigSchema, configs: configs(), runId: 'test-run' });
    const products = [`${shop.url}${SHOP_PATHS.amazon}`];
    const first = await campaign.run(ctx, input({ products, account: 'brand' }));
    const calls = llm.count('/chat/completions');
    const again = await campaign.run(ctx, input({ products, account: 'brand' }));
    expect(again.pitches[0]).toMatchObject({ text: first.pitches[0]!.text, repeat: true, account: 'brand' });
    expect(llm.count('/chat/completions')).toBe(calls);
    const stored = await ctx.store.list('');
    expect(stored.map((e) => e.key)).toEqual(['campaign/spring', 'pitch/spring/B0TESTASN1/twitter/brand', 'product/spring/B0TESTASN1']);
    expect(stored[0]!.value).toMatchObject({ name: 'spring', tag: 'mystore-20', runs: 2, account: 'brand' });
    expect(stored[1]!.value).toMatchObject({ account: 'brand', link: first.pitches[0]!.link, runId: 'test-run' });
    // a zero window: the product may be pitched (and posted) again
    const later = await campaign.run(ctx, input({ products, account: 'brand', repostAfter: 0 }));
    expect(later.pitches[0]!.repeat).toBe(false);
  });

  it('reads products from a CSV file through the sandbox and redirects to the final URL', async () => {
    const ctx = makeTestContext({ configSchema: afmConfigSchema, configs: configs() });
    writeFileSync(join(ctx.root, 'products.csv'), `url,notes\n${shop.url}${SHOP_PATHS.redirect},for late-night readers\n`);
    const out = await campaign.run(ctx, input({ productsFile: 'products.csv' }));
    expect(out.pitches[0]!.link).toBe(`${shop.url}/p/arc-desk-lamp?tag=mystore-20`);
    expect(JSON.stringify(llm.requests[0]!.body)).toContain('for late-night readers');
    await expect(campaign.run(ctx, input({ productsFile: '../outside.csv' }))).rejects.toThrow(/outside|escape/i);
  });

  it('skips the step when there are no products, and fails (not skips) when the LLM is not configured', async () => {
    await expect(campaign.run(makeTestContext({ configSchema: afmConfigSchema, configs: configs() }), input({}))).rejects.toBeInstanceOf(SkipSignal);
    const ctx = makeTestContext({ configSchema: afmConfigSchema, configs: { llm: { defaultProvider: 'nope', providers: {} } } });
    await expect(campaign.run(ctx, input({ products: [`${shop.url}${SHOP_PATHS.opengraph}`] }))).rejects.toMatchObject({ code: expect.stringMatching(/E_CONFIG_INVALID|E_MISSING_KEY/) });
  });

  it('with `via: browser`, reads the page through Chromium', async () => {
    const ctx = makeTestContext({ configSchema: afmConfigSchema, configs: configs() });
    try {
      const out = await campaign.run(ctx, input({ products: [`${shop.url}${SHOP_PATHS.jsonld}`], via: 'browser' }));
      expect(out.pitches[0]!.product).toMatchObject({ source: 'jsonld', title: 'Copper Pour-Over Kettle, 1 L', price: '59.00' });
      // the request came from Chromium itself, not from the HTTP client
      expect(shop.requests.some((r) => r.path === '/products/copper-kettle' && /HeadlessChrome|Chrome\//.test(r.userAgent))).toBe(true);
    } finally {
      await ctx.closeBrowsers();
    }
  }, 60_000);
});
