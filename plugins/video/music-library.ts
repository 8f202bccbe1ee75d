/**
 * A music library by mood: `<dir>/<mood>/<track>` with a licence sidecar next to each track
 * (`<track>.license.json` — { title, author, license, url } — or `<track>.license.txt`). The
 * sidecar's text is the attribution the render hands back, so a track without one is skipped
 * (with a warning): a library never puts music of unknown licence into a video.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { mpv2Error } from 'mpv2/plugin';

export const AUDIO = /\.(m4a|mp3|ogg|oga|opus|wav|flac|aac)$/i;

/** The moods of a library: its subfolders holding at least one audio file. */
export function moodsIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && readdirSync(join(dir, e.name)).some((f) => AUDIO.test(f)))
    .map((e) => e.name)
    .sort();
}

/** The folder of `mood` in the library `dir`; an unknown mood is an error naming the moods there. */
export function moodFolder(dir: string, mood: string): string {
  // the mood may come from an LLM (`${{ steps.script.outputs.mood }}`): " Calm\n" means calm
  const want = mood.trim().toLowerCase();
  const moods = moodsIn(dir);
  const found = moods.find((m) => m.toLowerCase() === want);
  if (!found) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `music mood "${mood}" is not in ${dir}: ${moods.length ? `moods there: ${moods.join(', ')}` : 'it has no mood folders with audio files'}`, {
      hint: 'use one of those moods, or add a folder `<dir>/<mood>/` with tracks and their .license.json sidecars; to let the script choose, have its LLM step output a mood and pass it on: `mood: ${{ steps.script.outputs.data.mood }}`',
    });
  }
  return join(dir, found);
}

/** The attribution text of a track's licence sidecar, or undefined when it has none. */
export function readLicense(track: string): string | undefined {
  const json = `${track}.license.json`;
  const txt = `${track}.license.txt`;
  if (existsSync(json) && statSync(json).isFile()) {
    let l: Record<string, unknown>;
    try {
      l = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw mpv2Error('E_PLUGIN_INPUT_INVALID', `${json}: not valid JSON (${(e as Error).message})`, { hint: 'write { "title", "author", "license", "url" }' });
    }
    const s = (k: string) => (typeof l[k] === 'string' && (l[k] as string).trim() ? (l[k] as string).trim() : undefined);
    if (!s('license')) throw mpv2Error('E_PLUGIN_INPUT_INVALID', `${json}: \`license\` is missing`, { hint: 'name the licence, e.g. "CC BY 4.0"' });
    return [`"${s('title') ?? track.split('/').pop()}"`, s('author') && `by ${s('author')}`, `— ${s('license')}`, s('url')].filter(Boolean).join(' ');
  }
  if (existsSync(txt) && statSync(txt).isFile()) {
    const t = readFileSync(txt, 'utf8').trim();
    return t || undefined;
  }
  return undefined;
}
