/**
 * tiktok.upload: one video to one TikTok creator account, through the Content Posting API
 * (`driver: api`, direct post or inbox draft) or TikTok Studio in the account's Chromium profile
 * (`driver: browser`). Limits are checked before the network; the creator info, the account's
 * daily cap, the token refresh (or the whole Studio form) come in `ready`; the post is one effect
 * keyed by account pool + content + caption + mode + privacy, so a re-run returns the recorded
 * post and a crashed one is reconciled (API: through its saved publish_id; browser: by caption).
 */
import type { WebElement } from 'selenium-webdriver';
import { accountPool, definePlugin, hashValue, isMpv2Error, pluginError, poolKey, type Account, type AccountSpec, type StepContext } from 'mpv2/plugin';
import { tiktokAccountType } from './account-type.js';
import type { StudioPage } from './browser.js';
import { TiktokApi } from './client.js';
import type { TiktokConfig } from './config.js';
import { checkCreator, queryCreator } from './creator.js';
import { Poster } from './poster.js';
import { prepare, type Prepared } from './prepare.js';
import { UploadRecord } from './record.js';
import { uploadInputSchema, uploadOutputSchema, type Posted, type UploadInput, type UploadOutput } from './schema.js';



/** The account of an attempt that already started wins over the rotation. */
async function pickAccount(ctx: StepContext, s: AccountSpec, record: UploadRecord): Promise<Account> {
  const prev = await record.get();
  if (prev) {
    try {
      return await ctx.accounts.resolve(prev.account);
    } catch (e) {
      if (!(isMpv2Error(e) && e.code === 'E_ACCOUNT' && e.details?.reason === 'not-found')) throw e;
      ctx.log.warn(`account "${prev.account}" of an earlier attempt no longer exists; picking again`);
      await record.clear();
    }
  }
  return ctx.accounts.resolve(s);
}

const isBrowser = (a: Account) => a.settings.driver === 'browser';

/** What Studio cannot do, or cannot reconcile: refused before the browser opens. */
function checkBrowserInput(input: UploadInput, prep: Prepared, account: string): string {
  const no = (field: string, message: string, hint: string) => pluginError('tiktok/INPUT', `with.${field}: ${message} (tiktok account "${account}" uses the browser driver)`, { hint, details: { field } });
  if (prep.source.kind !== 'file') throw no('videoUrl', 'TikTok Studio uploads a file, it cannot pull a URL', 'give `video:` a file, or use an api account');
  if (input.mode !== 'direct') throw no('mode', 'drafts need the Content Posting API', 'use mode: direct, or an api account');
  // a crashed post is found again in Studio's content list by its caption: it must say something
  if (!prep.title.trim()) throw no('title', 'the browser driver needs a caption: it is how a crashed attempt\'s post is found again', 'give a title');
  return prep.source.path;
}

export default definePlugin<UploadInput, UploadOutput>({
  id: 'tiktok.upload',
  version: '1.0.0',
  description: 'Post a video to TikTok (Content Posting API: direct post or inbox draft; or TikTok Studio in a browser profile), never twice',
  input: uploadInputSchema,
  output: uploadOutputSchema,
  effect: true,
  accountTypes: [tiktokAccountType],
  async run(ctx, input) {
    const cfg = ctx.config as TiktokConfig;
    const prep = await prepare(ctx, cfg, input);
    const s = accountPool('tiktok', input.account);
    const content = prep.source.kind === 'file' ? { sha256: prep.source.hash } : { url: prep.source.url };
    const key = [poolKey(s), content, prep.title, input.mode, input.mode === 'draft' ? '' : input.privacyLevel, ...(input.publishAt ? [input.publishAt] : [])];
    const record = new UploadRecord(ctx.store, hashValue(key));
    let account: Account | undefined;
    let poster: Poster | undefined;
    let studio: { page: StudioPage; button: WebElement } | undefined;
    let username: string | undefined;
    const posterFor = (name: string) => new Poster(ctx, cfg, new TiktokApi(ctx, cfg, name), input, prep, record);
    const openStudio = async (a: Account) => (await import('./browser.js')).StudioPage.open(ctx, cfg, a.name, a.profileDir);
    const pages: StudioPage[] = [];

    let acted = false;
    let posted: Posted | undefined;
    try {
      posted = await ctx.effect<Posted>(key, async () => {
        const out = studio ? await studio.page.post(studio.button, input, prep.title) : await poster!.post(username);
        acted = true;
        await ctx.accounts.recordUse(account!.name);
        ctx.log.info(`posted to tiktok account ${account!.name}: ${out.url || out.note}`);
        return out;
      }, {
        // due: the account (cap and rotation), then a valid token and what the creator may post
        // (api), or the whole Studio form up to an enabled Post button (browser)
        ready: async () => {
          account = await pickAccount(ctx, s, record);
          // TikTok cannot schedule: wait for the time here, before the token (it lasts 2 h) and the browser
          if (input.publishAt) await ctx.accounts.waitForSlot(account.name, hashValue(key), { at: input.publishAt });
          if (isBrowser(account)) {
            const file = checkBrowserInput(input, prep, account.name);
            await record.set({ account: account.name, driver: 'browser', acked: 0 });
            const page = await openStudio(account);
            pages.push(page);
            studio = { page, button: await page.prepare(file, input, prep.title) };
            return;
          }
          const api = new TiktokApi(ctx, cfg, account.name);
          await api.tokens.token();
          if (input.mode === 'direct') {
            const info = await queryCreator(api);
            checkCreator(info, input, prep, account.name);
            username = info.creator_username;
          }
          poster = posterFor(account.name);
        },
        reconcile: async () => {
          const saved = await record.get();
          if (saved?.driver === 'browser') {
            const a = await ctx.accounts.resolve(saved.account);
            const page = await openStudio(a);
            pages.push(page);
            const found = await page.findInContent(input, prep.title, true);
            if (found) await ctx.accounts.recordUse(a.name);
            return found;
          }
          // the account the attempt saved, by name: a daily cap reached since must not hide its post
          const found = await posterFor(saved?.account ?? '').reconcile();
          if (found) {
            await ctx.accounts.recordUse(found.account);
            ctx.log.info(`the earlier attempt's post is on tiktok account ${found.account} (publish_id ${found.publishId})`);
          }
          return found;
        },
        describe: { post: { account: s, publishAt: input.publishAt, mode: input.mode, privacyLevel: input.privacyLevel, title: prep.title, source: prep.source.kind === 'file' ? { file: prep.source.path, bytes: prep.source.bytes, chunks: prep.source.plan } : { url: prep.source.url } } },
      });
    } finally {
      for (const p of pages) await p.close();
    }
    // only once the effect is recorded done: until then the saved publish_id is what reconciles it
    await record.clear();
    if (posted === undefined) {
      if (!ctx.dryRun) ctx.log.warn('this post was marked done by hand and TikTok shows nothing for it: no publish_id to return');
      return { publishId: '', status: ctx.dryRun ? 'dry-run' : 'resolved-by-hand', postIds: [], url: '', account: '', mode: input.mode, privacyLevel: input.privacyLevel, uploaded: false, note: ctx.dryRun ? 'dry run: nothing posted' : 'marked done by hand' };
    }
    return { ...posted, uploaded: acted };
  },
});
