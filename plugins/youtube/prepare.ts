/**
 * `with` → UploadRequest, once: every limit checked, every path resolved inside the sandbox,
 * the video hashed (the effect key) and probed (its duration helps reconciliation).
 * Nothing here touches the network.
 */
import { stat } from 'node:fs/promises';
import { mpv2Error } from 'mpv2/plugin';
import { findFfmpeg, ffprobe } from 'mpv2/plugin';
import { hashFile } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import type { UploadInput, UploadRequest } from './types.js';
import { checkDescription, checkExtension, checkPublishAt, checkTags, checkThumbnailSize, checkTitle, hashTagFor } from './validate.js';

async function fileSize(path: string, field: string): Promise<number> {
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a file');
    return s.size;
  } catch (e) {
    throw mpv2Error('E_FILE', `with.${field}: cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/** The content hash of the video (the effect key); E_FILE when it cannot be read. */
export async function hashVideo(ctx: StepContext, video: string): Promise<string> {
  const path = ctx.resolvePath(video);
  await fileSize(path, 'video');
  return hashFile(path);
}

/** `publishAt: next-slot`: the picked account's next free posting slot. */
export const NEXT_SLOT = 'next-slot';

/** Everything a driver needs; throws E_PLUGIN_INPUT_INVALID naming the field on a broken limit. */
export async function prepareUpload(ctx: StepContext, input: UploadInput, videoHash?: string, now = Date.now()): Promise<UploadRequest> {
  const title = checkTitle(input.title);
  const description = checkDescription(input.description);
  const tags = checkTags(input.tags);
  const visibility = input.visibility;
  const nextSlot = input.publishAt === NEXT_SLOT;
  if (nextSlot && visibility !== 'private') throw mpv2Error('E_PLUGIN_INPUT_INVALID', `with.publishAt: next-slot needs visibility: private (got ${visibility}); YouTube keeps the video private and makes it public at the slot`, { details: { field: 'publishAt' } });
  const publishAt = nextSlot ? undefined : checkPublishAt(input.publishAt, visibility, now);
  if (!/^\d+$/.test(input.categoryId)) throw mpv2Error('E_PLUGIN_INPUT_INVALID', `with.categoryId must be a numeric YouTube category id such as "22" (got ${JSON.stringify(input.categoryId)})`, { details: { field: 'categoryId' } });
  if (input.thumbnail) checkExtension('thumbnail', input.thumbnail, ['png', 'jpg', 'jpeg']);
  if (input.captions) checkExtension('captions', input.captions, ['srt', 'vtt']);

  const video = ctx.resolvePath(input.video);
  const videoBytes = await fileSize(video, 'video');
  if (videoBytes === 0) throw mpv2Error('E_PLUGIN_INPUT_INVALID', `with.video is an empty file: ${video}`, { details: { field: 'video' } });
  const thumbnail = input.thumbnail ? ctx.resolvePath(input.thumbnail) : undefined;
  if (thumbnail) checkThumbnailSize(await fileSize(thumbnail, 'thumbnail'));
  const captions = input.captions ? ctx.resolvePath(input.captions) : undefined;
  if (captions) await fileSize(captions, 'captions');

  const hash = videoHash ?? await hashFile(video);
  return {
    video, videoBytes, videoHash: hash,
    durationSec: await probeDuration(video, ctx.signal),
    title, description, tags,
    hashTag: hashTagFor(tags, hash),
    categoryId: input.categoryId,
    language: input.language || undefined,
    visibility, publishAt, ...(nextSlot && { nextSlot }),
    madeForKids: input.madeForKids,
    syntheticMedia: input.syntheticMedia,
    thumbnail, captions,
    captionsLanguage: input.captionsLanguage || input.language || undefined,
    playlist: input.playlist || undefined,
  };
}

/** Seconds, or undefined when ffprobe is missing or cannot read the file (reconciliation then matches by title). */
async function probeDuration(file: string, signal: AbortSignal): Promise<number | undefined> {
  try {
    const d = Number((await ffprobe(await findFfmpeg(), file, signal)).format.duration);
    return Number.isFinite(d) ? d : undefined;
  } catch {
    return undefined;
  }
}
