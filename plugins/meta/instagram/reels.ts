/**
 * instagram.reels: one video as a Reel on one Instagram professional account, never twice.
 * Limits are checked with ffprobe before the network; the publishing limit and the token in
 * `ready`; the act is the container + upload + publish, keyed by account pool + content +
 * caption, so a re-run returns the recorded post and a crash is settled by the saved container.
 */
import { accountInputSchema, definePlugin } from 'mpv2/plugin';
import { postAtSchema, type FromSchema, type JSONSchema } from 'mpv2/plugin';
import { startReel } from '../reel-run.js';
import { instagramAccountType } from './account-type.js';
import type { InstagramConfig } from './config.js';
import { ContainerRecord } from './container-record.js';
import { InstagramPublisher, type PublishedReel, type ReelRequest } from './publisher.js';
import { buildCaption, checkCover, checkVideo } from './validate.js';

const inputSchema = {
  type: 'object',
  required: ['video'],
  additionalProperties: false,
  properties: {
    publishAt: postAtSchema,
    account: accountInputSchema('instagram', 'The account: a name from `mpv2 accounts list`, or a rotation `{ platform: instagram, pick, niche, language, names }`. Empty: any instagram account (round-robin); with none configured the step is skipped.'),
    video: { type: 'string', format: 'path', description: 'The video (MP4 or MOV, H.264 or HEVC, AAC audio, 3 s to 15 min, at most 300 MB; 9:16 shows without bars).' },
    caption: { type: 'string', default: '', description: 'The caption. With the hashtags and the marker line at most 2,200 characters, 30 hashtags and 20 @mentions.' },
    hashtags: { type: 'array', items: { type: 'string' }, default: [], description: 'Hashtags appended to the caption (a leading # is optional).' },
    shareToFeed: { type: 'boolean', default: true, description: 'Also show the Reel in the profile\'s feed grid.' },
    thumbOffsetMs: { type: 'integer', minimum: 0, description: 'The cover: the frame this many milliseconds into the video.' },
    coverUrl: { type: 'string', description: 'The cover: a public JPEG URL Instagram fetches (wins over thumbOffsetMs).' },
    marker: { type: 'boolean', default: true, description: 'End the caption with a line `mpv2-<10 hex>` that lets a crashed run find its post. Without it a post published just before a crash is still never repeated, but its id may be missing from the outputs.' },
  },
} as const satisfies JSONSchema;

const outputSchema = {
  type: 'object',
  required: ['mediaId', 'url', 'containerId', 'account', 'status', 'published'],
  additionalProperties: false,
  properties: {
    mediaId: { type: 'string', description: 'The Instagram media id of the Reel (empty in a dry run, or when it was published but could not be found again).' },
    url: { type: 'string', description: 'The Reel\'s permalink (https://www.instagram.com/reel/…).' },
    containerId: { type: 'string', description: 'The media container the Reel was published from.' },
    account: { type: 'string', description: 'The account it went to.' },
    status: { enum: ['published', 'dry-run', 'resolved-by-hand'], description: '`resolved-by-hand` after `mpv2 effects resolve --done` when no post was found.' },
    published: { type: 'boolean', description: 'True when this run published it; false when an earlier run had (recorded or reconciled).' },
  },
} as const satisfies JSONSchema;

export type ReelsInput = FromSchema<typeof inputSchema>;
export type ReelsOutput = FromSchema<typeof outputSchema>;

export const NO_ACCOUNT_LINE = 'no Instagram account is configured, so nothing was published; add one with `mpv2 accounts add instagram --name <name> --set userId=… --secret accessToken=…` (docs/plugins/instagram.md)';

export default definePlugin<ReelsInput, ReelsOutput>({
  id: 'instagram.reels',
  version: '1.0.0',
  description: 'Publish a video as an Instagram Reel (Graph API, resumable upload) with caption, hashtags and cover; never twice',
  input: inputSchema,
  output: outputSchema,
  effect: true,
  accountTypes: [instagramAccountType],
  async run(ctx, input) {
    const cfg = ctx.config as InstagramConfig;
    const { pool: spec, file, bytes, key, keyHash, record, account, accountToCheck, marker } = await startReel(ctx, {
      platform: 'instagram', input, noAccountLine: NO_ACCOUNT_LINE,
      keyParts: [input.caption.trim(), input.hashtags, input.shareToFeed, input.thumbOffsetMs ?? null, input.coverUrl ?? null, ...(input.publishAt ? [input.publishAt] : [])],
      record: (keyHash) => new ContainerRecord(ctx.store, keyHash),
      settingsOf: (prev) => ({ userId: prev.userId }),
    });
    // everything Instagram would refuse, before any request
    const facts = await checkVideo(file, bytes, ctx.signal);
    checkCover(input.thumbOffsetMs, input.coverUrl, facts.seconds);
    const req: ReelRequest = { file, facts, caption: buildCaption(input.caption, input.hashtags, marker), marker, shareToFeed: input.shareToFeed, thumbOffsetMs: input.thumbOffsetMs, coverUrl: input.coverUrl };

    let publisher: InstagramPublisher | undefined;
    let published = false;
    const reel = await ctx.effect<PublishedReel>(key, async () => {
      const r = await publisher!.publish(req, record);
      published = true;
      await ctx.accounts.recordUse(r.account);
      ctx.log.info(`published the Reel to ${r.account}: ${r.url || r.mediaId}`);
      return r;
    }, {
      // not the act: the account (rotation, daily cap), its token and the publishing limit
      ready: async () => {
        const a = await account();
        // Instagram's API cannot schedule: wait for the time here, before the token and the limit are checked
        if (input.publishAt) await ctx.accounts.waitForSlot(a.name, keyHash, { at: input.publishAt });
        publisher = await InstagramPublisher.open(ctx, cfg, a);
        await publisher.checkLimit();
      },
      reconcile: async () => {
        const p = await InstagramPublisher.open(ctx, cfg, await accountToCheck());
        const found = await p.reconcile(req, record);
        if (found) {
          await ctx.accounts.recordUse(found.account);
          ctx.log.info(`the earlier attempt's Reel is on ${found.account}: ${found.url || found.mediaId || `container ${found.containerId}`}`);
        }
        return found;
      },
      describe: { reel: { account: spec, publishAt: input.publishAt, video: file, bytes: facts.bytes, seconds: facts.seconds, caption: req.caption, shareToFeed: req.shareToFeed, thumbOffsetMs: req.thumbOffsetMs, coverUrl: req.coverUrl } },
    });
    if (reel === undefined) {
      if (!ctx.dryRun) ctx.log.warn('this Reel was marked done by hand and no matching post was found: no media id to return');
      return { mediaId: '', url: '', containerId: '', account: '', status: ctx.dryRun ? 'dry-run' : 'resolved-by-hand', published: false };
    }
    // the effect holds the outcome now; the container record only served the act
    await record.clear();
    return { ...reel, status: 'published', published };
  },
});
