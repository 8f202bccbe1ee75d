/** `mpv2 doctor` for media: sharp and its libvips, and which providers have keys. (Generated stills carry no text, so media needs no font: scene titles are drawn by video.render.) */
import type { CheckContext, CheckResult } from 'mpv2/plugin';
import { loadSharp } from 'mpv2/plugin';
import { readSettings } from './settings.js';

export async function checkMedia(ctx: CheckContext): Promise<CheckResult[]> {
  const s = readSettings(ctx);
  const sharp = await loadSharp();
  const results: CheckResult[] = [
    { name: 'media: sharp', ok: true, level: 'ok', message: `sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}` },
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
