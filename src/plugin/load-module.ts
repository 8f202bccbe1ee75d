/** Imports one plugin module and checks the shape of what it exports. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mpv2Error } from '../errors.js';
import { provideSdkToPlugins } from './sdk-resolve.js';
import type { LoadedPlugin, NamespaceDef, PluginDef } from './types.js';

export interface ModuleSource {
  /** `builtin`, a package name, or the path as written in the config. */
  label: string;
  file?: string;
  packageName?: string;
  packageDir?: string;
  builtin?: boolean;
}

/** The entry file of a package: `exports["."]` (import/default), then `main`, then index.js. */
export function packageEntry(dir: string): string | undefined {
  let pkg: { main?: string; exports?: unknown };
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as typeof pkg;
  } catch {
    return undefined;
  }
  const pick = (e: unknown): string | undefined => {
    if (typeof e === 'string') return e;
    if (e && typeof e === 'object') {
      const o = e as Record<string, unknown>;
      return pick(o['.'] ?? o.import ?? o.node ?? o.default ?? o.require);
    }
    return undefined;
  };
  const rel = pick(pkg.exports) ?? pkg.main ?? 'index.js';
  return join(dir, rel);
}

const ID = /^[A-Za-z][\w-]*(\.[A-Za-z][\w-]*)+$/;

function checkShape(p: unknown, label: string): PluginDef {
  const d = p as Partial<PluginDef> | undefined;
  const problems: string[] = [];
  if (!d || typeof d !== 'object') problems.push('the export is not an object');
  else {
    if (typeof d.id !== 'string' || !ID.test(d.id)) problems.push(`\`id\` must look like "namespace.name" (got ${JSON.stringify(d.id)})`);
    if (typeof d.run !== 'function') problems.push('`run` must be a function');
    if (typeof d.version !== 'string') problems.push('`version` must be a string');
    if (d.input !== undefined && (typeof d.input !== 'object' || d.input === null)) problems.push('`input` must be a JSON Schema object');
  }
  if (problems.length) throw mpv2Error('E_PLUGIN_LOAD', `plugin from ${label} is malformed: ${problems.join('; ')}`, { plugin: d?.id });
  return d as PluginDef;
}

const NS = /^[A-Za-z][\w-]*$/;

function checkNamespace(n: unknown, label: string): NamespaceDef {
  const d = n as Partial<NamespaceDef> | undefined;
  const problems: string[] = [];
  if (!d || typeof d !== 'object') problems.push('the `namespace` export is not an object');
  else {
    if (typeof d.namespace !== 'string' || !NS.test(d.namespace)) problems.push(`\`namespace\` must be a name such as "acme" (got ${JSON.stringify(d.namespace)})`);
    if (d.config !== undefined && (typeof d.config?.schema !== 'object' || d.config.schema === null)) problems.push('`config.schema` must be a JSON Schema object');
    for (const code of Object.keys(d.errors ?? {})) {
      if (!code.startsWith(`${d.namespace}/`) || !/^[a-z][a-z0-9-]*\/[A-Z][A-Z0-9_]*$/.test(code)) problems.push(`error code "${code}" must be "${d.namespace}/<NAME>" (capitals)`);
    }
    for (const [name, c] of Object.entries(d.commands ?? {})) {
      if (!NS.test(name) || typeof c?.run !== 'function' || typeof c.summary !== 'string') problems.push(`command "${name}" needs a name of letters, digits and dashes, a \`summary\` and a \`run\` function`);
    }
  }
  if (problems.length) throw mpv2Error('E_PLUGIN_LOAD', `namespace from ${label} is malformed: ${problems.join('; ')}`);
  return d as NamespaceDef;
}

/** What one module brings: its plugins and the namespaces it declares (`export const namespace`). */
export interface LoadedModule {
  plugins: LoadedPlugin[];
  namespaces: Array<{ def: NamespaceDef; source: string }>;
}

export async function importPluginModule(src: ModuleSource): Promise<LoadedModule> {
  if (!src.file || !existsSync(src.file)) {
    throw mpv2Error('E_PLUGIN_LOAD', `plugin ${src.label} was not found${src.file ? ` at ${src.file}` : ''}`, {
      hint: src.packageName ? `install it: \`npm install ${src.packageName}\` (or \`mpv2 plugins install ${src.packageName}\`)` : 'check the path under `plugins:` in the config',
    });
  }
  let mod: { default?: unknown; namespace?: unknown };
  // the built-ins reach mpv2/plugin by self-reference; the hook (a loader thread) only for the others
  if (!src.builtin) provideSdkToPlugins();
  try {
    mod = (await import(pathToFileURL(src.file).href)) as { default?: unknown; namespace?: unknown };
  } catch (e) {
    throw mpv2Error('E_PLUGIN_LOAD', `plugin ${src.label} failed to load: ${(e as Error).message}`, { cause: e });
  }
  const exported = mod.default ?? (mod.namespace === undefined ? mod : []);
  const list = Array.isArray(exported) ? exported : [exported];
  const declared = mod.namespace === undefined ? [] : Array.isArray(mod.namespace) ? mod.namespace : [mod.namespace];
  const source = src.builtin ? 'builtin' : src.label;
  let version: string | undefined;
  if (src.packageDir) {
    try { version = (JSON.parse(readFileSync(join(src.packageDir, 'package.json'), 'utf8')) as { version?: string }).version; } catch { /* none */ }
  }
  return {
    plugins: list.map((p) => ({
      def: checkShape(p, src.label),
      source,
      packageName: src.packageName,
      ...(version ? { packageVersion: version } : {}),
    })),
    namespaces: declared.map((n) => ({ def: checkNamespace(n, src.label), source })),
  };
}
