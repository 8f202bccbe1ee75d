/**
 * Brings any decodable image to the target size and aspect: EXIF orientation applied, smart
 * crop (`attention` or `entropy`) with no stretching; `fit: contain` shows the whole picture
 * on a blurred copy of itself (or a plain colour). Sizes are checked from the header before
 * anything is decoded, so a huge image is refused clearly instead of exhausting memory.
 */
import type { Metadata, Sharp } from 'sharp';
import { mpv2Error } from 'mpv2/plugin';
import { loadSharp } from 'mpv2/plugin';
import type { FetchImagesInput, Target } from './types.js';

export interface NormalizeOptions {
  fit: FetchImagesInput['fit'];
  position: FetchImagesInput['position'];
  background: string;
  format: FetchImagesInput['format'];
  maxInputPixels: number;
  minInputSide: number;
}

export interface Normalized {
  data: Buffer;
  width: number;
  height: number;
  inputWidth: number;
  inputHeight: number;
}

// sharp takes its crop strategies by name too, so this table needs no loaded sharp
const POSITIONS = { attention: 'attention', entropy: 'entropy', center: 'centre' } as const;

export async function normalizeImage(buf: Buffer, target: Target, opts: NormalizeOptions, name = 'image'): Promise<Normalized> {
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    meta = await sharp(buf, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw mpv2Error('E_FILE', `${name} is not a readable image: ${(e as Error).message}`, { cause: e });
  }
  const w = meta.autoOrient?.width ?? meta.width;
  const h = meta.autoOrient?.height ?? meta.height;
  if (!w || !h) throw mpv2Error('E_FILE', `${name} has no width or height`);
  if (w * h > opts.maxInputPixels) {
    throw mpv2Error('E_INPUT_INVALID', `${name} is ${w}x${h} (${Math.round((w * h) / 1e6)} Mpx), larger than media.maxInputPixels (${Math.round(opts.maxInputPixels / 1e6)} Mpx)`, {
      hint: 'raise `media.maxInputPixels` in the config, or downscale the image',
    });
  }
  if (Math.min(w, h) < opts.minInputSide) {
    throw mpv2Error('E_INPUT_INVALID', `${name} is ${w}x${h}, smaller than media.minInputSide (${opts.minInputSide} px): it would be a blur at ${target.width}x${target.height}`);
  }
  const load = () => sharp(buf, { limitInputPixels: opts.maxInputPixels, failOn: 'error' }).rotate();
  try {
    let img: Sharp;
    if (opts.fit === 'contain' && opts.background === 'blur') {
      const front = await load().resize(target.width, target.height, { fit: 'inside' }).toBuffer({ resolveWithObject: true });
      img = load()
        .resize(target.width, target.height, { fit: 'cover', position: 'centre' })
        .blur(Math.max(8, target.width / 40))
        .modulate({ brightness: 0.65 })
        .composite([{ input: front.data, left: Math.round((target.width - front.info.width) / 2), top: Math.round((target.height - front.info.height) / 2) }]);
    } else if (opts.fit === 'contain') {
      img = load().resize(target.width, target.height, { fit: 'contain', background: opts.background });
    } else {
      img = load().resize(target.width, target.height, { fit: 'cover', position: POSITIONS[opts.position] });
    }
    // JPEG has no alpha: transparent parts become black rather than undefined colours
    const out = opts.format === 'png' ? img.png({ compressionLevel: 6 }) : img.flatten({ background: '#000000' }).jpeg({ quality: 90, chromaSubsampling: '4:4:4' });
    const { data, info } = await out.toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, inputWidth: w, inputHeight: h };
  } catch (e) {
    throw mpv2Error('E_FILE', `${name} could not be decoded: ${(e as Error).message}`, { cause: e });
  }
}
