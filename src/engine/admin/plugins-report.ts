/** `mpv2 plugins list` and `mpv2 schema plugin <id>`: what each plugin is, takes and gives. */
import type { JSONSchema, LoadedPlugin, PluginDef } from '../../plugin/types.js';
import { isBuiltinNamespace, type PluginRegistry } from '../../plugin/registry.js';
import { isMpv2Secret, namespaceOf, servicesOf } from '../access.js';

export type PluginSourceKind = 'builtin' | 'package' | 'path';

export interface PluginRow {
  id: string;
  version: string;
  source: PluginSourceKind;
  /** `builtin`, the package name, or the path as written in the config. */
  from: string;
  description: string;
  effect: 'yes' | 'no' | 'depends';
  /** For a plugin from a package, the package's own version. */
  packageVersion?: string;
  /** What the plugin may read (src/engine/access.ts). */
  access: PluginAccess;
}

/** What a plugin may read beyond its inputs, as the engine enforces it. */
export interface PluginAccess {
  /** Its own config section and secrets. */
  namespace: string;
  /** Namespaces whose services and (secret-free) config it may read. */
  uses: string[];
  /** Secrets beyond its namespace's own it declared (mpv2's own left out: never given). */
  secrets: string[];
  /** Account platforms whose credentials it may read (those its namespace brings). */
  accounts: string[];
  /** Platforms its namespace claims that a built-in namespace owns: refused. */
  refusedAccounts?: string[];
  /** Services its namespace offers other plugins. */
  services: string[];
}

/** `defs`: every loaded plugin, for the namespace-wide parts (platforms, services). */
export function pluginAccess(def: PluginDef, defs: PluginDef[]): PluginAccess {
  const ns = namespaceOf(def.id);
  const mine = defs.filter((d) => namespaceOf(d.id) === ns);
  const platforms = [...new Set(mine.flatMap((d) => (d.accountTypes ?? []).map((t) => t.platform)))].sort();
  const builtinPlatforms = new Set(defs.filter((d) => isBuiltinNamespace(namespaceOf(d.id))).flatMap((d) => (d.accountTypes ?? []).map((t) => t.platform)));
  const refused = isBuiltinNamespace(ns) ? [] : platforms.filter((p) => builtinPlatforms.has(p));
  return {
    namespace: ns,
    uses: [...new Set(def.uses ?? [])].filter((u) => u !== ns).sort(),
    // mpv2's own are never given, declared or not
    secrets: [...new Set(def.secrets ?? [])].filter((s) => !isMpv2Secret(s)).sort(),
    accounts: platforms.filter((p) => !refused.includes(p)),
    ...(refused.length && { refusedAccounts: refused }),
    services: Object.keys(servicesOf(mine)).sort(),
  };
}

/** One line: `afm · uses llm · secrets OPENAI_API_KEY · accounts email · offers complete`. */
export function accessLine(a: PluginAccess): string {
  return [
    `${a.namespace} config and secrets`,
    ...(a.uses.length ? [`uses ${a.uses.join(', ')}`] : []),
    ...(a.secrets.length ? [`secrets ${a.secrets.join(', ')}`] : []),
    ...(a.accounts.length ? [`${a.accounts.join(', ')} account credentials`] : []),
    ...(a.refusedAccounts?.length ? [`not ${a.refusedAccounts.join(', ')} account credentials (a built-in plugin's platform)`] : []),
    ...(a.services.length ? [`offers ${a.services.map((s) => `${a.namespace}.${s}`).join(', ')}`] : []),
  ].join(' · ');
}

export interface BrokenRow {
  from: string;
  code: string;
  message: string;
  hint?: string;
}

export function sourceKind(p: Pick<LoadedPlugin, 'source' | 'packageName'>): PluginSourceKind {
  return p.source === 'builtin' ? 'builtin' : p.packageName ? 'package' : 'path';
}

export function pluginRow(p: LoadedPlugin, defs: PluginDef[]): PluginRow {
  const e = p.def.effect;
  return {
    id: p.def.id, version: p.def.version, source: sourceKind(p), from: p.source, description: p.def.description ?? '',
    effect: typeof e === 'function' ? 'depends' : e ? 'yes' : 'no',
    ...(p.packageVersion && { packageVersion: p.packageVersion }),
    access: pluginAccess(p.def, defs),
  };
}

export interface RefusedRow {
  id: string;
  from: string;
  message: string;
}

/** Every plugin (built-ins loaded first), every module that failed to load, and every plugin refused for using a built-in namespace. */
export async function listPlugins(registry: PluginRegistry): Promise<{ plugins: PluginRow[]; broken: BrokenRow[]; refused: RefusedRow[] }> {
  await registry.loadAll();
  return {
    plugins: registry.all().map((p) => pluginRow(p, registry.all().map((x) => x.def))),
    broken: registry.broken.map((b) => ({ from: b.source, code: b.error.code, message: b.error.message, ...(b.error.hint && { hint: b.error.hint }) })),
    refused: registry.refused.map((r) => ({ id: r.id, from: r.source, message: r.message })),
  };
}

export interface InputRow {
  name: string;
  type: string;
  required: boolean;
  default?: unknown;
  description?: string;
  /** `path` for input files. */
  format?: string;
}

function typeOf(s: JSONSchema): string {
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.type)) return s.type.join(' | ');
  if (typeof s.type === 'string') {
    if (s.type === 'array' && s.items && typeof s.items === 'object' && !Array.isArray(s.items)) {
      const item = typeOf(s.items as JSONSchema);
      return item.includes(' | ') ? `(${item})[]` : `${item}[]`;
    }
    return s.type;
  }
  const alts = (s.anyOf ?? s.oneOf) as JSONSchema[] | undefined;
  if (Array.isArray(alts)) return [...new Set(alts.map(typeOf))].join(' | ');
  return 'any';
}

/** The top-level properties of an input schema, in declaration order. */
export function inputRows(schema: JSONSchema | undefined): InputRow[] {
  const props = (schema?.properties ?? {}) as Record<string, JSONSchema>;
  const required = new Set(Array.isArray(schema?.required) ? (schema.required as string[]) : []);
  return Object.entries(props).map(([name, s]) => ({
    name, type: typeOf(s), required: required.has(name),
    ...(s.default !== undefined && { default: s.default }),
    ...(typeof s.description === 'string' && { description: s.description }),
    ...(typeof s.format === 'string' && { format: s.format }),
  }));
}

export interface PluginSchemaReport {
  id: string;
  version: string;
  description: string;
  source: PluginSourceKind;
  from: string;
  effect: PluginRow['effect'];
  input: JSONSchema;
  output: JSONSchema;
  config: JSONSchema;
  inputs: InputRow[];
}

/** `id` may be `package/id`, as in `uses:`; unknown ids fail with E_PLUGIN_NOT_FOUND (and a suggestion). */
export async function pluginSchema(registry: PluginRegistry, id: string): Promise<PluginSchemaReport> {
  const p = await registry.resolve(id);
  const row = pluginRow(p, registry.all().map((x) => x.def));
  const declared = (await registry.namespace(p.def.id.split('.')[0]!))?.def.config?.schema;
  return {
    id: row.id, version: row.version, description: row.description, source: row.source, from: row.from, effect: row.effect,
    input: p.def.input ?? { type: 'object' }, output: p.def.output ?? {}, config: declared ?? p.def.config ?? { type: 'object' },
    inputs: inputRows(p.def.input),
  };
}
