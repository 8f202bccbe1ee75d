// Inputs for the render benchmark: 12 photo-like stills (gradient, shapes, film grain),
// espeak-ng narration of a given length, and word timings spread over the speech.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

const HUES = [210, 20, 140, 280, 50, 180, 330, 100, 240, 0, 160, 300];

export async function makeStills(dir, count = 12) {
  mkdirSync(dir, { recursive: true });
  const files = [];
  for (let i = 0; i < count; i++) {
    const file = join(dir, `still-${String(i).padStart(2, '0')}.jpg`);
    files.push(file);
    if (existsSync(file)) continue;
    const h = HUES[i % HUES.length];
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="1920">
      <defs><radialGradient id="g" cx="${30 + (i * 7) % 40}%" cy="${35 + (i * 11) % 30}%" r="90%">
        <stop offset="0" stop-color="hsl(${h},70%,70%)"/><stop offset="1" stop-color="hsl(${(h + 40) % 360},60%,18%)"/></radialGradient></defs>
      <rect width="100%" height="100%" fill="url(#g)"/>
      ${Array.from({ length: 14 }, (_, k) => `<circle cx="${(k * 173 + i * 97) % 1080}" cy="${(k * 311 + i * 53) % 1920}" r="${40 + (k * 37) % 160}" fill="hsl(${(h + k * 25) % 360},65%,${35 + (k * 7) % 40}%)" opacity="0.55"/>`).join('')}
      <path d="M0 ${1400 + i * 10} Q 540 ${1200 - i * 15} 1080 ${1450} L1080 1920 L0 1920 Z" fill="hsl(${(h + 180) % 360},40%,22%)" opacity="0.8"/>
    </svg>`;
    const grain = await sharp({ create: { width: 1080, height: 1920, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 28 } } }).blur(0.8).png().toBuffer();
    await sharp(Buffer.from(svg)).composite([{ input: grain, blend: 'soft-light' }]).jpeg({ quality: 88 }).toFile(file);
  }
  return files;
}

const SENTENCES = [
  'The ocean covers more than seventy percent of our planet, yet most of it remains unexplored.',
  'Deep below the surface, creatures glow in the dark to find food and to confuse their predators.',
  'Some whales sing songs that travel for hundreds of kilometres through the cold water.',
  'Coral reefs are home to a quarter of all marine species, although they cover a tiny part of the sea floor.',
  'Every second breath you take comes from oxygen made by tiny plants drifting in the ocean.',
  'Scientists still discover new species on almost every deep sea expedition.',
];

/** espeak-ng narration of about `seconds` (trimmed to exactly that), as 22 kHz mono WAV, plus word timings. */
export function makeNarration(dir, seconds) {
  const file = join(dir, `narration-${seconds}s.wav`);
  const words = [];
  let text = '';
  // espeak-ng at 165 wpm speaks about 2.6 words a second
  while (text.split(' ').length < seconds * 2.9) text += SENTENCES[words.length++ % SENTENCES.length] + ' ';
  if (!existsSync(file)) {
    const raw = join(dir, `narration-${seconds}s.raw.wav`);
    execFileSync('espeak-ng', ['-v', 'en-us', '-s', '165', '-w', raw, text], { maxBuffer: 1 << 28 });
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', raw, '-t', String(seconds), '-af', 'apad', '-ar', '22050', file]);
  }
  const list = text.trim().split(/\s+/);
  const per = seconds / list.length;
  return { file, words: list.map((w, i) => ({ text: w, start: +(i * per).toFixed(3), end: +((i + 0.9) * per).toFixed(3) })) };
}
