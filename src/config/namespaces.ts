/**
 * Plugin namespaces → config schemas, for `loadConfig({ pluginSchemas })`. Every plugin of a
 * namespace shares one config schema (`plugins/<ns>/config.ts`); the namespace is the part
 * of the plugin id before the first dot.
 */
import { canonicalJson } from '../infra/hash.js';
import type { JSONSchema, PluginDef } from '../plugin/types.js';
import { BASE_KEYS } from './schema.js';

export interface NamespaceSchemas {
  schemas: Record<string, JSONSchema>;
  /** Plugins whose config schema differs from the first one seen in their namespace, or that use a reserved name; their schema is ignored. */
  conflicts: string[];
}

export function namespaceSchemas(plugins: Iterable<Pick<PluginDef, 'id' | 'config'>>): NamespaceSchemas {
  const schemas: Record<string, JSONSchema> = {};
  const firstBy: Record<string, string> = {};
  const conflicts: string[] = [];
  for (const p of plugins) {
    if (!p.config) continue;
    const ns = p.id.split('.')[0]!;
    if (BASE_KEYS.includes(ns) || ns === '$schema') {
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
