/** Checks on rendered files: ffprobe fields, atom order, frame pixels, audio levels. */
import { execFileSync, spawnSync } from 'node:child_process';
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import sharp from 'sharp';

export function probe(file: string): { format: { duration: string }; streams: Array<Record<string, string | number>> } {
  return JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], { encoding: 'utf8' }));
}

/** Top-level MP4 atoms in file order (faststart: moov before mdat). */
export function topAtoms(file: string): string[] {
  const fd = openSync(file, 'r');
  const size = statSync(file).size;
  const out: string[] = [];
  const buf = Buffer.alloc(16);
  let pos = 0;
  try {
    while (pos + 8 <= size && out.length < 20) {
      readSync(fd, buf, 0, 16, pos);
      let len = buf.readUInt32BE(0);
      out.push(buf.toString('latin1', 4, 8));
      if (len === 1) len = Number(buf.readBigUInt64BE(8));
      if (len < 8) break;
      pos += len;
    }
  } finally { closeSync(fd); }
  return out;
}

/** Raw RGB of the frame at `t` seconds. */
export async function frameAt(file: string, t: number): Promise<{ data: Buffer; width: number; height: number }> {
  const png = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-ss', String(t), '-i', file, '-frames:v', '1', '-f', 'image2pipe', '-vcodec', 'png', '-']);
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Mean absolute difference of two frames inside a rectangle (fractions of the frame). */
export function regionDiff(a: { data: Buffer; width: number }, b: { data: Buffer; width: number }, r: { x0: number; y0: number; x1: number; y1: number }, height: number): number {
  let sum = 0;
  let n = 0;
  for (let y = Math.floor(r.y0 * height); y < Math.floor(r.y1 * height); y++) {
    for (let x = Math.floor(r.x0 * a.width); x < Math.floor(r.x1 * a.width); x++) {
      const i = (y * a.width + x) * 3;
      sum += Math.abs(a.data[i]! - b.data[i]!) + Math.abs(a.data[i + 1]! - b.data[i + 1]!) + Math.abs(a.data[i + 2]! - b.data[i + 2]!);
      n += 3;
    }
  }
  return sum / n;
}

/** Count of pixels matching `pred` per horizontal half: [left, right]. */
export function countByHalf(f: { data: Buffer; width: number; height: number }, pred: (r: number, g: number, b: number) => boolean): [number, number] {
  const out: [number, number] = [0, 0];
  for (let y = 0; y < f.height; y++) {
    for (let x = 0; x < f.width; x++) {
      const i = (y * f.width + x) * 3;
      if (pred(f.data[i]!, f.data[i + 1]!, f.data[i + 2]!)) out[x < f.width / 2 ? 0 : 1]++;
    }
  }
  return out;
}

/** RMS level (dB) of the audio between `from` and `to` seconds, after an optional filter. */
export function rmsDb(file: string, from: number, to: number, filter = 'anull'): number {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-nostats', '-i', file, '-map', '0:a:0', '-af', `atrim=${from}:${to},${filter},astats`, '-f', 'null', '-'], { encoding: 'utf8' });
  const m = /Overall[\s\S]*?RMS level dB:\s*(-?[\d.]+|-inf)/.exec(r.stderr);
  return m ? (m[1] === '-inf' ? -200 : Number(m[1])) : NaN;
}

/** Mean x of the pixels matching `pred`, and how many there are. */
export function centroidX(f: { data: Buffer; width: number; height: number }, pred: (r: number, g: number, b: number) => boolean): { x: number; count: number } {
  let sx = 0;
  let count = 0;
  for (let i = 0, p = 0; i < f.data.length; i += 3, p++) {
    if (pred(f.data[i]!, f.data[i + 1]!, f.data[i + 2]!)) { sx += p % f.width; count++; }
  }
  return { x: count ? sx / count : NaN, count };
}

export type Frame = { data: Buffer; width: number; height: number };
export interface Box { x0: number; y0: number; x1: number; y1: number }

/** Mean RGB inside a box of pixels (the whole frame when no box is given). */
export function meanRgb(f: Frame, b: Box = { x0: 0, y0: 0, x1: f.width, y1: f.height }): [number, number, number] {
  const s = [0, 0, 0];
  let n = 0;
  for (let y = b.y0; y < b.y1; y++) for (let x = b.x0; x < b.x1; x++) {
    const i = (y * f.width + x) * 3;
    s[0] += f.data[i]!; s[1] += f.data[i + 1]!; s[2] += f.data[i + 2]!; n++;
  }
  return s.map((v) => v / n) as [number, number, number];
}

/** Mean absolute difference of two frames over every pixel outside the given boxes. */
export function diffOutside(a: Frame, b: Frame, skip: Box[]): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < a.height; y++) for (let x = 0; x < a.width; x++) {
    if (skip.some((k) => x >= k.x0 && x < k.x1 && y >= k.y0 && y < k.y1)) continue;
    const i = (y * a.width + x) * 3;
    sum += Math.abs(a.data[i]! - b.data[i]!) + Math.abs(a.data[i + 1]! - b.data[i + 1]!) + Math.abs(a.data[i + 2]! - b.data[i + 2]!);
    n += 3;
  }
  return sum / n;
}
