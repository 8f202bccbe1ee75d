/**
 * `mpv2 plugins install <pkg>`: `npm install --ignore-scripts` in the project root (spawned
 * with an argument list, never through a shell), then loads the package and lists the plugins
 * it provides. Lifecycle scripts run only with `--allow-scripts`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mpv2Error } from '../../errors.js';
import { importPluginModule, packageEntry } from '../../plugin/load-module.js';
import { PluginRegistry } from '../../plugin/registry.js';
import { pluginRow, type PluginRow } from './plugins-report.js';

/** An npm package name, optionally with `@version` or `@range`/`@tag` (no spaces, no shell characters). */
const NPM_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const NPM_VERSION = /^[A-Za-z0-9.^~<>=*+_-]+$/;

export type InstallSpec =
  | { kind: 'package'; spec: string; name: string }
  | { kind: 'path'; spec: string; dir: string; name: string };

/** Checks what the user typed: an npm package name (with an optional version) or an existing local folder/tarball. */
export function parseInstallSpec(input: string, cwd: string): InstallSpec {
  const s = input.trim();
  if (s.startsWith('-')) throw mpv2Error('E_USAGE', `"${input}" looks like an option, not a package`, { hint: 'give an npm package name such as mpv2-plugin-example, or a local path such as ./my-plugin' });
  if (/^(\.{1,2}[\\/]|\/|file:)/.test(s) || s === '.' || s === '..') {
    const dir = resolve(cwd, s.replace(/^file:/, ''));
    if (!existsSync(dir)) throw mpv2Error('E_NOT_FOUND', `${s}: no such file or folder`, { hint: 'give the folder of a plugin package (with a package.json) or a .tgz made by `npm pack`' });
    if (statSync(dir).isDirectory()) {
      let name: unknown;
      try { name = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name; } catch { /* below */ }
      if (typeof name !== 'string' || !NPM_NAME.test(name)) {
        throw mpv2Error('E_USAGE', `${s} is not an npm package: its package.json is missing or has no valid "name"`, { hint: 'a local plugin file can be listed under `plugins:` in the config instead of installed' });
      }
      return { kind: 'path', spec: dir, dir, name };
    }
    if (!/\.t(ar\.)?gz$/.test(dir)) throw mpv2Error('E_USAGE', `${s} is neither a package folder nor a .tgz`, { hint: 'a local plugin file can be listed under `plugins:` in the config' });
    return { kind: 'path', spec: dir, dir, name: '' };
  }
  const at = s.lastIndexOf('@');
  const [name, version] = at > 0 ? [s.slice(0, at), s.slice(at + 1)] : [s, undefined];
  if (!NPM_NAME.test(name) || name.length > 214 || (version !== undefined && !NPM_VERSION.test(version))) {
    throw mpv2Error('E_USAGE', `"${input}" is not an npm package name or a local path`, {
      hint: 'package names are lower case, e.g. mpv2-plugin-example, @scope/mpv2-plugin-x or mpv2-plugin-example@^1.2; local paths start with ./ or /',
    });
  }
  return { kind: 'package', spec: s, name };
}

export interface NpmInstallOptions {
  npm?: string;
  signal?: AbortSignal;
  /**
   * Run the lifecycle scripts (preinstall, install, postinstall, prepare) of the package and its
   * dependencies. Off by default: installing a plugin runs no code; loading it later does.
   */
  allowScripts?: boolean;
}

/** The npm arguments: `--ignore-scripts` unless scripts are allowed; never through a shell. */
export function npmInstallArgs(spec: InstallSpec, allowScripts = false): string[] {
  return ['install', '--save', '--no-audit', '--no-fund', ...(allowScripts ? [] : ['--ignore-scripts']), spec.spec];
}

/** Runs `npm install --save <spec>` in `root` with the terminal attached; resolves with npm's exit code. */
export function npmInstall(root: string, spec: InstallSpec, opts: NpmInstallOptions = {}): Promise<number> {
  const npm = opts.npm ?? (process.platform === 'win32' ? 'npm.cmd' : 'npm');
  return new Promise((done, fail) => {
    const child = spawn(npm, npmInstallArgs(spec, opts.allowScripts), { cwd: root, stdio: 'inherit', shell: false, signal: opts.signal });
    child.on('error', (e) => fail(mpv2Error('E_DEPENDENCY_MISSING', `cannot run npm: ${e.message}`, { cause: e, hint: 'install Node.js with npm, or run `npm install` yourself' })));
    child.on('exit', (code, sig) => done(code ?? (sig ? 1 : 0)));
  });
}

/** Packages in the project's package-lock.json that have install scripts (npm's `hasInstallScript`). */
export function packagesWithInstallScripts(root: string): Set<string> {
  try {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages?: Record<string, { hasInstallScript?: boolean }> };
    return new Set(Object.entries(lock.packages ?? {}).filter(([, v]) => v.hasInstallScript).map(([k]) => k.replace(/^.*node_modules\//, '')));
  } catch {
    return new Set();
  }
}

/** The lifecycle scripts a package folder declares (the ones npm runs on install). */
export function lifecycleScripts(dir: string): string[] {
  try {
    const scripts = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, unknown> }).scripts ?? {};
    return ['preinstall', 'install', 'postinstall', 'prepare'].filter((s) => typeof scripts[s] === 'string');
  } catch {
    return [];
  }
}

export interface InstalledPlugins {
  name: string;
  plugins: PluginRow[];
  /** Found by discovery (`mpv2-plugin-*`); otherwise it must be listed under `plugins:` in the config. */
  discovered: boolean;
}

/** Loads the installed package from `<root>/node_modules/<name>` and lists its plugins. */
export async function loadInstalled(root: string, name: string): Promise<InstalledPlugins> {
  const dir = join(root, 'node_modules', name);
  const loaded = await importPluginModule({ label: name, packageName: name, file: packageEntry(dir), packageDir: dir });
  const base = name.split('/').pop() ?? name;
  // the built-ins too: a platform one of them brings is not the package's to read
  const builtins = await PluginRegistry.create({ root });
  await builtins.loadAll();
  const defs = [...builtins.all().filter((p) => p.source === 'builtin'), ...loaded.plugins].map((p) => p.def);
  return { name, plugins: loaded.plugins.map((p) => pluginRow(p, defs)), discovered: base.startsWith('mpv2-plugin-') };
}

/** The package name npm gave a tarball install: the dependency in package.json whose spec names the file. */
export function nameFromPackageJson(root: string, spec: string): string | undefined {
  try {
    const deps = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {};
    const base = spec.split(/[\\/]/).pop()!;
    return Object.entries(deps).find(([, v]) => v.includes(base))?.[0];
  } catch {
    return undefined;
  }
}
