import pLimit from 'p-limit';
import { isMpv2Error, toMpv2Error } from 'mpv2/plugin';
import { parseDuration } from 'mpv2/plugin';
import { definePlugin } from 'mpv2/plugin';
import type { FromSchema, JSONSchema } from 'mpv2/plugin';
import { afmConfig } from './config.js';
import { readProduct } from './fetch.js';
import { History, pitchKey, productId } from './history.js';
import { affiliateLink, canonicalUrl } from './link.js';
import { PLATFORM_NAMES, PLATFORMS } from './platforms.js';
import { draftPitch, fitPitch } from './pitch.js';
import { productList, readProductsFile, type ProductItem } from './products.js';

/** LLM failures that are not about one product: the step fails (and may be retried) instead of skipping everything. */
const FATAL = new Set(['E_MISSING_KEY', 'E_AUTH', 'E_RATE_LIMITED', 'E_ABORTED', 'E_TIMEOUT', 'E_CONFIG_INVALID']);

const PITCH = {
  type: 'object',
  required: ['product', 'platform', 'text', 'link', 'hashtags', 'image', 'key', 'account', 'repeat'],
  properties: {
    product: {
      type: 'object', required: ['id', 'url', 'title', 'source'], description: 'The product facts',
      properties: { id: { type: 'string' }, url: { type: 'string' }, title: { type: 'string' }, price: { type: 'string' }, currency: { type: 'string' }, source: { type: 'string' } },
    },
    platform: { type: 'string' }, text: { type: 'string', description: 'The post, link included, within the platform length' },
    link: { type: 'string' }, hashtags: { type: 'array', items: { type: 'string' } }, image: { type: ['string', 'null'] },
    key: { type: 'string' }, account: { type: 'string' }, repeat: { type: 'boolean' },
  },
} as const satisfies JSONSchema;

export const campaignInput = {
  type: 'object',
  required: ['tag'],
  additionalProperties: false,
  properties: {
    campaign: { type: 'string', minLength: 1, default: 'default', description: 'Campaign name: the history (`mpv2 afm report`) and the repost window are per campaign.' },
    products: {
      type: 'array', default: [], description: 'Product page URLs, or `{ url, notes }` (notes go into the pitch prompt).',
      items: { oneOf: [{ type: 'string' }, { type: 'object', required: ['url'], additionalProperties: false, properties: { url: { type: 'string', description: 'Product page URL' }, notes: { type: 'string', description: 'A note for the pitch' } } }] },
    },
    productsFile: { type: 'string', format: 'path', description: 'A CSV (with a `url` column, optional `notes`) or YAML/JSON list of product URLs, added to `products`.' },
    tag: { type: 'string', minLength: 1, description: 'Your affiliate / associate id (Amazon: the tracking id such as mystore-20).' },
    tagParam: { type: 'string', default: 'tag', description: 'The query parameter the shop reads the affiliate id from (Amazon: tag).' },
    platforms: { type: 'array', items: { type: 'string', enum: PLATFORM_NAMES }, minItems: 1, default: ['twitter'], description: 'Platforms to write a pitch for.' },
    account: { type: 'string', default: '', description: 'The account that will post (recorded in the history; one post per product and account). Empty: the default account.' },
    tone: { type: 'string', default: 'friendly, honest and concise', description: 'Tone of the pitch.' },
    language: { type: 'string', default: 'English', description: 'Language of the pitch.' },
    repostAfter: { type: ['string', 'number'], default: '30d', description: 'A product pitched less than this long ago gets its stored pitch again (and the posting step, given the same window, does not post it twice).' },
    via: { type: 'string', enum: ['http', 'browser'], default: 'http', description: 'Fetch product pages over HTTP (with a real browser User-Agent) or through Chromium.' },
    limit: { type: 'string', description: 'A named limit the LLM calls run under (e.g. llm).' },
  },
} as const satisfies JSONSchema;

/** `with` of afm.campaign, defaults filled in by the engine. */
export type CampaignInput = FromSchema<typeof campaignInput>;

export const campaignOutput = {
  type: 'object',
  required: ['campaign', 'pitches', 'skipped'],
  properties: {
    campaign: { type: 'string' },
    pitches: { type: 'array', items: PITCH, description: 'One per product and platform' },
    skipped: { type: 'array', items: { type: 'object', required: ['url', 'reason'], properties: { url: { type: 'string' }, reason: { type: 'string' } } }, description: 'Products that could not be pitched, and why' },
  },
} as const satisfies JSONSchema;

/** What afm.campaign outputs. */
export type CampaignOutput = FromSchema<typeof campaignOutput>;

/** One pitch: give its `key` to the posting step (with `window: repostAfter`): one post per product. */
export type Pitch = CampaignOutput['pitches'][number];

export default definePlugin<CampaignInput, CampaignOutput>({
  id: 'afm.campaign',
  uses: ['llm'],
  version: '1.0.0',
  description: 'Affiliate campaign: product pages → facts → an LLM pitch per platform with the affiliate link, tracked over time',
  pure: false,
  input: campaignInput,
  output: campaignOutput,
  async run(ctx, input) {
    const cfg = afmConfig(ctx.config);
    const repostMs = parseDuration(input.repostAfter, 'repostAfter');
    const fromFile = input.productsFile ? readProductsFile(ctx.resolvePath(input.productsFile), input.productsFile) : [];
    const products = productList(input.products, fromFile);
    if (products.length === 0) ctx.skip('no products given (products and productsFile are empty)');
    const history = new History(ctx.store, ctx.dryRun);
    const account = input.account || 'default';
    await history.touchCampaign({ name: input.campaign, tag: input.tag, platforms: input.platforms, account });
    // per input slot, so the output keeps the input order whatever finishes first
    const skips: Array<CampaignOutput['skipped'][number] | undefined> = [];
    const results: Pitch[][] = [];
    let done = 0;
    let failed = false; // a fatal error stops the products still queued
    const one = async (ref: (typeof products)[number], slot: number): Promise<void> => {
      if (failed) return;
      try {
        let page: Awaited<ReturnType<typeof readProduct>>;
        try {
          page = await readProduct(ctx, cfg, ref.url, input.via);
        } catch (e) {
          // a page that cannot be read is this product's problem; the campaign goes on
          if (ctx.signal.aborted) throw e;
          const err = toMpv2Error(e);
          skips[slot] = { url: ref.url, reason: `${err.code}: ${err.message}` };
          return;
        }
        const { facts, finalUrl } = page;
        if (!facts) {
          skips[slot] = { url: ref.url, reason: 'no product data on the page: no Amazon product title, schema.org Product JSON-LD or OpenGraph product tags' };
          return;
        }
        const canonical = canonicalUrl(finalUrl, facts);
        const link = affiliateLink(canonical, input.tag, input.tagParam);
        const id = productId(facts, canonical.toString());
        await history.saveProduct(input.campaign, { id, url: ref.url, canonical: canonical.toString(), link, title: facts.title, price: facts.price, currency: facts.currency, image: facts.image, source: facts.source });
        const product = { id, url: ref.url, title: facts.title, source: facts.source, ...(facts.price && { price: facts.price }), ...(facts.currency && { currency: facts.currency }) };
        const out: Pitch[] = [];
        for (const name of input.platforms) {
          const platform = PLATFORMS[name]!;
          const key = pitchKey(input.campaign, id, name);
          const prev = await history.getPitch(input.campaign, id, name, account);
          if (prev && prev.link === link && Date.now() - Date.parse(prev.pitchedAt) < repostMs) {
            out.push({ product, platform: name, text: prev.text, link, hashtags: prev.hashtags, image: prev.image ?? null, key, account, repeat: true });
            continue;
          }
          const draft = await draftPitch(ctx, facts, platform, { tone: input.tone, language: input.language, notes: ref.notes, disclosure: cfg.disclosure, provider: cfg.provider, model: cfg.model, limit: input.limit });
          const { text, hashtags } = fitPitch(draft, link, cfg.disclosure, platform);
          await history.savePitch({ campaign: input.campaign, productId: id, platform: name, account, text, hashtags, link, image: facts.image, key, pitchedAt: new Date().toISOString(), runId: ctx.runId });
          out.push({ product, platform: name, text, link, hashtags, image: facts.image ?? null, key, account, repeat: false });
        }
        results[slot] = out;
      } catch (e) {
        const err = toMpv2Error(e);
        if (ctx.signal.aborted || (isMpv2Error(e) && (FATAL.has(err.code) || err.retryable))) { failed = true; throw err; }
        skips[slot] = { url: ref.url, reason: `${err.code}: ${err.message}` };
      } finally {
        ctx.progress({ fraction: ++done / products.length, message: `${done} of ${products.length} products` });
      }
    };
    const limit = pLimit(4);
    await Promise.all(products.map((ref, i) => limit(() => one(ref, i))));
    const pitches = results.flat().filter(Boolean);
    const skipped = skips.filter((x): x is CampaignOutput['skipped'][number] => x !== undefined);
    for (const s of skipped) ctx.log.warn(`skipped ${s.url}: ${s.reason}`);
    ctx.log.info(`${pitches.length} pitch(es) for ${products.length - skipped.length} of ${products.length} products (${pitches.filter((p) => p.repeat).length} repeated within repostAfter)`);
    return { campaign: input.campaign, pitches, skipped };
  },
});
