/**
 * Picks the music bed: a file, or a seeded random pick from a folder, so the same seed
 * always gives the same track (and the step cache stays valid).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from 'mpv2/plugin';
import { mpv2Error } from 'mpv2/plugin';

const AUDIO = /\.(m4a|mp3|ogg|oga|opus|wav|flac|aac)$/i;

/** `check` re-checks a track picked from a project folder (a symlink there may lead anywhere). */
export function pickMusic(opts: { file?: string; dir?: string; seed: string | number; check?: (file: string) => string }): string {
  if (opts.file) {
    if (!existsSync(opts.file) || !statSync(opts.file).isFile()) throw mpv2Error('E_FILE', `music file ${opts.file} does not exist`);
    return opts.file;
  }
  if (!opts.dir) throw mpv2Error('E_PLUGIN_INPUT_INVALID', 'music needs `file` or `dir`');
  if (!existsSync(opts.dir) || !statSync(opts.dir).isDirectory()) throw mpv2Error('E_FILE', `music folder ${opts.dir} does not exist`);
  const files = readdirSync(opts.dir).filter((f) => AUDIO.test(f)).sort();
  if (files.length === 0) {
    throw mpv2Error('E_FILE', `music folder ${opts.dir} has no audio files`, { hint: 'add .m4a/.mp3/.ogg/.wav files, or use `music.dir: assets/music`' });
  }
  // first 8 hex digits of sha256(seed) as an unsigned integer: stable across platforms
  const n = parseInt(sha256(String(opts.seed)).slice(0, 8), 16);
  const picked = join(opts.dir, files[n % files.length]!);
  return opts.check ? opts.check(picked) : picked;
}
