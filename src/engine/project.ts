/** Everything a command needs about the project: root, config, plugins, state, redactor. */
import { findProjectRoot } from '../config/project.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { Redactor } from '../infra/redact.js';
import { openState, type State } from '../infra/state.js';
import type { JSONSchema } from '../plugin/types.js';
import { PluginRegistry } from '../plugin/registry.js';

export interface Project {
  root: string;
  config: LoadedConfig;
  registry: PluginRegistry;
  redactor: Redactor;
  /** Opened on first use. */
  state(): State;
  close(): void;
}

export interface ProjectOptions {
  cwd: string;
  project?: string;
  env?: NodeJS.ProcessEnv;
  /** Config values from flags, by dotted path. */
  flags?: Record<string, unknown>;
}

export async function openProject(o: ProjectOptions): Promise<Project> {
  const root = findProjectRoot(o.cwd, o.project);
  // third-party plugins come from the config, whose plugin sections they validate: read the list first
  const first = await loadConfig({ cwd: o.cwd, root, env: o.env, flags: o.flags, openNamespaces: true });
  const registry = await PluginRegistry.create({ root, configPlugins: first.values.plugins });
  await registry.loadAll();
  const config = await loadConfig({ cwd: o.cwd, root, env: o.env, flags: o.flags, pluginSchemas: pluginSchemas(registry) });
  const redactor = new Redactor();
  redactor.addAll(config.secrets);
  let state: State | undefined;
  return {
    root, config, registry, redactor,
    state: () => (state ??= openState(root)),
    close: () => state?.close(),
  };
}

/** One config section per plugin namespace, from the plugins' `config` schemas. */
export function pluginSchemas(registry: PluginRegistry): Record<string, JSONSchema> {
  const out: Record<string, JSONSchema> = {};
  for (const p of registry.all()) {
    const ns = p.def.id.split('.')[0]!;
    if (p.def.config && !out[ns]) out[ns] = p.def.config;
    else if (!out[ns]) out[ns] = { type: 'object', description: `Settings of the ${ns}.* plugins.`, additionalProperties: true };
  }
  return out;
}
