/**
 * Plugin namespaces → config schemas and environment variables, for
 * `loadConfig({ pluginSchemas, pluginEnv })`. A namespace's section comes from what it
 * declares (`export const namespace = defineNamespace({ config })`), else from its plugins'
 * `config` (every plugin of a namespace shares one schema); the namespace is the part of the
 * plugin id before the first dot.
 */
import { canonicalJson } from '../infra/hash.js';
import type { JSONSchema, NamespaceDef, PluginDef } from '../plugin/types.js';
import { isCoreVariable, type PluginEnv } from './env.js';
import { BASE_KEYS } from './schema.js';
import { schemaAt } from './schema-walk.js';

export interface NamespaceSchemas {
  schemas: Record<string, JSONSchema>;
  /** Plugins whose config schema differs from the first one seen in their namespace, or that use a reserved name; their schema is ignored. */
  conflicts: string[];
}

const reserved = (ns: string) => BASE_KEYS.includes(ns) || ns === '$schema';

export function namespaceSchemas(plugins: Iterable<Pick<PluginDef, 'id' | 'config'>>, declared: Iterable<NamespaceDef> = []): NamespaceSchemas {
  const schemas: Record<string, JSONSchema> = {};
  const firstBy: Record<string, string> = {};
  const conflicts: string[] = [];
  for (const n of declared) {
    if (!n.config) continue;
    if (reserved(n.namespace)) { conflicts.push(`namespace "${n.namespace}" is a reserved config key; its config schema is ignored`); continue; }
    schemas[n.namespace] = n.config.schema;
    firstBy[n.namespace] = `the ${n.namespace} namespace`;
  }
  for (const p of plugins) {
    if (!p.config) continue;
    const ns = p.id.split('.')[0]!;
    if (reserved(ns)) {
      conflicts.push(`${p.id}: namespace "${ns}" is a reserved config key; its config schema is ignored`);
      continue;
    }
    const prev = schemas[ns];
    if (!prev) { schemas[ns] = p.config; firstBy[ns] = p.id; continue; }
    if (prev !== p.config && canonicalJson(prev) !== canonicalJson(p.config)) {
      conflicts.push(`${p.id}: its config schema differs from ${firstBy[ns]}'s; the namespace "${ns}" uses ${firstBy[ns]}'s`);
    }
  }
  return { schemas, conflicts };
}

/**
 * The environment variables the namespaces declare, as full config paths, and which of them
 * are secrets by name (those that fill a `writeOnly` setting, and `config.secrets`). mpv2's own
 * variables (`MPV2_*`, REDIS_URL, FFMPEG_PATH) cannot be claimed by a namespace.
 */
export function namespaceEnv(declared: Iterable<NamespaceDef>): { env: PluginEnv; problems: string[] } {
  const env: PluginEnv = { paths: [], secrets: [] };
  const problems: string[] = [];
  for (const n of declared) {
    const c = n.config;
    if (!c || reserved(n.namespace)) continue;
    for (const [variable, path] of [...Object.entries(c.env ?? {}), ...(c.secrets ?? []).map((v) => [v, undefined] as const)]) {
      if (isCoreVariable(variable)) { problems.push(`the ${n.namespace} namespace maps ${variable}, one of mpv2's own variables: ignored`); continue; }
      if (path !== undefined) {
        env.paths.push({ variable, path: `${n.namespace}.${path}` });
        if (schemaAt(c.schema, path.split('.'))?.writeOnly !== true) continue;
      }
      if (!env.secrets.includes(variable)) env.secrets.push(variable);
    }
  }
  return { env, problems };
}
