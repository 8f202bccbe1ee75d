/**
 * Film grain from the seed: a grey RGBA layer whose alpha is low, laid over the picture with
 * `soft-light`. Made in JS with the seeded generator so the same seed gives the same bytes
 * (libvips' own noise is not seedable from sharp).
 */
import type { OverlayOptions } from 'sharp';
import { sha256 } from 'mpv2/plugin';
import { loadSharp } from 'mpv2/plugin';

export async function grainOverlay(width: number, height: number, seed: string, strength = 0.1): Promise<OverlayOptions> {
  // full resolution, softened by a small blur: upscaling a smaller noise image would leave a
  // visible 2-pixel grid (interpolated pixels are smoother than the original ones)
  const w = width;
  const h = height;
  const data = Buffer.alloc(w * h * 4);
  let a = parseInt(sha256(`grain:${seed}`).slice(0, 8), 16) >>> 0;
  const alpha = Math.round(255 * strength);
  for (let i = 0; i < w * h; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = (t ^ (t >>> 14)) >>> 0;
    // sum of two bytes: a triangle distribution centred on 128
    const v = ((r & 0xff) + ((r >>> 8) & 0xff)) >>> 1;
    const o = i * 4;
    data[o] = v;
    data[o + 1] = v;
    data[o + 2] = v;
    data[o + 3] = alpha;
  }
  const sharp = await loadSharp();
  const input = await sharp(data, { raw: { width: w, height: h, channels: 4 } }).blur(0.6).png({ compressionLevel: 1 }).toBuffer();
  return { input, blend: 'soft-light', left: 0, top: 0 };
}
