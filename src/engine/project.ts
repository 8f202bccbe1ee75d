/** Everything a command needs about the project: root, config, plugins, state, redactor. */
import { findProjectRoot } from '../config/project.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { namespaceEnv, namespaceSchemas } from '../config/namespaces.js';
import { isCoreVariable, readEnvironment } from '../config/env.js';
import { BASE_KEYS } from '../config/schema.js';
import { Redactor } from '../infra/redact.js';
import { openState, type State } from '../infra/state.js';
import type { JSONSchema } from '../plugin/types.js';
import { PluginRegistry } from '../plugin/registry.js';

export interface Project {
  root: string;
  /** Replaced by `refreshConfig()` in a lazy project once the pipeline's plugins are loaded. */
  config: LoadedConfig;
  registry: PluginRegistry;
  redactor: Redactor;
  /** Opened on first use. */
  state(): State;
  /**
   * Lazy projects: reloads the config with the config schemas of every plugin loaded so far
   * (call it after resolving a pipeline). A no-op when nothing new was loaded. `secrets`: the
   * names the pipeline reads as `secrets.NAME`; one not known yet may be a variable a namespace
   * the pipeline does not use declares (`secrets.PEXELS_API_KEY` in an http.request header), so
   * every built-in namespace is loaded to learn their variables.
   */
  refreshConfig(opts?: { secrets?: string[] }): Promise<void>;
  /** Whether the environment (or `.env`) sets `name`: a variable set for a namespace not loaded is still not another plugin's to read. */
  envHas(name: string): boolean;
  close(): void;
}

export interface ProjectOptions {
  cwd: string;
  project?: string;
  env?: NodeJS.ProcessEnv;
  /** Config values from flags, by dotted path. */
  flags?: Record<string, unknown>;
  /**
   * Load built-in plugin namespaces only when a pipeline uses them (run, resume, validate,
   * plan): start-up then skips importing every plugin module. Namespaces the config sets
   * values for are loaded anyway, so their sections are validated and their secrets known.
   * @default false
   */
  lazyPlugins?: boolean;
}

export async function openProject(o: ProjectOptions): Promise<Project> {
  const root = findProjectRoot(o.cwd, o.project);
  // third-party plugins come from the config, whose plugin sections they validate: read the list first
  const first = await loadConfig({ cwd: o.cwd, root, env: o.env, flags: o.flags, openNamespaces: true });
  const registry = await PluginRegistry.create({ root, configPlugins: first.values.plugins });
  const sections = Object.keys(first.values).filter((k) => !BASE_KEYS.includes(k) && k !== '$schema');
  const configuresPlugins = sections.length > 0;
  if (!o.lazyPlugins) await registry.loadAll();
  // a lazy project loads just the built-in namespaces its config has sections for (so they are
  // validated); the rest load when a pipeline uses them
  else for (const ns of sections) await registry.loadBuiltinNamespace(ns);
  const load = async () => {
    const { env, problems } = namespaceEnv(registry.namespaces().map((n) => n.def));
    // a plugin's declared secrets (`secrets: ['X_BEARER_TOKEN']`) are read from the environment
    // too, whether or not the namespace that owns the variable is loaded in this run
    for (const p of registry.all()) for (const v of p.def.secrets ?? []) if (!v.includes('.') && !isCoreVariable(v) && !env.secrets.includes(v)) env.secrets.push(v);
    const loaded = await loadConfig({ cwd: o.cwd, root, env: o.env, flags: o.flags, pluginSchemas: pluginSchemas(registry), pluginEnv: env });
    loaded.warnings.push(...problems);
    return loaded;
  };
  let loadedCount = registry.all().length;
  const redactor = new Redactor();
  // a lazy project with no plugin settings and nothing loaded yet: the first read already is the config
  const config = o.lazyPlugins && !configuresPlugins && loadedCount === 0 ? first : await load();
  // said once, where config warnings are said: a package's plugins under a built-in namespace were ignored
  config.warnings.push(...registry.refused.map((r) => r.message));
  const project: Project = {
    root, config, registry, redactor,
    envHas: (name) => name in readEnvironment(root, o.env ?? process.env).vars,
    state: () => (state ??= openState(root)),
    close: () => state?.close(),
    async refreshConfig(opts = {}) {
      if ((opts.secrets ?? []).some((n) => !n.includes('.') && !(n in project.config.secrets))) await registry.loadAll();
      await loadUsedNamespaces(registry);
      if (registry.all().length === loadedCount) return;
      loadedCount = registry.all().length;
      project.config = await load();
      redactor.addAll(project.config.secrets);
    },
  };
  redactor.addAll(project.config.secrets);
  let state: State | undefined;
  return project;
}

/**
 * The namespaces the loaded plugins declare in `uses` (their services run with their own config
 * section), loaded too, transitively, so that section is validated and filled with its defaults
 * like the pipeline's own namespaces' (tts.speak calls captions, which calls tts).
 */
async function loadUsedNamespaces(registry: PluginRegistry): Promise<void> {
  const seen = new Set<string>();
  for (;;) {
    const loaded = new Set(registry.all().map((p) => p.def.id.split('.')[0]!));
    const missing = [...new Set(registry.all().flatMap((p) => p.def.uses ?? []))].filter((ns) => !loaded.has(ns) && !seen.has(ns));
    if (missing.length === 0) return;
    for (const ns of missing) {
      seen.add(ns);
      await registry.loadBuiltinNamespace(ns);
    }
  }
}

/** One config section per plugin namespace: the namespace's declared schema, else its plugins' `config`, else an open object. */
export function pluginSchemas(registry: PluginRegistry): Record<string, JSONSchema> {
  const out: Record<string, JSONSchema> = namespaceSchemas(registry.all().map((p) => p.def), registry.namespaces().map((n) => n.def)).schemas;
  for (const ns of [...registry.all().map((p) => p.def.id.split('.')[0]!), ...registry.namespaces().map((n) => n.def.namespace)]) {
    if (!out[ns] && !BASE_KEYS.includes(ns)) out[ns] = { type: 'object', description: `Settings of the ${ns}.* plugins.`, additionalProperties: true };
  }
  return out;
}
