/**
 * youtube.upload: one video to one channel, through the Data API (`api`) or YouTube Studio in
 * the account's browser profile (`browser`). Limits are checked before the network; the upload
 * is an effect keyed by account pool + content hash + title, so a re-run returns the recorded
 * video and a crashed upload is reconciled (and resumed) instead of repeated.
 */
import { isMpv2Error } from 'mpv2/plugin';
import { hashFile, hashValue } from 'mpv2/plugin';
import { accountPool, definePlugin, isNoAccount, poolKey, stickyAccount } from 'mpv2/plugin';
import type { Account, StepContext } from 'mpv2/plugin';
import { accountForExtras } from './account-pick.js';
import { youtubeAccountType } from './account-type.js';
import { ApiDriver } from './api/driver.js';
import { readYoutubeConfig, type YoutubeConfig } from './config.js';
import { hashVideo, NEXT_SLOT, prepareUpload } from './prepare.js';
import { SessionRecord } from './session-record.js';
import { uploadInputSchema, uploadOutputSchema } from './upload-schema.js';
import type { DriverName, UploadInput, UploadOutput, UploadRequest, UploadedVideo } from './types.js';

export const NO_ACCOUNT_LINE = 'no YouTube account is configured, so nothing was uploaded; add one with `mpv2 accounts add youtube --name <name>` and `mpv2 accounts login <name>` (docs/plugins/youtube.md)';

function driverName(input: UploadInput, account: Account): DriverName {
  return input.driver ?? (account.settings.driver === 'browser' ? 'browser' : 'api');
}

async function makeDriver(ctx: StepContext, cfg: YoutubeConfig, account: Account, name: DriverName) {
  if (name === 'api') return ApiDriver.create(ctx, cfg, account);
  // the Studio driver pulls in selenium-webdriver (~60 ms to import): only browser uploads load it
  const { BrowserDriver } = await import('./browser/driver.js');
  return BrowserDriver.create(ctx, cfg, account);
}

export default definePlugin<UploadInput, UploadOutput>({
  id: 'youtube.upload',
  version: '1.0.0',
  description: 'Upload a video to YouTube (Data API or Studio in a browser profile) with thumbnail, captions, playlist and scheduling; never twice',
  input: uploadInputSchema,
  output: uploadOutputSchema,
  effect: true,
  accountTypes: [youtubeAccountType],
  async run(ctx, input) {
    const cfg = readYoutubeConfig(ctx.config);
    const spec = accountPool('youtube', input.account);
    const videoHash = await hashVideo(ctx, input.video);
    // the same key whatever the pick: pool + content + title (trimmed, as checkTitle keeps it)
    const key = [poolKey(spec), videoHash, input.title.trim()];
    const record = new SessionRecord(ctx.store, hashValue(key));
    const account = stickyAccount(ctx, spec, { recorded: async () => (await record.get())?.account, forget: () => record.clear(), what: 'upload' });
    try {
      await account();
    } catch (e) {
      // skipped before validation: a project without accounts runs its pipelines to the end
      if (isNoAccount(e, input.account !== undefined && input.account !== '')) ctx.skip(NO_ACCOUNT_LINE);
      // capped or disabled: a recorded upload is still returned below; otherwise `ready` reports it
    }
    const req = await prepareUpload(ctx, input, videoHash);

    let uploaded = false;
    let a: Account | undefined;
    let driver: Awaited<ReturnType<typeof makeDriver>> | undefined;
    const video = await ctx.effect<UploadedVideo>(key, async () => {
      const v = await driver!.upload(req, record);
      uploaded = true;
      await record.clear();
      await ctx.accounts.recordUse(a!.name);
      ctx.log.info(`uploaded "${req.title}" to account ${a!.name}: ${v.url}`);
      return v;
    }, {
      // only when the upload is due, before it is recorded pending: a capped account or a
      // failed login uploads nothing, and a recorded upload is returned whatever the account
      ready: async () => {
        a = await account();
        // the slot is held for this upload's key: a retry or resume gets the same one back
        if (req.nextSlot) req.publishAt = await ctx.accounts.reserveSlot(a.name, hashValue(key));
        driver = await makeDriver(ctx, cfg, a, driverName(input, a));
      },
      reconcile: async () => {
        const picked = await account();
        const found = await (await makeDriver(ctx, cfg, picked, driverName(input, picked))).reconcile(req, record);
        if (found) {
          await record.clear();
          await ctx.accounts.recordUse(picked.name);
          ctx.log.info(`the earlier attempt's video is on the channel of ${picked.name}: ${found.url}`);
        }
        return found;
      },
      describe: { upload: { account: spec, video: req.video, bytes: req.videoBytes, title: req.title, description: req.description, tags: req.tags, visibility: req.visibility, publishAt: req.nextSlot ? NEXT_SLOT : req.publishAt, thumbnail: req.thumbnail, captions: req.captions, playlist: req.playlist } },
    });
    if (video === undefined) {
      // a dry run (the effect wrote what it would do), or `mpv2 effects resolve --done` and the channel shows nothing
      if (!ctx.dryRun) ctx.log.warn('this upload was marked done by hand and no matching video was found on the channel: no video id to return');
      return { videoId: '', url: '', status: ctx.dryRun ? 'dry-run' : 'resolved-by-hand', account: '', driver: input.driver ?? 'api', visibility: req.visibility, uploaded: false, thumbnail: 'none', captions: 'none' };
    }
    const { thumbnail: _studioThumb, ...rest } = video;
    return { ...rest, uploaded, ...(await extras(ctx, cfg, key, video, req)) };
  },
});

/** Thumbnail, captions and playlist: each its own effect, so a failure is retried alone on the next run. */
async function extras(ctx: StepContext, cfg: YoutubeConfig, key: unknown[], video: UploadedVideo, req: UploadRequest): Promise<Pick<UploadOutput, 'thumbnail' | 'captions' | 'playlistItemId'>> {
  const out: Pick<UploadOutput, 'thumbnail' | 'captions' | 'playlistItemId'> = { thumbnail: 'none', captions: 'none' };
  if (video.driver === 'browser') {
    // the Studio flow sets the thumbnail itself; captions and playlists are API features
    if (req.thumbnail) out.thumbnail = video.thumbnail ?? 'skipped';
    if (req.captions) { out.captions = 'skipped'; ctx.log.warn('captions are not uploaded by the browser driver; use an api account for them'); }
    if (req.playlist) ctx.log.warn('playlist is not set by the browser driver; use an api account for it');
    return out;
  }
  let api: ApiDriver | undefined;
  const driver = async () => (api ??= await ApiDriver.create(ctx, cfg, await accountForExtras(ctx, video.account)));
  if (req.thumbnail) {
    const file = req.thumbnail;
    try {
      // setting the same thumbnail twice is harmless, so an attempt in doubt simply sets it again
      await ctx.effect([...key, 'thumbnail', await hashFile(file)], async () => { await (await driver()).setThumbnail(video.videoId, file); return true; }, { reconcile: async () => undefined });
      out.thumbnail = 'set';
    } catch (e) {
      // custom thumbnails need a verified channel; the video itself is fine, so this is not a failure
      if (!(isMpv2Error(e) && e.code === 'E_AUTH' && e.status === 403)) throw e;
      ctx.log.warn(`the custom thumbnail was not set: ${e.message}`, { hint: 'verify the channel (https://www.youtube.com/verify) to allow custom thumbnails; the next run sets it' });
      out.thumbnail = 'skipped';
    }
  }
  if (req.captions) {
    const file = req.captions;
    const lang = req.captionsLanguage ?? 'en';
    await ctx.effect([...key, 'captions', await hashFile(file), lang], async () => (await driver()).insertCaptions(video.videoId, file, lang), {
      reconcile: async () => (await driver()).findCaptions(video.videoId, lang),
    });
    out.captions = 'inserted';
  }
  if (req.playlist) {
    const pl = req.playlist;
    out.playlistItemId = await ctx.effect([...key, 'playlist', pl], async () => (await driver()).addToPlaylist(video.videoId, pl), {
      reconcile: async () => (await driver()).findPlaylistItem(video.videoId, pl),
    });
  }
  return out;
}
