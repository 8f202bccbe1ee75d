/**
 * `with` → what an upload needs, checked against TikTok's limits before any network call:
 * one source, a verified URL prefix for PULL_FROM_URL, a readable video of at most 4 GB and
 * 10 minutes with a known extension, a caption within 2200 UTF-16 units, a cover frame inside
 * the video. What depends on the creator (privacy levels, max duration) is checked in `ready`.
 */
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { ffprobe, findFfmpeg, hashFile, pluginError, type StepContext } from 'mpv2/plugin';
import { planChunks, type ChunkPlan } from './chunks.js';
import type { TiktokConfig } from './config.js';
import type { UploadInput } from './schema.js';

export const MAX_VIDEO_BYTES = 4 * 1024 ** 3;
export const MAX_DURATION_SEC = 600;
export const MAX_TITLE_UNITS = 2200;
const EXTENSIONS: Record<string, string> = { '.mp4': 'video/mp4', '.webm': 'video/webm', '.mov': 'video/quicktime' };

export type Source =
  | { kind: 'file'; path: string; bytes: number; mime: string; hash: string; durationSec: number; plan: ChunkPlan }
  | { kind: 'url'; url: string };

export interface Prepared {
  source: Source;
  title: string;
}

const bad = (field: string, message: string, hint: string) => pluginError('tiktok/INPUT', `with.${field}: ${message}`, { hint, details: { field } });

export function checkTitle(title: string): string {
  if (title.length > MAX_TITLE_UNITS) throw bad('title', `the caption is ${title.length} UTF-16 units long; TikTok takes at most ${MAX_TITLE_UNITS}`, 'shorten the caption');
  return title;
}

export function checkUrl(url: string, prefixes: readonly string[]): string {
  let u: URL;
  try { u = new URL(url); } catch { throw bad('videoUrl', `${JSON.stringify(url)} is not a URL`, 'give an https:// URL of the video'); }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw bad('videoUrl', `${u.protocol} URLs cannot be pulled`, 'give an https:// URL of the video');
  if (!prefixes.some((p) => url.startsWith(p))) {
    throw pluginError('tiktok/URL_UNVERIFIED', `with.videoUrl: ${u.origin} is not under a URL prefix verified with TikTok (tiktok.verifiedUrlPrefixes: ${prefixes.length ? prefixes.join(', ') : 'none'})`, {
      hint: 'verify the domain or URL prefix in the TikTok developer portal and add it to tiktok.verifiedUrlPrefixes, or upload the file with `video:`',
      details: { field: 'videoUrl' },
    });
  }
  return url;
}

async function durationOf(path: string, signal: AbortSignal): Promise<number> {
  let d = Number.NaN;
  try { d = Number((await ffprobe(await findFfmpeg(), path, signal)).format.duration); } catch (e) {
    throw bad('video', `ffprobe cannot read the video (${(e as Error).message})`, 'give an MP4, WebM or MOV file; install ffmpeg if ffprobe is missing');
  }
  if (!Number.isFinite(d) || d <= 0) throw bad('video', 'the video has no duration ffprobe can read', 'give an MP4, WebM or MOV file with a video stream');
  return d;
}

export async function prepare(ctx: StepContext, cfg: TiktokConfig, input: UploadInput): Promise<Prepared> {
  const title = checkTitle(input.title);
  if (Boolean(input.video) === Boolean(input.videoUrl)) throw bad(input.video ? 'videoUrl' : 'video', 'give exactly one of `video` (a file) and `videoUrl`', 'set `video: path/to/file.mp4`');
  if (input.videoUrl) return { title, source: { kind: 'url', url: checkUrl(input.videoUrl, cfg.verifiedUrlPrefixes) } };
  const path = ctx.resolvePath(input.video!);
  const mime = EXTENSIONS[extname(path).toLowerCase()];
  if (!mime) throw bad('video', `${extname(path) || 'a file without extension'} is not a format TikTok takes`, 'give an .mp4, .webm or .mov file');
  let bytes: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a file');
    bytes = s.size;
  } catch (e) {
    throw bad('video', `cannot read ${path}: ${(e as Error).message}`, 'check the path (relative to the pipeline file)');
  }
  if (bytes === 0) throw bad('video', `${path} is empty`, 'render the video first');
  if (bytes > MAX_VIDEO_BYTES) throw bad('video', `${bytes} bytes is more than TikTok's 4 GB`, 'compress the video (a lower bitrate)');
  const durationSec = await durationOf(path, ctx.signal);
  if (durationSec > MAX_DURATION_SEC) throw bad('video', `${durationSec.toFixed(1)} s is longer than TikTok's 10 minutes for API uploads`, 'cut the video');
  if (input.videoCoverTimestampMs !== undefined && input.videoCoverTimestampMs > durationSec * 1000) {
    throw bad('videoCoverTimestampMs', `${input.videoCoverTimestampMs} ms is past the end of the ${durationSec.toFixed(1)} s video`, 'pick a frame inside the video');
  }
  return { title, source: { kind: 'file', path, bytes, mime, hash: await hashFile(path), durationSec, plan: planChunks(bytes, cfg.chunkSize) } };
}
