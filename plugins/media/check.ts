/** `mpv2 doctor` for media: sharp and its libvips, the display font, and which providers have keys. */
import type { CheckContext, CheckResult } from 'mpv2/plugin';
import { loadSharp } from 'mpv2/plugin';
import { displayFont } from './generate/fonts.js';
import { readSettings } from './settings.js';

export async function checkMedia(ctx: CheckContext): Promise<CheckResult[]> {
  const s = readSettings(ctx);
  const font = displayFont();
  const sharp = await loadSharp();
  const results: CheckResult[] = [
    { name: 'media: sharp', ok: true, level: 'ok', message: `sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}` },
    font.file?.includes('Montserrat')
      ? { name: 'media: generate font', ok: true, level: 'ok', message: `${font.family} (${font.file})` }
      : { name: 'media: generate font', ok: true, level: 'warn', message: `${font.family}: Montserrat was not found`, hint: 'npm install @expo-google-fonts/montserrat' },
  ];
  const keyed: Array<[string, string | undefined, string]> = [
    ['pexels', s.pexels.apiKey, 'PEXELS_API_KEY'],
    ['pixabay', s.pixabay.apiKey, 'PIXABAY_API_KEY'],
    ['openai-images', s.openai.apiKey, 'OPENAI_API_KEY'],
  ];
  for (const [name, key, env] of keyed) {
    results.push(key
      ? { name: `media: ${name}`, ok: true, level: 'ok', message: 'API key configured' }
      : { name: `media: ${name}`, ok: true, level: 'warn', message: 'no API key: this provider is unavailable (generate and local work offline)', hint: `set ${env}` });
  }
  return results;
}
