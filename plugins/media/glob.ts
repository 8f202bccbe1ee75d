/**
 * Lists the files a `path` input names: a folder (its files, not recursive) or a glob with
 * `*`, `?`, `**` and `{a,b}` (Node 20 has no fs.glob). Everything stays inside the folder the
 * glob starts from, which the caller has already checked with ctx.resolvePath.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export function hasMagic(p: string): boolean {
  return /[*?{[]/.test(p);
}

/** The longest leading part of the pattern without wildcards (a folder). */
export function globBase(pattern: string): string {
  const parts = pattern.split(/[\\/]/);
  const i = parts.findIndex((s) => hasMagic(s));
  return parts.slice(0, i === -1 ? parts.length : i).join('/') || '.';
}

export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        // `**/` matches zero or more folders
        re += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += pattern[i + 2] === '/' ? 2 : 1;
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '{') {
      const end = pattern.indexOf('}', i);
      if (end === -1) re += '\\{';
      else {
        re += `(?:${pattern.slice(i + 1, end).split(',').map(escape).join('|')})`;
        i = end;
      }
    } else re += escape(ch);
  }
  return new RegExp(`^${re}$`, 'i');
}

const escape = (s: string): string => s.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');

async function walk(dir: string, deep: boolean, out: string[]): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    // hidden folders and node_modules are never searched (.mpv2/, .git/ and packages are mpv2's or the tools')
    if (e.isDirectory() && deep && !e.name.startsWith('.') && e.name !== 'node_modules') await walk(p, deep, out);
    else if (e.isFile() || (e.isSymbolicLink() && (await stat(p).catch(() => undefined))?.isFile())) out.push(p);
  }
}

/** Absolute paths of the matching files, sorted. `base` is the absolute folder of `pattern`'s base. */
export async function listFiles(absBase: string, relPattern?: string): Promise<string[]> {
  const out: string[] = [];
  await walk(absBase, relPattern !== undefined && relPattern.includes('/'), out);
  if (relPattern === undefined) return out.sort();
  const re = globToRegExp(relPattern);
  return out.filter((p) => re.test(relative(absBase, p).split(sep).join('/'))).sort();
}
