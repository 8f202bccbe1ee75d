import { hashFile } from 'mpv2/plugin';
import { accountRotationSchema, definePlugin } from 'mpv2/plugin';
import type { AccountSpec, FromSchema, JSONSchema } from 'mpv2/plugin';
import { twitterAccountType } from './account-type.js';
import { createPost, findRecentPost } from './api-driver.js';
import type { Composer } from './browser-driver.js';
import { twitterConfig } from './config.js';
import { resolvePoster } from './credentials.js';
import { postId, postUrl } from './ids.js';
import { checkPost } from './length.js';
import { uploadMedia } from './media.js';
import { planPosts, type ThreadItem } from './plan.js';

/** The effect key of post `index` of a keyed post (the engine prefixes it with `twitter.post:`). */
export const postKey = (account: string, key: string, index: number) => `post/${account}/${key}/${index}`;

const MEDIA = { type: 'array', items: { type: 'string', format: 'path' }, description: 'Images (up to 4) or one video/GIF, attached to the post.' } as const satisfies JSONSchema;

export const twitterPostInput = {
  type: 'object',
  additionalProperties: false,
  anyOf: [{ required: ['text'] }, { required: ['thread'] }],
  properties: {
    account: {
      description: 'An account name (`mpv2 accounts`; empty or null: none), or a rotation `{ pick: round-robin|least-recent|random, niche, language, names }` over twitter accounts. Without it: the keys of the `twitter` config section (X_API_KEY …).',
      oneOf: [{ type: ['string', 'null'] }, accountRotationSchema('twitter')],
    },
    text: { type: 'string', description: 'The post. Checked with X\'s own counting (links count 23); too long fails unless `split: true`.' },
    media: MEDIA,
    thread: {
      type: 'array', minItems: 1,
      description: 'Posts that follow `text` as a reply chain (or the whole thread when `text` is absent). An item is a string or `{ text, media }`.',
      items: {
        oneOf: [
          { type: 'string' },
          { type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string', description: 'The post.' }, media: MEDIA } },
        ],
      },
    },
    split: { type: 'boolean', default: false, description: 'Post a text longer than a post as a thread, cut at sentence boundaries (then between words; never inside a word or link).' },
    replyTo: { type: 'string', description: 'Reply to this post (URL or id); a thread hangs under it.' },
    quote: { type: 'string', description: 'Quote this post (URL or id) in the first post.' },
    driver: { type: 'string', enum: ['api', 'browser'], description: 'api: X API v2; browser: Chromium on the account profile. @default the account\'s driver, else twitter.driver, else api' },
    key: { type: 'string', description: 'What makes this post "the same post" instead of its text and media, e.g. a product id: a reworded post with the same key is not posted again within `window`.' },
    window: { type: ['string', 'number'], description: 'After this long (e.g. 30d) the same post may be made again. @default never' },
    maxLength: { type: 'integer', minimum: 1, description: 'Longest post in X weighted characters. @default twitter.maxLength (280)' },
  },
} as const satisfies JSONSchema;

/** `with` of twitter.post, defaults filled in by the engine. */
export type TwitterPostInput = FromSchema<typeof twitterPostInput>;

export const twitterPostOutput = {
  type: 'object',
  required: ['ids', 'urls', 'account', 'driver', 'posted'],
  additionalProperties: false,
  properties: {
    ids: { type: 'array', items: { type: 'string' }, description: 'Post ids, first to last (empty in a dry run).' },
    urls: { type: 'array', items: { type: 'string' }, description: 'Post links, first to last.' },
    account: { type: 'string', description: 'The account that posted (`default` for the config keys).' },
    driver: { type: 'string', enum: ['api', 'browser'], description: 'How it posted.' },
    posted: { type: 'integer', description: 'Posts made by this step; the rest were already done by an earlier run.' },
  },
} as const satisfies JSONSchema;

/** What twitter.post outputs. */
export type TwitterPostOutput = FromSchema<typeof twitterPostOutput>;

export default definePlugin<TwitterPostInput, TwitterPostOutput>({
  id: 'twitter.post',
  version: '1.0.0',
  description: 'Post to X (text, media, threads, replies, quotes) through the X API v2 or the browser; each post happens once',
  effect: true,
  accountTypes: [twitterAccountType],
  input: twitterPostInput,
  output: twitterPostOutput,
  async run(ctx, input) {
    const cfg = twitterConfig(ctx.config);
    const spec: AccountSpec | undefined = input.account && typeof input.account === 'object' ? { ...input.account, platform: 'twitter' } : input.account || undefined;
    const poster = await resolvePoster(ctx, cfg, spec, input.driver);
    const posts = planPosts({ text: input.text, thread: input.thread, media: input.media, split: input.split, max: input.maxLength ?? cfg.maxLength, resolve: (p) => ctx.resolvePath(p) });
    const replyTo = input.replyTo ? postId(input.replyTo) : undefined;
    const quote = input.quote ? postId(input.quote, 'quote') : undefined;
    const web = cfg.webBaseUrl;
    // the browser quotes by adding the post's link to the text: it must still fit
    if (quote && poster.driver === 'browser') checkPost(`${posts[0]!.text} ${postUrl(web, quote)}`, input.maxLength ?? cfg.maxLength, 'the first post with the quoted post link');
    const ids: string[] = [];
    let posted = 0;
    let composer: Composer | undefined;
    try {
      let prev = replyTo;
      for (const [i, p] of posts.entries()) {
        const q = i === 0 ? quote : undefined;
        const mediaHashes = await Promise.all(p.media.map((m) => hashFile(m)));
        // a caller's key is kept readable (`mpv2 effects list`, `mpv2 afm report` look it up)
        const key = input.key !== undefined
          ? postKey(poster.name, input.key, i)
          : ['twitter.post/1', poster.name, p.text, mediaHashes, prev ?? null, q ?? null];
        const mediaIds: string[] = [];
        // what the post needs but is not the post, run only when it is due and before it is
        // recorded pending: uploaded media stay unattached until a post names them
        const ready = async (): Promise<void> => {
          if (poster.driver === 'api') {
            mediaIds.length = 0;
            for (const m of p.media) mediaIds.push(await uploadMedia(ctx, cfg, poster.auth!, m));
          } else {
            composer ??= await (await import('./browser-driver.js')).openComposer(ctx, cfg, poster.account?.profileDir);
          }
        };
        const act = async (): Promise<{ id: string; url: string }> => {
          const id = poster.driver === 'api'
            ? await createPost(ctx, cfg, poster.auth!, { text: p.text, mediaIds, replyTo: prev, quote: q })
            : await composer!.post({ text: p.text, media: p.media, replyTo: prev, quote: q });
          posted++;
          if (poster.account) await ctx.accounts.recordUse(poster.account.name);
          ctx.log.info(`posted to X as ${poster.name}: ${postUrl(web, id, poster.handle)}`);
          return { id, url: postUrl(web, id, poster.handle) };
        };
        const reconcile = poster.driver === 'api'
          ? async () => { const id = await findRecentPost(ctx, cfg, poster.auth!, p.text); return id ? { id, url: postUrl(web, id, poster.handle) } : undefined; }
          : undefined;
        ctx.progress({ fraction: i / posts.length, message: `post ${i + 1} of ${posts.length}` });
        const r = await ctx.effect(key, act, {
          ready, reconcile, window: input.window,
          describe: { account: poster.name, driver: poster.driver, text: p.text, media: p.media, replyTo: prev ?? null, quote: q ?? null },
        });
        if (!r) { prev = undefined; continue; } // dry run: nothing was posted
        ids.push(r.id);
        prev = r.id;
      }
    } finally {
      await composer?.close();
    }
    ctx.progress({ fraction: 1, message: `${posted} posted, ${ids.length - posted} already done` });
    return { ids, urls: ids.map((id) => postUrl(web, id, poster.handle)), account: poster.name, driver: poster.driver, posted };
  },
});
