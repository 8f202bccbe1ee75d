/**
 * `loadConfig`: defaults < config file < environment (.env, then process env) < flags,
 * validated against the base schema plus the plugin sections, with the origin of every
 * value and every secret collected for the redactor.
 */
import { realpathSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { mpv2Error } from '../errors.js';
import type { JSONSchema } from '../plugin/types.js';
import { closest as didYouMean } from '../infra/suggest.js';
import { envEntries, envSecrets, readEnvironment, type PluginEnv } from './env.js';
import { findConfigFile } from './file.js';
import { LayeredConfig, leaves, splitPath } from './merge.js';
import { buildConfigSchema } from './schema.js';
import { collectDefaults, collectWriteOnly, declaredKeys, isPlainObject, resolvePathValues, schemaAt } from './schema-walk.js';
import type { LoadedConfig, Mpv2Config, Mpv2UserConfig } from './types.js';
import { configError, findProblems } from './validate.js';

export { parseEnvValue } from './env.js';
export type { LoadedConfig, Mpv2Config, Mpv2UserConfig } from './types.js';

/** Identity helper for typed JS config files: `export default defineConfig({ log: { level: 'debug' } })`. */
export function defineConfig<T extends Mpv2UserConfig>(config: T): T {
  return config;
}

export interface LoadConfigOptions {
  /** Where the command runs; the config file is searched from here up to `root`. */
  cwd: string;
  /** The project root (see `findProjectRoot`). */
  root: string;
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Values from the command line, by dotted path (`{ 'log.level': 'debug' }`). */
  flags?: Record<string, unknown>;
  /** Plugin namespace → its config schema (the `config` of its plugins). */
  pluginSchemas?: Record<string, JSONSchema>;
  /** The environment variables the loaded plugin namespaces declare (see `namespaceEnv`). */
  pluginEnv?: PluginEnv;
  /** Accept any namespace section unchecked (a first read, before plugins are known). */
  openNamespaces?: boolean;
}

function real(p: string): string {
  try { return realpathSync(resolve(p)); } catch { return resolve(p); }
}

export async function loadConfig(opts: LoadConfigOptions): Promise<LoadedConfig> {
  const root = real(opts.root);
  const cwd = real(opts.cwd);
  const schema = buildConfigSchema(opts.pluginSchemas ?? {}, { openNamespaces: opts.openNamespaces });
  const layers = new LayeredConfig();
  const warnings: string[] = [];

  layers.apply({ ...collectDefaults(schema), concurrency: availableParallelism() }, 'default');

  const file = await findConfigFile(cwd, root);
  if (file) layers.apply(file.values, `file ${file.relative}`);

  const env = readEnvironment(root, opts.env ?? process.env);
  const topKeys = declaredKeys(schema);
  const hasPath = (p: string[]) => schemaAt(schema, p) !== undefined;
  for (const e of envEntries(env, schema, layers.values, hasPath, opts.pluginEnv)) {
    if (!topKeys.includes(e.path[0]!)) {
      const near = didYouMean(e.path[0]!, topKeys);
      warnings.push(`${e.variable} names no config setting ("${e.path.join('.')}")${near ? `; did you mean MPV2_${near.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}__…?` : ''}`);
      continue;
    }
    for (const [p, v] of isPlainObject(e.value) ? leaves(e.value, e.path) : [[e.path, e.value] as const]) layers.set([...p], v, e.origin);
  }

  for (const [key, value] of Object.entries(opts.flags ?? {})) {
    if (value === undefined) continue;
    const path = splitPath(key);
    if (path.length === 0) throw mpv2Error('E_USAGE', `empty config path in a flag (value ${JSON.stringify(value)})`);
    for (const [p, v] of isPlainObject(value) ? leaves(value, path) : [[path, value] as const]) layers.set([...p], v, 'flag');
  }

  const problems = findProblems({
    schema,
    values: layers.values,
    originOf: (p) => layers.originOf(p),
    locate: file?.positions ? (p, key) => file.positions!.locate(p, key) : undefined,
    file: file?.relative,
    fileAbs: file?.file,
  });
  if (problems.length > 0) throw configError(problems, { file: file?.relative, fileAbs: file?.file });

  // a path in the config means a file next to the config file that says it (the project root
  // for the environment, the folder the command runs in for a flag) — not next to each pipeline
  const configDir = file ? dirname(file.file) : root;
  resolvePathValues(schema, layers.values, (p) => {
    const origin = layers.originOf(p) ?? 'default';
    return origin === 'flag' ? cwd : origin.startsWith('file ') ? configDir : root;
  });
  const secrets = { ...collectWriteOnly(schema, layers.values), ...envSecrets(env, opts.pluginEnv) };
  return {
    root,
    file: file?.file,
    values: layers.values as Mpv2Config,
    origins: { ...layers.origins },
    secrets,
    warnings,
  };
}
