import { existsSync, lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CONFIG_FILE_NAMES } from '../config/project.js';
import { mpv2Error } from '../errors.js';

export interface Sandbox {
  /** The project root (absolute, real path). */
  root: string;
  /** Extra folders paths may point into (`paths.allow` in the config). */
  allow?: string[];
}

/** What a step means to do with a path: read it, or create/replace it. */
export type PathAccess = 'read' | 'write';

function isInside(dir: string, p: string): boolean {
  const rel = relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(`..${sep}`));
}

/**
 * The real path of `p`, or of its nearest existing ancestor joined with the rest. A dangling
 * symbolic link is followed too: writing through it would create its target.
 */
function realish(p: string, depth = 0): string {
  let cur = p;
  const rest: string[] = [];
  while (!existsSync(cur)) {
    if (depth < 40 && isSymlink(cur)) return realish(resolve(dirname(cur), readlinkSync(cur), ...rest), depth + 1);
    const parent = dirname(cur);
    if (parent === cur) return p;
    rest.unshift(cur.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
    cur = parent;
  }
  return resolve(realpathSync(cur), ...rest);
}

function isSymlink(p: string): boolean {
  try { return lstatSync(p).isSymbolicLink(); } catch { return false; }
}

/**
 * Resolves `p` against `base` and refuses anything outside the sandbox: `../` escapes,
 * absolute paths elsewhere and symlinks that lead out.
 */
export function resolveInside(sandbox: Sandbox, base: string, p: string, field = 'path'): string {
  return inside(sandbox, base, p, field).abs;
}

function inside(sandbox: Sandbox, base: string, p: string, field: string): { abs: string; real: string; roots: string[] } {
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
  return { abs, real, roots };
}

// ---- mpv2's own files: what no step may read or write ----------------------------------

/** Lockfiles and package-manager settings: they decide what `npm install` fetches and runs. */
const PACKAGE_FILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock', '.npmrc', '.yarnrc', '.yarnrc.yml', '.pnpmfile.cjs'];
const CONFIG_NAMES = new Set<string>(CONFIG_FILE_NAMES.filter((n) => n !== 'package.json'));

/**
 * Why a file or folder with this name belongs to mpv2 (or to the tools that run it), or
 * undefined. Checked on every part of a path: each of these also marks a project root or is
 * read from nested folders (config files are searched from the current folder up), so a copy
 * in a subfolder is as dangerous as the one at the root.
 */
export function reservedName(name: string): string | undefined {
  if (name === '.mpv2') return 'it is an mpv2 state folder (journal, effect records, credentials, cache, logs)';
  if (name === 'node_modules') return 'packages there run as code on the next mpv2 or node command';
  if (name.startsWith('.env')) return 'environment files hold secrets';
  if (CONFIG_NAMES.has(name)) return 'it is an mpv2 config file (settings, plugins and secrets)';
  if (name === 'package.json' || PACKAGE_FILES.includes(name)) return 'it is a package manifest, lockfile or package-manager setting (what npm installs and runs)';
  if (name === '.git') return "it is git's own folder (its hooks run as code, its config may hold tokens)";
  return undefined;
}

/** The folder of the run's own artifacts, relative to the root: the one place under `.mpv2/` a step may write. */
function runFolder(runId: string | undefined): string[] | undefined {
  return runId ? ['.mpv2', 'runs', runId] : undefined;
}

/** Why `rel` (parts relative to a sandbox root) is refused for `access`, or undefined. */
function reservedReason(parts: string[], access: PathAccess, projectRoot: boolean, runId: string | undefined): string | undefined {
  // run artifacts: every step reads the outputs of earlier steps (and earlier runs, for
  // `run --from`); it writes only into its own run's folder, never into another run's history
  if (projectRoot && parts[0] === '.mpv2' && parts[1] === 'runs' && parts.length >= 3) {
    if (access === 'read') return undefined;
    const own = runFolder(runId);
    if (own && parts.length > 3 && parts[2] === own[2]) return undefined;
    return "it is inside another run's artifacts folder; a step writes only under its own run's folder (`run.dir`)";
  }
  for (const part of parts) {
    const why = reservedName(part);
    if (why) return why;
  }
  return undefined;
}

/** The reserved files at the root a hard link could point at (the ones that hold secrets or state). */
function protectedFiles(root: string): string[] {
  let names: string[] = [];
  try { names = readdirSync(root).filter((n) => reservedName(n) && n !== 'node_modules' && n !== '.git' && n !== '.mpv2'); } catch { /* none */ }
  const state = ['state.db', 'state.db-wal', 'state.db-shm', 'credentials.json'].map((n) => join(root, '.mpv2', n));
  return [...names.map((n) => join(root, n)), ...state];
}

/** The protected file `real` is a hard link to, if it is one. */
function hardLinkTarget(real: string, root: string): string | undefined {
  let st;
  try { st = statSync(real); } catch { return undefined; }
  if (!st.isFile() || st.nlink < 2) return undefined;
  for (const f of protectedFiles(root)) {
    try {
      const o = statSync(f);
      if (o.ino === st.ino && o.dev === st.dev && f !== real) return f;
    } catch { /* absent */ }
  }
  return undefined;
}

export interface StepPathOptions {
  /** @default 'read' */
  access?: PathAccess;
  /** The current run: its folder `.mpv2/runs/<runId>/` is writable. */
  runId?: string;
  field?: string;
}

/**
 * What `ctx.resolvePath` does: `resolveInside`, then refuses mpv2's own files however they
 * are named (`../`, an absolute path, a symbolic link, a hard link to a protected file):
 * `.mpv2/` (but for run artifacts), `node_modules/`, config files, `package.json`,
 * lockfiles, `.env*`, `.git/`.
 */
export function resolveStepPath(sandbox: Sandbox, base: string, p: string, o: StepPathOptions = {}): string {
  const field = o.field ?? 'path';
  const access = o.access ?? 'read';
  const { abs, real, roots } = inside(sandbox, base, p, field);
  for (const candidate of new Set([abs, real])) {
    // the project's own rules first (an allowed folder may hold the project); else the allowed folder's
    const i = roots.findIndex((r) => isInside(r, candidate));
    if (i < 0) continue;
    const rel = relative(roots[i]!, candidate);
    const why = rel === '' ? undefined : reservedReason(rel.split(sep), access, i === 0, o.runId);
    if (why) throw reserved(field, p, access, candidate, why);
  }
  const linked = hardLinkTarget(real, roots[0]!);
  if (linked) throw reserved(field, p, access, linked, 'it is a hard link to a file mpv2 keeps to itself');
  return abs;
}

function reserved(field: string, p: string, access: PathAccess, target: string, why: string) {
  return mpv2Error('E_PATH_RESERVED', `\`${field}\` "${p}" cannot be ${access === 'read' ? 'read' : 'written'}: ${target} is reserved (${why})`, {
    hint: 'pipelines read and write their own files; .mpv2/ (but for run artifacts), node_modules/, config files, package.json, lockfiles, .env* and .git/ are off limits (docs/security.md)',
    details: { path: target, access },
  });
}

/** A path relative to the root for storing in the journal; absolute when outside it. */
export function toRootRelative(root: string, p: string): string {
  return isInside(root, p) ? relative(root, p) || '.' : p;
}
