/**
 * bluesky.post: one post (text, images or a video, optionally a reply) to one Bluesky account.
 * Limits are checked before the network; the session, the video (limits, upload, processing),
 * the image blobs, the mentions and the reply references are made ready before the act, and the
 * record key is chosen and saved then too. The act is the one createRecord; a crashed run's
 * successor asks the PDS for that very record before posting anything.
 */
import { readFile } from 'node:fs/promises';
import { accountPool, definePlugin, hashValue, isMpv2Error, pluginError, poolKey, type Account, type AccountSpec, type StepContext } from 'mpv2/plugin';
import { blueskyAccountType } from './account-type.js';
import { trim, type BlueskyConfig } from './config.js';
import { prepare, type Prepared } from './prepare.js';
import { postInputSchema, postOutputSchema, type PostInput, type PostOutput, type Posted } from './schema.js';
import { openSession, xrpcError, type Session } from './session.js';
import { PostRecord, type PostState } from './state.js';
import { detectFacets, resolveMentions } from './text.js';
import { newTid } from './tid.js';
import { VideoUpload } from './video.js';

const COLLECTION = 'app.bsky.feed.post';


/** The account of an attempt that already started wins over the rotation. */
async function pickAccount(ctx: StepContext, s: AccountSpec, saved: PostState | undefined): Promise<Account> {
  if (saved) {
    try { return await ctx.accounts.resolve(saved.account); } catch (e) {
      if (!(isMpv2Error(e) && e.code === 'E_ACCOUNT' && e.details?.reason === 'not-found')) throw e;
      ctx.log.warn(`account "${saved.account}" of an earlier attempt no longer exists; picking again`);
    }
  }
  return ctx.accounts.resolve(s);
}

function handleOf(a: Account): string {
  const h = a.settings.handle;
  if (typeof h !== 'string' || !h) throw pluginError('bluesky/AUTH', `bluesky account "${a.name}" has no handle`, { hint: `\`mpv2 accounts add bluesky --name ${a.name} --update --set handle=you.bsky.social\`` });
  return h;
}

const urlOf = (cfg: BlueskyConfig, st: PostState) => `${trim(cfg.appUrl)}/profile/${st.handle}/post/${st.rkey}`;

async function replyRefs(s: Session, uri: string): Promise<unknown> {
  const [, , repo, , rkey] = uri.split('/');
  let parent;
  try {
    parent = (await s.agent.com.atproto.repo.getRecord({ repo: repo!, collection: COLLECTION, rkey: rkey! })).data;
  } catch (e) {
    const err = xrpcError(e, 'getRecord (replyTo)', s.account);
    if ((err.status ?? 0) >= 400 && (err.status ?? 0) < 500) throw pluginError('bluesky/REPLY_PARENT', `with.replyTo: ${uri} cannot be found (${err.message})`, { hint: 'give the at:// URI of an existing post (the `uri` output of an earlier bluesky.post)', details: { field: 'replyTo' } });
    throw err;
  }
  const ref = { uri: parent.uri, cid: parent.cid! };
  const root = (parent.value as { reply?: { root?: { uri: string; cid: string } } }).reply?.root ?? ref;
  return { root, parent: ref };
}

async function embedOf(ctx: StepContext, cfg: BlueskyConfig, s: Session, prep: Prepared, record: PostRecord, st: PostState): Promise<unknown> {
  if (prep.video) {
    const v = prep.video;
    const blob = await new VideoUpload(ctx, cfg, s, async (jobId) => { st.jobId = jobId; await record.set(st); }).blob(v, st.jobId);
    return { $type: 'app.bsky.embed.video', video: blob, ...(v.alt ? { alt: v.alt } : {}), ...(v.width && v.height ? { aspectRatio: { width: v.width, height: v.height } } : {}) };
  }
  if (!prep.images.length) return undefined;
  const images = [];
  for (const img of prep.images) {
    let blob;
    try {
      blob = (await s.agent.uploadBlob(await readFile(img.path), { encoding: img.mime })).data.blob;
    } catch (e) {
      throw xrpcError(e, 'uploadBlob', s.account);
    }
    images.push({ image: JSON.parse(JSON.stringify(blob)) as unknown, alt: img.alt });
  }
  return { $type: 'app.bsky.embed.images', images };
}

export default definePlugin<PostInput, PostOutput>({
  id: 'bluesky.post',
  version: '1.0.0',
  description: 'Post to Bluesky (text with links, mentions and hashtags; images or a video; replies), never twice',
  input: postInputSchema,
  output: postOutputSchema,
  effect: true,
  accountTypes: [blueskyAccountType],
  async run(ctx, input) {
    const cfg = ctx.config as BlueskyConfig;
    const prep = await prepare(ctx, input);
    const s = accountPool('bluesky', input.account);
    const key = [poolKey(s), input.text, prep.video?.hash ?? null, prep.images.map((i) => [i.hash, i.alt]), input.videoAlt ?? '', input.replyTo ?? '', input.langs ?? [], ...(input.publishAt ? [input.publishAt] : [])];
    const record = new PostRecord(ctx.store, hashValue(key));
    let session: Session | undefined;
    let state: PostState | undefined;
    let post: Record<string, unknown> | undefined;
    let acted = false;

    const posted = await ctx.effect<Posted>(key, async () => {
      let res;
      try {
        res = (await session!.agent.com.atproto.repo.createRecord({ repo: session!.did, collection: COLLECTION, rkey: state!.rkey, record: post! })).data;
      } catch (e) {
        throw xrpcError(e, 'createRecord', session!.account);
      }
      acted = true;
      await ctx.accounts.recordUse(session!.account);
      const out = { uri: res.uri, cid: res.cid, url: urlOf(cfg, state!), account: session!.account };
      ctx.log.info(`posted to bluesky account ${out.account}: ${out.url}`);
      return out;
    }, {
      ready: async () => {
        const saved = await record.get();
        const account = await pickAccount(ctx, s, saved);
        // Bluesky cannot schedule: wait for the time here, before the session and any upload
        // (an unreferenced blob is dropped after a while)
        if (input.publishAt) await ctx.accounts.waitForSlot(account.name, hashValue(key), { at: input.publishAt });
        session = await openSession(ctx, cfg, account.name, handleOf(account));
        // the record key is fixed before the act and kept: a crashed attempt is asked for by it
        state = saved && saved.account === account.name ? { ...saved, handle: session.handle } : { account: account.name, did: session.did, handle: session.handle, rkey: newTid() };
        await record.set(state);
        const embed = await embedOf(ctx, cfg, session, prep, record, state);
        const sess = session;
        const { facets, unresolved } = await resolveMentions(await detectFacets(input.text), async (handle) => {
          try { return (await sess.agent.com.atproto.identity.resolveHandle({ handle })).data.did; } catch { return undefined; }
        });
        if (unresolved.length) ctx.log.warn(`not linked (the handle does not resolve): @${unresolved.join(', @')}`);
        post = {
          $type: COLLECTION, text: input.text, createdAt: new Date().toISOString(),
          ...(facets.length ? { facets } : {}),
          ...(embed ? { embed } : {}),
          ...(input.replyTo ? { reply: await replyRefs(session, input.replyTo) } : {}),
          ...(input.langs?.length ? { langs: input.langs } : {}),
        };
      },
      reconcile: async () => {
        const saved = await record.get();
        if (!saved) return undefined; // nothing was ever made ready: nothing was posted
        // by name, not through the rotation: a daily cap reached since must not hide an earlier post
        const sess = await openSession(ctx, cfg, saved.account, saved.handle);
        try {
          const found = (await sess.agent.com.atproto.repo.getRecord({ repo: saved.did, collection: COLLECTION, rkey: saved.rkey })).data;
          await ctx.accounts.recordUse(saved.account);
          ctx.log.info(`the earlier attempt's post is on bluesky account ${saved.account}: ${found.uri}`);
          return { uri: found.uri, cid: found.cid!, url: urlOf(cfg, saved), account: saved.account };
        } catch (e) {
          const err = xrpcError(e, 'getRecord', saved.account);
          if (err.status === 400 || err.status === 404) return undefined; // RecordNotFound: it was never created
          throw err;
        }
      },
      describe: { post: { account: s, publishAt: input.publishAt, text: input.text, images: prep.images.map((i) => ({ file: i.path, bytes: i.bytes, alt: i.alt })), video: prep.video && { file: prep.video.path, bytes: prep.video.bytes }, replyTo: input.replyTo, langs: input.langs } },
    });
    // only once the effect is recorded done: until then the saved record key is what reconciles it
    await record.clear();
    if (posted === undefined) {
      if (!ctx.dryRun) ctx.log.warn('this post was marked done by hand and no record was found for it');
      return { uri: '', cid: '', url: '', account: '', posted: false };
    }
    return { ...posted, posted: acted };
  },
});
