/**
 * Turns the `images` input (paths or media.fetchImages `files` objects; stills or clips) into
 * checked, ready-to-render visuals. Stills are decoded once here with sharp, cover-cropped to
 * the frame times the Ken Burns zoom, so the ffmpeg pass never re-decodes or re-scales them.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ffprobe, runFfmpeg, type FfmpegInfo } from 'mpv2/plugin';
import { loadSharp } from 'mpv2/plugin';
import { mpv2Error } from 'mpv2/plugin';
import { visualObject, type VisualInput } from './render-schema.js';


export interface Visual {
  kind: 'image' | 'video';
  /** The file ffmpeg reads: the prepared still, or the original clip. */
  file: string;
  source: string;
  weight: number;
  /** Clip length in seconds (videos). */
  duration?: number;
  /** Scene title to draw while this visual is alone on screen (scene-titles.ts). */
  title?: string;
  /** The brand's intro or outro (brand-bumpers.ts): played once, its last frame held, never zoomed. */
  brand?: 'intro' | 'outro';
  /** Set when `file` is raw yuv420p of this size (see toRawYuv). */
  raw?: { width: number; height: number };
}

const VIDEO_EXT = new Set(['.mp4', '.mov', '.m4v', '.webm', '.mkv', '.avi', '.gif']);

/** Even pixel size of the prepared still: the frame enlarged by the zoom factor. */
export function zoomedSize(width: number, height: number, zoom: number): { w: number; h: number } {
  return { w: 2 * Math.round((width * zoom) / 2), h: 2 * Math.round((height * zoom) / 2) };
}

/** A still smaller than this on a side is a broken download or a tracking pixel, not a picture. */
export const MIN_SIDE_PX = 16;
/** Larger than this (100 megapixels, e.g. 10000x10000) is refused before decoding: a decompression bomb. */
export const MAX_PIXELS = 100_000_000;

/** Why a visual was left out; its time goes to the others. */
export interface Skipped { index: number; path: string; reason: string }

/**
 * Checks and prepares every visual. One that cannot be used (corrupt, truncated, empty, too
 * small, too large, a clip without frames) is skipped: `warn` is told which and why, and the
 * others share its time. A missing file is a mistake in the pipeline and stops the render, as
 * does having no usable visual left.
 */
export async function prepareVisuals(
  items: readonly VisualInput[],
  resolve: (p: string) => string,
  opts: { info: FfmpegInfo; workdir: string; width: number; height: number; zoom: number; signal: AbortSignal; warn: (message: string) => void },
): Promise<Visual[]> {
  const size = zoomedSize(opts.width, opts.height, opts.zoom);
  const results = await Promise.all(items.map(async (item, i): Promise<Visual | Skipped> => {
    const o = typeof item === 'string' ? { path: item } : item;
    const source = resolve(o.path);
    if (!existsSync(source) || !statSync(source).isFile()) {
      throw mpv2Error('E_FILE', `images[${i}]: ${o.path} does not exist`, { hint: 'check the path, or the step that produced it' });
    }
    const skip = (reason: string): Skipped => ({ index: i, path: o.path, reason });
    if (statSync(source).size === 0) return skip('is empty (0 bytes)');
    // a path string has no weight, and ajv fills no default inside `oneOf`: the schema's default applies
    const weight = o.weight ?? visualObject.properties.weight.default;
    const clip = async (why?: string): Promise<Visual | Skipped> => {
      const probe = await ffprobe(opts.info, source, opts.signal).catch((e: unknown) => (isAbort(e) ? Promise.reject(e) : undefined));
      const dur = Number(probe?.format.duration ?? o.duration ?? 0);
      // ffmpeg's image demuxers guess from the name: a `.jpg` full of junk "is" a one-frame mjpeg
      if (!probe || /(^|,)(image2|\w+_pipe)(,|$)/.test(probe.format.format_name ?? '')) return skip(why ?? 'is not a readable video');
      if (!probe.streams.some((s) => s.codec_type === 'video') || !(dur > 0)) return skip(why ?? 'has no video stream or zero length');
      return { kind: 'video', file: source, source, weight, duration: dur };
    };
    const declared = o.kind ?? (VIDEO_EXT.has(extname(source).toLowerCase()) ? 'video' : 'image');
    // the content decides, not the name: a PNG called .jpg is a still, an animated GIF a clip
    const still = await inspectStill(source);
    if (still.ok) return still.animated ? clip() : prepareStill(source, o.path, i, size, opts.workdir, weight);
    // an image of the wrong size is an image: no use trying it as a clip
    if (still.sized) return skip(still.reason);
    if (declared === 'video') return clip();
    // a clip where a still was expected is still worth showing
    const asClip = await clip(`cannot be read as an image (${still.reason})`);
    if ('kind' in asClip) opts.warn(`images[${i}]: ${o.path} is a video, not an image; it is shown as a clip`);
    return asClip;
  }));
  const skipped = results.filter((r): r is Skipped => !('kind' in r));
  for (const s of skipped) opts.warn(`images[${s.index}]: ${s.path} ${s.reason}; skipped, its time goes to the other images`);
  const visuals = results.flatMap((r, i): Visual[] => {
    if (!('kind' in r)) return [];
    const item = items[i]!;
    return [typeof item !== 'string' && item.title ? { ...r, title: item.title } : r];
  });
  if (visuals.length === 0) {
    throw mpv2Error('E_FILE', `none of the ${items.length} image(s) can be used: ${skipped.map((s) => `images[${s.index}]: ${s.path} ${s.reason}`).join('; ')}`, {
      hint: `the files may be corrupt, truncated or smaller than ${MIN_SIDE_PX} px; fetch them again`,
    });
  }
  return visuals;
}

const isAbort = (e: unknown) => (e as { code?: string }).code === 'E_ABORTED';

type StillInfo = { ok: true; animated: boolean } | { ok: false; reason: string; sized?: boolean };

/** What the file's header says, checked before anything is decoded. */
async function inspectStill(source: string): Promise<StillInfo> {
  const sharp = await loadSharp();
  let meta;
  try {
    meta = await sharp(source, { limitInputPixels: false }).metadata();
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) return { ok: false, reason: 'has no size' };
  if (width * height > MAX_PIXELS) {
    return { ok: false, sized: true, reason: `is ${width}x${height} px, more than the ${MAX_PIXELS / 1e6} megapixels mpv2 decodes` };
  }
  if (width < MIN_SIDE_PX || height < MIN_SIDE_PX) {
    return { ok: false, sized: true, reason: `is ${width}x${height} px, smaller than ${MIN_SIDE_PX} px on a side` };
  }
  return { ok: true, animated: (meta.pages ?? 1) > 1 && (meta.format === 'gif' || meta.format === 'webp') };
}

/** Decodes the still once, cover-cropped to the zoomed frame; a corrupt one is skipped. */
async function prepareStill(source: string, path: string, i: number, size: { w: number; h: number }, workdir: string, weight: number): Promise<Visual | Skipped> {
  const file = join(workdir, `visual-${String(i).padStart(3, '0')}.jpg`);
  const sharp = await loadSharp();
  try {
    // failOn 'error' turns truncated or corrupt images into an error instead of grey blocks
    await sharp(source, { failOn: 'error', limitInputPixels: MAX_PIXELS })
      .rotate()
      .resize(size.w, size.h, { fit: 'cover', position: sharp.strategy.attention })
      .flatten({ background: '#000000' })
      .jpeg({ quality: 94 })
      .toFile(file);
  } catch (e) {
    return { index: i, path, reason: `cannot be read as an image (${(e as Error).message})` };
  }
  return { kind: 'image', file, source, weight };
}

/**
 * Converts the prepared stills to raw yuv420p in one ffmpeg call. The render reads them with
 * no decoder and no pixel-format conversion, which saves ~6 MB of resident memory per still.
 */
export async function toRawYuv(info: FfmpegInfo, visuals: Visual[], size: { w: number; h: number }, cwd: string, signal: AbortSignal): Promise<Visual[]> {
  const stills = visuals.filter((v) => v.kind === 'image');
  if (stills.length === 0) return visuals;
  const args: string[] = [];
  stills.forEach((v) => args.push('-i', v.file));
  stills.forEach((v, i) => args.push('-map', `${i}:v`, '-vf', `scale=${size.w}:${size.h},format=yuv420p`, '-frames:v', '1', '-f', 'rawvideo', v.file.replace(/\.jpg$/, '.yuv')));
  await runFfmpeg(info.ffmpeg, args, { cwd, signal });
  return visuals.map((v) => (v.kind === 'image' ? { ...v, file: v.file.replace(/\.jpg$/, '.yuv'), raw: { width: size.w, height: size.h } } : v));
}
