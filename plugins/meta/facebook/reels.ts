/**
 * facebook.reels: one video as a Reel on one Facebook Page, published, scheduled or kept as a
 * draft, never twice. Limits are checked with ffprobe before the network; the token and the
 * Page's moving 24-hour Reels limit in `ready`; the act is start + upload + finish, keyed by
 * account pool + content + description + state, so a re-run returns the recorded Reel and a
 * crash is settled by the saved video.
 */
import { accountInputSchema, definePlugin } from 'mpv2/plugin';
import type { FromSchema, JSONSchema } from 'mpv2/plugin';
import { startReel } from '../reel-run.js';
import { facebookAccountType } from './account-type.js';
import type { FacebookConfig } from './config.js';
import { FacebookPublisher, type PublishedReel, type ReelRequest } from './publisher.js';
import { buildDescription, checkPublishAt, checkVideo, invalid, LIMITS } from './validate.js';
import { VideoRecord } from './video-record.js';

const inputSchema = {
  type: 'object',
  required: ['video'],
  additionalProperties: false,
  properties: {
    account: accountInputSchema('facebook', 'The Page account: a name from `mpv2 accounts list`, or a rotation `{ platform: facebook, pick, niche, language, names }`. Empty: any facebook account (round-robin); with none configured the step is skipped.'),
    video: { type: 'string', format: 'path', description: 'The video: 9:16, at least 540x960, 3 to 90 s, 24 to 60 fps (MP4, H.264 and AAC recommended).' },
    description: { type: 'string', default: '', description: 'The Reel\'s description (caption).' },
    hashtags: { type: 'array', items: { type: 'string' }, default: [], description: 'Hashtags appended to the description (a leading # is optional).' },
    draft: { type: 'boolean', default: false, description: 'Upload as a draft the Page can publish later from Meta Business Suite.' },
    publishAt: { type: 'string', description: 'Schedule: an ISO 8601 time 10 minutes to 29 days ahead (e.g. `2030-01-31T18:00:00Z`), or `next-slot`: the Page account\'s next free posting slot (`mpv2 accounts add … --slots`), reserved so no other run takes it; Facebook publishes the Reel then.' },
    marker: { type: 'boolean', default: true, description: 'End the description with a line `mpv2-<10 hex>` that lets a crashed run find its Reel among the Page\'s.' },
  },
} as const satisfies JSONSchema;

const outputSchema = {
  type: 'object',
  required: ['videoId', 'url', 'account', 'state', 'published'],
  additionalProperties: false,
  properties: {
    videoId: { type: 'string', description: 'The Reel\'s video id (empty in a dry run).' },
    url: { type: 'string', description: 'The Reel\'s address (https://www.facebook.com/reel/…).' },
    account: { type: 'string', description: 'The account (Page) it went to.' },
    state: { enum: ['published', 'scheduled', 'draft', 'dry-run', 'resolved-by-hand'], description: 'What it is on the Page; `resolved-by-hand` after `mpv2 effects resolve --done` when no Reel was found.' },
    publishAt: { type: 'string', description: 'When a scheduled Reel goes public.' },
    published: { type: 'boolean', description: 'True when this run made it; false when an earlier run had (recorded or reconciled).' },
  },
} as const satisfies JSONSchema;

export type ReelsInput = FromSchema<typeof inputSchema>;
export type ReelsOutput = FromSchema<typeof outputSchema>;

export const NO_ACCOUNT_LINE = 'no Facebook Page account is configured, so nothing was published; add one with `mpv2 accounts add facebook --name <name> --set pageId=… --secret pageAccessToken=…` (docs/plugins/facebook.md)';

export default definePlugin<ReelsInput, ReelsOutput>({
  id: 'facebook.reels',
  version: '1.0.0',
  description: 'Publish, schedule or draft a video as a Facebook Page Reel (Graph API, resumable upload); never twice',
  input: inputSchema,
  output: outputSchema,
  effect: true,
  accountTypes: [facebookAccountType],
  async run(ctx, input) {
    const cfg = ctx.config as FacebookConfig;
    const { pool: spec, file, bytes, key, keyHash, record, account, accountToCheck, marker } = await startReel(ctx, {
      platform: 'facebook', input, noAccountLine: NO_ACCOUNT_LINE,
      keyParts: [input.description.trim(), input.hashtags, input.draft, input.publishAt ?? null],
      record: (keyHash) => new VideoRecord(ctx.store, keyHash),
      settingsOf: (prev) => ({ pageId: prev.pageId }),
    });
    // everything Facebook would refuse, before any request
    const nextSlot = input.publishAt === 'next-slot';
    if (nextSlot && input.draft) throw invalid('publishAt', 'next-slot cannot go with draft: true (a Reel is either a draft or scheduled)', 'drop one of them');
    const scheduledPublishTime = nextSlot ? undefined : checkPublishAt(input.publishAt, input.draft);
    const facts = await checkVideo(file, bytes, ctx.signal);
    const state = scheduledPublishTime !== undefined || nextSlot ? 'scheduled' : input.draft ? 'draft' : 'published';
    const req: ReelRequest = { file, facts, description: buildDescription(input.description, input.hashtags, marker), marker, state, scheduledPublishTime };

    let publisher: FacebookPublisher | undefined;
    let published = false;
    const counts = state !== 'draft';
    const reel = await ctx.effect<PublishedReel>(key, async () => {
      const r = await publisher!.publish(req, record);
      published = true;
      if (counts) await publisher!.window.add();
      await ctx.accounts.recordUse(r.account);
      ctx.log.info(`${r.state} the Reel on the Page of ${r.account}: ${r.url || r.videoId}`);
      return r;
    }, {
      // not the act: the account (rotation, daily cap), its token and the Page's 24-hour limit
      ready: async () => {
        publisher = await FacebookPublisher.open(ctx, cfg, await account());
        // the slot is held for this Reel's key (a retry or resume gets it back); Meta wants 10 minutes ahead at least
        if (nextSlot) req.scheduledPublishTime = checkPublishAt(await ctx.accounts.reserveSlot(publisher.account.name, keyHash, { leadMs: LIMITS.scheduleMinMs + 60_000 }), false);
        await publisher.checkToken();
        if (counts) await publisher.window.check(publisher.account.name);
      },
      reconcile: async () => {
        const p = await FacebookPublisher.open(ctx, cfg, await accountToCheck());
        const found = await p.reconcile(req, record);
        if (found) {
          if (counts) await p.window.add();
          await ctx.accounts.recordUse(found.account);
          ctx.log.info(`the earlier attempt's Reel is on the Page of ${found.account}: ${found.url || found.videoId}`);
        }
        return found;
      },
      describe: { reel: { account: spec, video: file, bytes: facts.bytes, seconds: facts.seconds, description: req.description, state, publishAt: nextSlot ? 'next-slot' : scheduledPublishTime === undefined ? undefined : new Date(scheduledPublishTime * 1000).toISOString() } },
    });
    if (reel === undefined) {
      if (!ctx.dryRun) ctx.log.warn('this Reel was marked done by hand and no matching Reel was found: no video id to return');
      return { videoId: '', url: '', account: '', state: ctx.dryRun ? 'dry-run' : 'resolved-by-hand', published: false };
    }
    // the effect holds the outcome now; the video record only served the act
    await record.clear();
    return { ...reel, published };
  },
});
