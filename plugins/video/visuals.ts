/**
 * Turns the `images` input (paths or media.fetchImages `files` objects; stills or clips) into
 * checked, ready-to-render visuals. Stills are decoded once here with sharp, cover-cropped to
 * the frame times the Ken Burns zoom, so the ffmpeg pass never re-decodes or re-scales them.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ffprobe, runFfmpeg, type FfmpegInfo } from '../../src/infra/ffmpeg.js';
import { loadSharp } from '../../src/infra/sharp.js';
import { mpv2Error } from '../../src/errors.js';

export type VisualInput = string | { path: string; width?: number; height?: number; kind?: 'image' | 'video'; duration?: number; weight?: number };

export interface Visual {
  kind: 'image' | 'video';
  /** The file ffmpeg reads: the prepared still, or the original clip. */
  file: string;
  source: string;
  weight: number;
  /** Clip length in seconds (videos). */
  duration?: number;
  /** Set when `file` is raw yuv420p of this size (see toRawYuv). */
  raw?: { width: number; height: number };
}

const VIDEO_EXT = new Set(['.mp4', '.mov', '.m4v', '.webm', '.mkv', '.avi', '.gif']);

/** Even pixel size of the prepared still: the frame enlarged by the zoom factor. */
export function zoomedSize(width: number, height: number, zoom: number): { w: number; h: number } {
  return { w: 2 * Math.round((width * zoom) / 2), h: 2 * Math.round((height * zoom) / 2) };
}

export async function prepareVisuals(
  items: readonly VisualInput[],
  resolve: (p: string) => string,
  opts: { info: FfmpegInfo; workdir: string; width: number; height: number; zoom: number; signal: AbortSignal },
): Promise<Visual[]> {
  const size = zoomedSize(opts.width, opts.height, opts.zoom);
  return Promise.all(items.map(async (item, i): Promise<Visual> => {
    const o = typeof item === 'string' ? { path: item } : item;
    const source = resolve(o.path);
    if (!existsSync(source) || !statSync(source).isFile()) {
      throw mpv2Error('E_FILE', `images[${i}]: ${o.path} does not exist`, { hint: 'check the path, or the step that produced it' });
    }
    const kind = o.kind ?? (VIDEO_EXT.has(extname(source).toLowerCase()) ? 'video' : 'image');
    const weight = o.weight ?? 1;
    if (kind === 'video') {
      const probe = await ffprobe(opts.info, source, opts.signal).catch((e: unknown) => {
        throw mpv2Error('E_FILE', `images[${i}]: ${o.path} is not a readable video`, { cause: e });
      });
      const dur = Number(probe.format.duration ?? o.duration ?? 0);
      if (!probe.streams.some((s) => s.codec_type === 'video') || !(dur > 0)) {
        throw mpv2Error('E_FILE', `images[${i}]: ${o.path} has no video stream or zero length`);
      }
      return { kind, file: source, source, weight, duration: dur };
    }
    const file = join(opts.workdir, `visual-${String(i).padStart(3, '0')}.jpg`);
    const sharp = await loadSharp();
    try {
      // failOn 'error' turns truncated or corrupt images into an error instead of grey blocks
      await sharp(source, { failOn: 'error' })
        .rotate()
        .resize(size.w, size.h, { fit: 'cover', position: sharp.strategy.attention })
        .flatten({ background: '#000000' })
        .jpeg({ quality: 94 })
        .toFile(file);
    } catch (e) {
      throw mpv2Error('E_FILE', `images[${i}]: ${o.path} cannot be read as an image (${(e as Error).message})`, { cause: e, hint: 'the file may be corrupt or truncated; fetch it again' });
    }
    return { kind, file, source, weight };
  }));
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
