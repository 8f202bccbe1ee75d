import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { mpv2Error } from '../errors.js';

export interface Sandbox {
  /** The project root (absolute, real path). */
  root: string;
  /** Extra folders paths may point into (`paths.allow` in the config). */
  allow?: string[];
}

function isInside(dir: string, p: string): boolean {
  const rel = relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(`..${sep}`));
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest. */
function realish(p: string): string {
  let cur = p;
  const rest: string[] = [];
  while (!existsSync(cur)) {
    const parent = dirname(cur);
    if (parent === cur) return p;
    rest.unshift(cur.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
    cur = parent;
  }
  return resolve(realpathSync(cur), ...rest);
}

/**
 * Resolves `p` against `base` and refuses anything outside the sandbox: `../` escapes,
 * absolute paths elsewhere and symlinks that lead out.
 */
export function resolveInside(sandbox: Sandbox, base: string, p: string, field = 'path'): string {
  if (typeof p !== 'string' || p.length === 0) {
    throw mpv2Error('E_INPUT_INVALID', `expected \`${field}\` to be a non-empty path, got ${JSON.stringify(p)}`);
  }
  if (p.includes('\0')) throw mpv2Error('E_INPUT_INVALID', `\`${field}\` contains a NUL byte`);
  const abs = resolve(base, p);
  const roots = [sandbox.root, ...(sandbox.allow ?? [])].map((r) => realish(resolve(r)));
  const real = realish(abs);
  if (!roots.some((r) => isInside(r, real))) {
    const how = isInside(roots[0]!, abs) ? 'through a symbolic link ' : '';
    throw mpv2Error('E_PATH_OUTSIDE_ROOT', `\`${field}\` "${p}" leads ${how}outside the project folder ${sandbox.root}`, {
      hint: 'keep files inside the project, or list the folder under `paths.allow` in the config',
    });
  }
  return abs;
}

/** A path relative to the root for storing in the journal; absolute when outside it. */
export function toRootRelative(root: string, p: string): string {
  return isInside(root, p) ? relative(root, p) || '.' : p;
}
