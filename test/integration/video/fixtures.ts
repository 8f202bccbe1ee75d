/** Tiny real inputs for the render tests: sharp stills, espeak-ng narration, tone clips. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { renderInput, type RenderInput } from '../../../plugins/video/render-schema.js';
import { withDefaults } from '../../helpers/inputs.js';

export function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'mpv2-video-'));
  mkdirSync(join(root, 'in'), { recursive: true });
  return root;
}

const PALETTE = [['#1e3a8a', '#38bdf8'], ['#7c2d12', '#fb923c'], ['#14532d', '#4ade80'], ['#581c87', '#e879f9'], ['#0f172a', '#94a3b8']];

/** A still with a gradient, a circle and stripes (so motion and crops are visible). */
export async function makeImage(file: string, i: number, width = 1080, height = 1920): Promise<string> {
  const [a, b] = PALETTE[i % PALETTE.length]!;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    ${Array.from({ length: 12 }, (_, k) => `<rect x="0" y="${k * height / 12}" width="${width}" height="${height / 48}" fill="#ffffff" opacity="0.12"/>`).join('')}
    <circle cx="${width / 2}" cy="${height * 0.4}" r="${Math.min(width, height) / 4}" fill="#ffffff" opacity="0.35"/>
  </svg>`;
  await sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toFile(file);
  return file;
}

/** espeak-ng narration as WAV (22050 Hz mono). */
export function makeNarration(file: string, text: string): string {
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '170', '-w', file, text]);
  return file;
}

/** A sine tone with pauses: `pattern` gives [start, end] seconds of sound within `total`. */
export function makeTonePattern(file: string, total: number, pattern: Array<[number, number]>): string {
  const cond = pattern.map(([s, e]) => `between(t,${s},${e})`).join('+');
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i',
    `aevalsrc='0.4*sin(2*PI*220*t)*(${cond}):s=48000:d=${total}'`, '-ac', '1', file]);
  return file;
}

export function makeSilence(file: string, seconds: number): string {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `anullsrc=r=22050:cl=mono`, '-t', String(seconds), file]);
  return file;
}

export function makeClip(file: string, seconds: number): string {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=640x360:r=25:d=${seconds}`, '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', file]);
  return file;
}

/** Evenly spread word timings over [0, total] for a list of words. */
export function spreadWords(words: string[], total: number): Array<{ text: string; start: number; end: number }> {
  const step = total / words.length;
  return words.map((text, i) => ({ text, start: +(i * step).toFixed(3), end: +((i + 0.85) * step).toFixed(3) }));
}

/** A video.render input as `run` gets it: the schema's defaults filled, as the engine fills them. */
export function baseInput(over: Record<string, unknown>): RenderInput {
  return withDefaults(renderInput, { images: [], ...over });
}

