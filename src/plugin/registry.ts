/**
 * Finds plugins: built-ins (loaded by namespace on first use, through the same path as
 * third-party modules), `mpv2-plugin-*` / `@scope/mpv2-plugin-*` packages in the project's
 * node_modules, and packages or paths listed under `plugins:` in the config.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mpv2Error, Mpv2Error } from '../errors.js';
import { closest } from '../infra/suggest.js';
import { importPluginModule, packageEntry, type ModuleSource } from './load-module.js';
import type { LoadedPlugin, NamespaceDef } from './types.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const EXT = extname(fileURLToPath(import.meta.url));
/** Built-in namespaces; each is `plugins/<ns>/index` beside `src/`. */
export const BUILTIN_NAMESPACES = ['core', 'file', 'http', 'llm', 'tts', 'captions', 'media', 'video', 'outreach', 'youtube', 'twitter', 'afm', 'instagram', 'facebook', 'tiktok', 'bluesky'] as const;
const NAMESPACE_FOLDER: Record<string, string> = { file: 'core', http: 'core', instagram: 'meta', facebook: 'meta' };
/** A built-in step that needs no settings, for hints that show what `uses:` looks like. */
export const EXAMPLE_PLUGIN = 'core.log';

export interface BrokenPlugin {
  source: string;
  error: Mpv2Error;
}

/** A plugin a package offered under a built-in namespace: not registered, so `core.set` stays mpv2's. */
export interface RefusedPlugin {
  id: string;
  /** The package name, or the path as written in the config. */
  source: string;
  message: string;
}

export function isBuiltinNamespace(ns: string): boolean {
  return (BUILTIN_NAMESPACES as readonly string[]).includes(ns);
}

/** A namespace's contributions with where they came from. */
export interface LoadedNamespace {
  def: NamespaceDef;
  /** `builtin`, a package name, or a local path. */
  source: string;
}

export class PluginRegistry {
  private readonly loaded = new Map<string, LoadedPlugin[]>(); // id → candidates
  private readonly declared = new Map<string, LoadedNamespace>(); // namespace → its contributions
  /** One load per module; concurrent resolves wait for the same load. */
  private readonly loadedSources = new Map<string, Promise<void>>();
  readonly broken: BrokenPlugin[] = [];
  readonly refused: RefusedPlugin[] = [];

  private constructor(private readonly root: string) {}

  /** Discovers third-party plugins (loaded now); built-ins load on first use. */
  static async create(opts: { root: string; configPlugins?: string[] }): Promise<PluginRegistry> {
    const reg = new PluginRegistry(opts.root);
    for (const src of [...discoverPackages(opts.root), ...(opts.configPlugins ?? []).map((p) => configSource(opts.root, p))]) {
      await reg.loadSource(src);
    }
    return reg;
  }

  private loadSource(src: ModuleSource): Promise<void> {
    const id = src.file ?? src.label;
    let loading = this.loadedSources.get(id);
    if (!loading) {
      loading = this.importSource(src);
      this.loadedSources.set(id, loading);
    }
    return loading;
  }

  private async importSource(src: ModuleSource): Promise<void> {
    try {
      const mod = await importPluginModule(src);
      for (const n of mod.namespaces) {
        const ns = n.def.namespace;
        if (!src.builtin && isBuiltinNamespace(ns)) {
          this.refused.push({ id: ns, source: src.label, message: `${src.label} declares the namespace "${ns}", which belongs to mpv2's built-in plugins: its contributions are ignored` });
          continue;
        }
        const prev = this.declared.get(ns);
        if (prev && prev.source !== n.source) {
          this.refused.push({ id: ns, source: src.label, message: `${src.label} declares the namespace "${ns}", already declared by ${prev.source}: its contributions are ignored` });
          continue;
        }
        this.declared.set(ns, n);
      }
      for (const p of mod.plugins) {
        const ns = p.def.id.split('.')[0]!;
        if (!src.builtin && isBuiltinNamespace(ns)) {
          this.refused.push({
            id: p.def.id, source: src.label,
            message: `${src.label} offers "${p.def.id}", but the ${ns}.* namespace belongs to mpv2's built-in plugins: it is ignored (pipelines using ${p.def.id} get the built-in one)`,
          });
          continue;
        }
        const list = this.loaded.get(p.def.id) ?? [];
        if (!list.some((x) => x.source === p.source)) list.push(p);
        this.loaded.set(p.def.id, list);
      }
    } catch (e) {
      this.broken.push({ source: src.label, error: e instanceof Mpv2Error ? e : mpv2Error('E_PLUGIN_LOAD', String(e), { cause: e }) });
    }
  }

  /** Loads one built-in namespace (a no-op for names that are not built-in). */
  async loadBuiltinNamespace(ns: string): Promise<void> {
    const folder = NAMESPACE_FOLDER[ns] ?? ns;
    const file = join(HERE, '..', '..', 'plugins', folder, `index${EXT}`);
    if (!existsSync(file)) return;
    await this.loadSource({ label: 'builtin', file, builtin: true });
  }

  /** Loads every built-in namespace (for `plugins list`, `doctor`, config schema). */
  async loadAll(): Promise<void> {
    for (const ns of BUILTIN_NAMESPACES) await this.loadBuiltinNamespace(ns);
  }

  /** Namespaces loaded so far that declare contributions, by name. */
  namespaces(): LoadedNamespace[] {
    return [...this.declared.values()].sort((a, b) => a.def.namespace.localeCompare(b.def.namespace));
  }

  /** One namespace's contributions, loading it if it is built-in. */
  async namespace(ns: string): Promise<LoadedNamespace | undefined> {
    if (isBuiltinNamespace(ns)) await this.loadBuiltinNamespace(ns);
    return this.declared.get(ns);
  }

  all(): LoadedPlugin[] {
    return [...this.loaded.values()].flat().sort((a, b) => a.def.id.localeCompare(b.def.id));
  }

  /** Resolves `uses:`: a bare id, or `package/id` (split at the last `/`). */
  async resolve(uses: string): Promise<LoadedPlugin> {
    const slash = uses.lastIndexOf('/');
    const pkg = slash > 0 ? uses.slice(0, slash) : undefined;
    const id = slash > 0 ? uses.slice(slash + 1) : uses;
    const ns = id.split('.')[0]!;
    if (isBuiltinNamespace(ns)) await this.loadBuiltinNamespace(ns);
    let candidates = this.loaded.get(id) ?? [];
    if (pkg) candidates = candidates.filter((c) => c.packageName === pkg || c.source === pkg);
    if (candidates.length === 1) return candidates[0]!;
    if (candidates.length > 1) {
      throw mpv2Error('E_PLUGIN_AMBIGUOUS', `plugin id "${id}" is provided by ${candidates.map((c) => c.source).join(' and ')}`, {
        hint: `write \`uses: <package>/${id}\` to pick one, e.g. \`uses: ${candidates.find((c) => c.packageName)?.packageName ?? 'package'}/${id}\``,
      });
    }
    const refused = this.refused.find((r) => r.id === id && (!pkg || r.source === pkg));
    if (pkg && refused) throw mpv2Error('E_PLUGIN_NOT_FOUND', refused.message, { hint: `write \`uses: ${id}\` for the built-in plugin` });
    await this.loadAll();
    const near = closest(id, this.loaded.keys());
    const broken = this.broken.length ? ` ${this.broken.length} plugin module(s) failed to load: ${this.broken.map((b) => b.source).join(', ')}.` : '';
    throw mpv2Error('E_PLUGIN_NOT_FOUND', `unknown plugin "${uses}"${near ? ` (did you mean "${near}"?)` : ''}.${broken}`, {
      hint: pkg ? `is ${pkg} installed in this project? \`mpv2 plugins list\` shows what is available` : '`mpv2 plugins list` shows the available plugins',
    });
  }
}

function discoverPackages(root: string): ModuleSource[] {
  const nm = join(root, 'node_modules');
  if (!existsSync(nm)) return [];
  const out: ModuleSource[] = [];
  for (const name of readdirSync(nm)) {
    if (name.startsWith('mpv2-plugin-')) out.push(packageSource(join(nm, name), name));
    else if (name.startsWith('@')) {
      let scoped: string[] = [];
      try { scoped = readdirSync(join(nm, name)); } catch { /* not a folder */ }
      for (const s of scoped) if (s.startsWith('mpv2-plugin-')) out.push(packageSource(join(nm, name, s), `${name}/${s}`));
    }
  }
  return out;
}

function packageSource(dir: string, name: string): ModuleSource {
  return { label: name, packageName: name, file: packageEntry(dir), packageDir: dir };
}

function configSource(root: string, spec: string): ModuleSource {
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const abs = join(spec.startsWith('/') ? '' : root, spec);
    const file = existsSync(join(abs, 'package.json')) ? packageEntry(abs) : abs;
    return { label: spec, file, packageDir: existsSync(join(abs, 'package.json')) ? abs : undefined };
  }
  const dir = join(root, 'node_modules', spec);
  return { label: spec, packageName: spec, file: existsSync(dir) ? packageEntry(dir) : undefined, packageDir: dir };
}
