/**
 * The project root: the nearest folder, from the current one upwards, that holds a config
 * file, a `package.json` or a `.mpv2/` folder. `.mpv2/`, plugin discovery and the path
 * sandbox are anchored there.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { mpv2Error } from '../errors.js';

/** Config file names, in the order they are looked for in one folder (package.json#mpv2 first). */
export const CONFIG_FILE_NAMES = [
  'package.json',
  '.mpv2rc',
  '.mpv2rc.json',
  '.mpv2rc.yaml',
  '.mpv2rc.yml',
  '.mpv2rc.js',
  '.mpv2rc.mjs',
  '.mpv2rc.cjs',
  'mpv2.config.js',
  'mpv2.config.mjs',
  'mpv2.config.cjs',
] as const;

/** The names that mark a project root (a package.json marks one even without an `mpv2` key). */
const MARKERS = [...CONFIG_FILE_NAMES, '.mpv2'];

function isDir(p: string): boolean {
  try { return statSync(p).isDirectory(); } catch { return false; }
}

/**
 * The project root for `cwd` as a real path; `override` (`--project <dir>`) wins and must
 * be an existing folder. With no marker anywhere above, `cwd` itself.
 */
export function findProjectRoot(cwd: string, override?: string): string {
  if (override !== undefined) {
    const dir = resolve(cwd, override);
    if (!isDir(dir)) {
      throw mpv2Error('E_USAGE', `--project ${override}: ${dir} is not a folder`, { hint: 'pass the folder that holds your pipelines and .mpv2rc' });
    }
    return realpathSync(dir);
  }
  const start = realpathSync(resolve(cwd));
  let dir = start;
  for (;;) {
    if (MARKERS.some((m) => (m === '.mpv2' ? isDir(join(dir, m)) : existsSync(join(dir, m))))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
}
