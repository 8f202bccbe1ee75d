/**
 * Picks the music bed: a file, or a seeded random pick from a folder (or from one mood's folder
 * of a library, music-library.ts), so the same seed always gives the same track (and the step
 * cache stays valid). The pick carries the track's attribution from its licence sidecar.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from 'mpv2/plugin';
import { mpv2Error } from 'mpv2/plugin';
import { AUDIO, moodFolder, readLicense } from './music-library.js';

export interface MusicPick {
  file: string;
  /** The licence sidecar's text, when the track has one. */
  attribution?: string;
}

/** `check` re-checks a track picked from a project folder (a symlink there may lead anywhere). */
export function pickMusic(opts: { file?: string; dir?: string; mood?: string; seed: string | number; check?: (file: string) => string; warn?: (msg: string) => void }): MusicPick {
  if (opts.file && opts.mood !== undefined) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', 'music: `mood` picks from `dir`; with `file` there is nothing to pick', { hint: 'give `dir` (the library) and `mood`, or only `file`' });
  }
  if (opts.file) {
    if (!existsSync(opts.file) || !statSync(opts.file).isFile()) throw mpv2Error('E_FILE', `music file ${opts.file} does not exist`);
    return { file: opts.file, attribution: readLicense(opts.file) };
  }
  if (!opts.dir) throw mpv2Error('E_PLUGIN_INPUT_INVALID', 'music needs `file` or `dir`');
  if (!existsSync(opts.dir) || !statSync(opts.dir).isDirectory()) throw mpv2Error('E_FILE', `music folder ${opts.dir} does not exist`);
  const dir = opts.mood !== undefined ? moodFolder(opts.dir, opts.mood) : opts.dir;
  let files = readdirSync(dir).filter((f) => AUDIO.test(f)).sort();
  if (opts.mood !== undefined) {
    // a mood library promises licensed music: a track without a sidecar is never used
    const unlicensed = files.filter((f) => readLicense(join(dir, f)) === undefined);
    if (unlicensed.length) opts.warn?.(`music: skipped ${unlicensed.join(', ')} in ${dir}: no licence sidecar (<track>.license.json or .license.txt)`);
    files = files.filter((f) => !unlicensed.includes(f));
  }
  if (files.length === 0) {
    throw mpv2Error('E_FILE', `music folder ${dir} has no ${opts.mood !== undefined ? 'licensed ' : ''}audio files`, {
      hint: opts.mood !== undefined ? 'give each track a <track>.license.json sidecar { title, author, license, url }' : 'add .m4a/.mp3/.ogg/.wav files, or use `music.dir: builtin:music`',
    });
  }
  // first 8 hex digits of sha256(seed) as an unsigned integer: stable across platforms
  const n = parseInt(sha256(String(opts.seed)).slice(0, 8), 16);
  const picked = join(dir, files[n % files.length]!);
  const file = opts.check ? opts.check(picked) : picked;
  return { file, attribution: readLicense(picked) };
}
