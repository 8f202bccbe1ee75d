/**
 * `with` checked against Bluesky's limits before any network call: the text (300 graphemes),
 * images (at most 4, 1,000,000 bytes each, JPEG/PNG/WebP/GIF), a video (at most 100 MB and 3
 * minutes, MP4/WebM/MOV/MPEG) and never both. Files are hashed for the effect key.
 */
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { ffprobe, findFfmpeg, hashFile, pluginError, type StepContext } from 'mpv2/plugin';
import type { PostInput } from './schema.js';
import { checkText } from './text.js';

export const MAX_IMAGE_BYTES = 1_000_000;
export const MAX_VIDEO_BYTES = 100 * 1024 * 1024;
export const MAX_VIDEO_SEC = 180;
const IMAGE_TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.gif': 'image/gif' };
const VIDEO_TYPES: Record<string, string> = { '.mp4': 'video/mp4', '.webm': 'video/webm', '.mov': 'video/quicktime', '.mpeg': 'video/mpeg', '.mpg': 'video/mpeg' };

export interface MediaFile { path: string; mime: string; bytes: number; hash: string }
export interface Prepared {
  images: Array<MediaFile & { alt: string }>;
  video?: MediaFile & { alt?: string; width?: number; height?: number };
}

const bad = (field: string, message: string, hint: string) => pluginError('bluesky/INPUT', `with.${field}: ${message}`, { hint, details: { field } });

async function file(ctx: StepContext, p: string, field: string, types: Record<string, string>, max: number, what: string): Promise<MediaFile> {
  const path = ctx.resolvePath(p);
  const mime = types[extname(path).toLowerCase()];
  if (!mime) throw bad(field, `${extname(path) || 'a file without extension'} is not a ${what} type Bluesky takes`, `give ${Object.keys(types).join(', ')}`);
  let bytes: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a file');
    bytes = s.size;
  } catch (e) {
    throw bad(field, `cannot read ${path}: ${(e as Error).message}`, 'check the path (relative to the pipeline file)');
  }
  if (bytes === 0) throw bad(field, `${path} is empty`, `give a ${what}`);
  if (bytes > max) throw bad(field, `${bytes} bytes is more than the ${max} bytes Bluesky takes for a ${what}`, what === 'image' ? 'resize or re-encode it (JPEG quality 85 usually fits)' : 're-encode it at a lower bitrate');
  return { path, mime, bytes, hash: await hashFile(path) };
}

export async function prepare(ctx: StepContext, input: PostInput): Promise<Prepared> {
  await checkText(input.text);
  if (input.video && input.images?.length) throw bad('images', 'a post holds images or one video, not both', 'post the images in a reply');
  const images = [];
  for (const [i, img] of (input.images ?? []).entries()) images.push({ ...(await file(ctx, img.file, `images[${i}].file`, IMAGE_TYPES, MAX_IMAGE_BYTES, 'image')), alt: img.alt });
  if (!input.video) return { images };
  const v = await file(ctx, input.video, 'video', VIDEO_TYPES, MAX_VIDEO_BYTES, 'video');
  let probe;
  try { probe = await ffprobe(await findFfmpeg(), v.path, ctx.signal); } catch (e) {
    throw bad('video', `ffprobe cannot read the video (${(e as Error).message})`, 'give an MP4 (H.264) file; install ffmpeg if ffprobe is missing');
  }
  const sec = Number(probe.format.duration);
  if (!Number.isFinite(sec) || sec <= 0) throw bad('video', 'the video has no duration ffprobe can read', 'give an MP4 (H.264) file');
  if (sec > MAX_VIDEO_SEC) throw bad('video', `${sec.toFixed(1)} s is longer than Bluesky's ${MAX_VIDEO_SEC / 60} minutes`, 'cut the video');
  const stream = probe.streams.find((s) => s.codec_type === 'video');
  return { images, video: { ...v, alt: input.videoAlt, width: stream?.width, height: stream?.height } };
}
