/**
 * Turns a loaded candidate into a file in the step's workdir: images are normalised to the
 * target; clips are written as they are and probed with ffprobe (the renderer trims, loops
 * and scales them).
 */
import { copyFile, unlink, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { mpv2Error } from 'mpv2/plugin';
import { ffprobe, findFfmpeg } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import { normalizeImage, type NormalizeOptions } from './normalize.js';
import type { Candidate, MediaFile, Slot, Target } from './types.js';

export function slug(s: string): string {
  const ascii = s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return ascii.slice(0, 40).replace(/-+$/, '') || 'image';
}

export interface MaterializeOptions extends NormalizeOptions {
  target: Target;
}

/** `buf` is the loaded bytes; undefined for a local clip, which is copied from `c.localFile`. */
export async function materialize(ctx: Pick<StepContext, 'workdir' | 'signal'>, slot: Slot, c: Candidate, buf: Buffer | undefined, opts: MaterializeOptions): Promise<MediaFile> {
  const base = `${String(slot.index + 1).padStart(2, '0')}-${slug(slot.query)}`;
  const meta = { source: c.source, id: c.id, author: c.author, authorUrl: c.authorUrl, url: c.url, license: c.license, query: slot.query };
  if (c.kind === 'image') {
    if (!buf) throw mpv2Error('E_INTERNAL', `image ${c.key} was not loaded`);
    const img = await normalizeImage(buf, opts.target, opts, c.source === 'local' ? `local image ${c.id}` : `${c.source} image ${c.id ?? ''}`.trim());
    const path = join(ctx.workdir, `${base}.${opts.format === 'png' ? 'png' : 'jpg'}`);
    await writeFile(path, img.data);
    return { path, kind: 'image', width: img.width, height: img.height, ...meta };
  }
  const ext = c.localFile ? extname(c.localFile).toLowerCase() || '.mp4' : '.mp4';
  const path = join(ctx.workdir, `${base}${ext}`);
  if (buf) await writeFile(path, buf);
  else await copyFile(c.localFile!, path);
  try {
    const probe = await ffprobe(await findFfmpeg(), path, ctx.signal);
    const v = probe.streams.find((s) => s.codec_type === 'video');
    if (!v?.width || !v.height) throw mpv2Error('E_FILE', `${c.source} clip ${c.id ?? ''} has no video stream`);
    const duration = Number(probe.format.duration ?? v.duration);
    return { path, kind: 'video', width: v.width, height: v.height, ...(Number.isFinite(duration) && { duration }), ...meta };
  } catch (e) {
    await unlink(path).catch(() => undefined);
    throw e;
  }
}
