/** `mpv2 doctor` for media: sharp and its libvips, which providers have keys, and the library folder. (Generated stills carry no text, so media needs no font: scene titles are drawn by video.render.) */
import type { CheckContext, CheckResult } from 'mpv2/plugin';
import { loadSharp } from 'mpv2/plugin';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { globBase, hasMagic } from './glob.js';
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
  if (s.library) {
    // a library that is not there would make every run quietly fall back to the providers' pictures
    const folder = hasMagic(s.library) ? globBase(s.library) : s.library;
    const there = (await stat(resolve(ctx.root, folder)).catch(() => undefined))?.isDirectory();
    results.push(there
      ? { name: 'media: library', ok: true, level: 'ok', message: `${s.library} (searched before any provider)` }
      : { name: 'media: library', ok: false, level: 'error', message: `media.library "${s.library}": the folder ${folder} does not exist`, hint: 'create it inside the project, or remove media.library' });
  }
  return results;
}
