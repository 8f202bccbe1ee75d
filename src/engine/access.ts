/**
 * What a plugin may read: its own namespace's config and secrets, the namespaces it declares
 * in `uses` (their services, and their config without secrets), the secrets it declares in
 * `secrets`, and the credentials of the account platforms its namespace brings. Anything
 * else is E_PLUGIN_PERMISSION naming the declaration that is missing.
 *
 * This stops mistakes and leaky plugins, not hostile code: plugins run in mpv2's process and
 * could reach the same data around `ctx` (see docs/writing-plugins.md, "What a plugin may read").
 */
import { CORE_SECRETS } from '../config/env.js';
import { BASE_KEYS } from '../config/schema.js';
import { isPlainObject } from '../config/schema-walk.js';
import { mpv2Error, type Mpv2Error } from '../errors.js';
import { isBuiltinNamespace, type PluginRegistry } from '../plugin/registry.js';
import type { NamespaceDef, PluginDef, ServiceFn } from '../plugin/types.js';

/** The namespace a plugin id, or a dotted secret or config path, belongs to. */
export const namespaceOf = (id: string): string => id.split('.')[0]!;

/**
 * Who declares which environment variable: a namespace owns the variables of its
 * `config.env` and `config.secrets` (several may declare one: `OPENAI_API_KEY` is llm's, tts's
 * and media's). Dotted secrets belong to their first segment.
 */
export interface VariableOwners {
  /** The namespaces that declare `name` (empty for a variable no loaded namespace declares). */
  of(name: string): string[];
}

export function variableOwners(namespaces: NamespaceDef[]): VariableOwners {
  const m = new Map<string, string[]>();
  for (const n of namespaces) {
    for (const v of [...Object.keys(n.config?.env ?? {}), ...(n.config?.secrets ?? [])]) m.set(v, [...new Set([...(m.get(v) ?? []), n.namespace])]);
  }
  return { of: (name) => (name.includes('.') ? [namespaceOf(name)].filter((ns) => !isMpv2Section(ns)) : m.get(name) ?? []) };
}

/** mpv2's own config sections (`queue`, `paths`, `cache` …): never a plugin's. */
export const isMpv2Section = (ns: string): boolean => BASE_KEYS.includes(ns) || ns === '$schema';

/** What one plugin (or, for a service, a whole namespace) declared. */
export interface Declarations {
  namespace: string;
  /** Who declares each variable, for "belongs to" and for the namespace's own secrets. */
  owners: VariableOwners;
  /** The plugin id the messages name, or `the <ns> services` for a service. */
  label: string;
  uses: ReadonlySet<string>;
  secrets: ReadonlySet<string>;
}

export function declarationsOf(defs: PluginDef[], namespace: string, label: string, owners: VariableOwners): Declarations {
  return {
    namespace, label, owners,
    uses: new Set(defs.flatMap((d) => d.uses ?? []).filter((u) => u !== namespace)),
    secrets: new Set(defs.flatMap((d) => d.secrets ?? [])),
  };
}

/** mpv2's own secret: one of its variables (`MPV2_MASTER_KEY`, `REDIS_URL`), or a dotted secret of a base section. */
export function isMpv2Secret(name: string): boolean {
  if (name.includes('.')) return isMpv2Section(namespaceOf(name));
  return (CORE_SECRETS as readonly string[]).includes(name);
}

/** Whether `d` may read the secret `name`: its namespace's own, or one it declares (never mpv2's). */
export const mayReadSecret = (d: Declarations, name: string): boolean =>
  !isMpv2Secret(name) && (d.owners.of(name).includes(d.namespace) || d.secrets.has(name));

function permissionError(message: string, hint: string): Mpv2Error {
  return mpv2Error('E_PLUGIN_PERMISSION', message, { hint });
}

/** `ctx.secrets` for `d`: its own and declared secrets; a read of another namespace's, or mpv2's, fails. */
export function scopedSecrets(all: Readonly<Record<string, string>>, d: Declarations, envHas: (name: string) => boolean = () => false): Readonly<Record<string, string>> {
  const own: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) if (mayReadSecret(d, k)) own[k] = v;
  return new Proxy(Object.freeze(own), {
    get(target, key, receiver) {
      if (typeof key !== 'string' || key in target || mayReadSecret(d, key)) return Reflect.get(target, key, receiver);
      if (isMpv2Secret(key)) {
        throw permissionError(`${d.label} read the secret ${key}, which is mpv2's own and never given to plugins`, 'a plugin gets its own secrets in ctx.secrets and ctx.config; pass anything else through its `with:` inputs');
      }
      const owners = d.owners.of(key);
      // a name neither set nor declared reads as unset; a set one is another namespace's even
      // when that namespace is not loaded in this run
      if (owners.length === 0 && !(key in all) && !envHas(key)) return undefined;
      const whose = owners.length ? `, which belongs to the ${owners.join(', ')} namespace${owners.length > 1 ? 's' : ''},` : ', which is not its namespace\'s,';
      throw permissionError(`${d.label} read the secret ${key}${whose} without declaring it`,
        `add \`secrets: ['${key}']\` to the plugin definition of ${d.label} (\`mpv2 plugins list\` shows what each plugin may read)`);
    },
  });
}

/** A namespace's config section without its secret values (the dotted secrets under it). */
export function withoutSecrets(section: Record<string, unknown>, namespace: string, secrets: Readonly<Record<string, string>>): Record<string, unknown> {
  const out = structuredClone(section);
  for (const name of Object.keys(secrets)) {
    if (!name.startsWith(`${namespace}.`)) continue;
    const path = name.split('.').slice(1);
    let cur: unknown = out;
    for (const key of path.slice(0, -1)) cur = isPlainObject(cur) ? cur[key] : undefined;
    if (isPlainObject(cur)) delete cur[path[path.length - 1]!];
  }
  return out;
}

export interface AccessSources {
  /** A namespace's config section as loaded (secrets included). */
  section: (namespace: string) => Record<string, unknown>;
  /** Every secret of the project, by name. */
  secrets: Readonly<Record<string, string>>;
  /** Whether the environment sets a variable (one a namespace not loaded in this run may own). */
  envHas?: (name: string) => boolean;
}

/** The access sources of an open project: its loaded config sections and secrets, and its environment. */
export function projectSources(project: { config: { values: object; secrets: Readonly<Record<string, string>> }; envHas(name: string): boolean }): AccessSources {
  return {
    section: (ns) => ((project.config.values as Record<string, unknown>)[ns] as Record<string, unknown>) ?? {},
    secrets: project.config.secrets,
    envHas: (name) => project.envHas(name),
  };
}

/** `ctx.config` and `ctx.configOf` for `d`. */
export function scopedConfig(src: AccessSources, d: Declarations): { config: Record<string, unknown>; configOf: (ns: string) => Record<string, unknown> } {
  const config = isMpv2Section(d.namespace) ? {} : src.section(d.namespace);
  return {
    config,
    configOf(ns) {
      if (ns === d.namespace) return config;
      if (isMpv2Section(ns)) throw permissionError(`${d.label} read the "${ns}" config section, which is mpv2's own and never given to plugins`, 'pass what the plugin needs through its `with:` inputs');
      if (!d.uses.has(ns)) throw missingUses(d, ns, `read the config of the ${ns} namespace`);
      return withoutSecrets(src.section(ns), ns, src.secrets);
    },
  };
}

export function missingUses(d: Declarations, ns: string, what: string): Mpv2Error {
  return permissionError(`${d.label} ${what} without declaring it`, `add \`uses: ['${ns}']\` to the plugin definition of ${d.label} (\`mpv2 plugins list\` shows what each plugin may read)`);
}

/** Services a namespace offers: the union of its plugins' `services` (the first definition of a name wins). */
export function servicesOf(defs: PluginDef[]): Record<string, ServiceFn> {
  const out: Record<string, ServiceFn> = {};
  for (const d of defs) for (const [name, fn] of Object.entries(d.services ?? {})) out[name] ??= fn;
  return out;
}

export function unknownService(ns: string, name: string, offered: string[]): Mpv2Error {
  return mpv2Error('E_PLUGIN_NOT_FOUND', `the ${ns} namespace offers no service "${name}"${offered.length ? ` (it offers: ${offered.join(', ')})` : ' (it offers none)'}`, {
    hint: '`mpv2 plugins list` shows the services each namespace offers',
  });
}

/** An account platform's credentials read by a namespace that does not bring that platform. */
export function platformError(label: string, platform: string, act: string, owners: string[]): Mpv2Error {
  return permissionError(`${label} ${act}, but only ${owners.length ? `the ${owners.join(', ')} plugins` : 'the plugin that brings that platform'} may`,
    `a plugin uses the accounts of the platforms its namespace brings (\`accountTypes\`); \`mpv2 plugins list\` shows them`);
}

/** What one plugin may read, for `ctx`; built per step by `grantsFor`. */
export interface Grants {
  declarations: Declarations;
  config: Record<string, unknown>;
  configOf(namespace: string): Record<string, unknown>;
  secrets: Readonly<Record<string, string>>;
  /** The services of `namespace` and the grants they run under (the caller must have declared it). */
  service(namespace: string): Promise<{ fns: Record<string, ServiceFn>; grants: Grants }>;
  /**
   * Fails with E_PLUGIN_PERMISSION unless this namespace brings the platform; `act` says what was
   * tried (`read the credentials of youtube account "main"`).
   */
  checkPlatform(platform: string, act: string): Promise<void>;
}

/** The loaded plugins, as the grants need them. */
export interface PluginIndex {
  /** The plugins of a namespace (a built-in namespace is loaded first). */
  namespace(ns: string): Promise<PluginDef[]>;
  /** Whether `ns` is one of mpv2's built-in namespaces. */
  isBuiltin(ns: string): boolean;
  /** Every loaded plugin, built-ins included (loads them). */
  all(): Promise<PluginDef[]>;
  /** Who declares which variable, among the namespaces loaded now. */
  owners(): VariableOwners;
}

export function registryIndex(registry: PluginRegistry): PluginIndex {
  return {
    async namespace(ns) {
      await registry.loadBuiltinNamespace(ns);
      return registry.all().map((p) => p.def).filter((d) => namespaceOf(d.id) === ns);
    },
    isBuiltin: (ns) => isBuiltinNamespace(ns),
    async all() { await registry.loadAll(); return registry.all().map((p) => p.def); },
    owners: () => variableOwners(registry.namespaces().map((n) => n.def)),
  };
}

const platformsOf = (defs: PluginDef[]): Set<string> => new Set(defs.flatMap((d) => (d.accountTypes ?? []).map((t) => t.platform)));

/**
 * The grants of a plugin (`def`), or of a whole namespace when it serves another plugin
 * (`def` undefined: the union of its plugins' declarations).
 */
export async function grantsFor(index: PluginIndex, src: AccessSources, namespace: string, def?: PluginDef): Promise<Grants> {
  const defs = def ? [def] : await index.namespace(namespace);
  return grantsOf(index, src, namespace, defs, def ? def.id : `the ${namespace} services`);
}

/** The grants of the plugins `defs` of `namespace` (one plugin, or all of a namespace that serves another), named `label` in errors. */
export function grantsOf(index: PluginIndex, src: AccessSources, namespace: string, defs: PluginDef[], label: string): Grants {
  const d = declarationsOf(defs, namespace, label, index.owners());
  const { config, configOf } = scopedConfig(src, d);
  return {
    declarations: d, config, configOf, secrets: scopedSecrets(src.secrets, d, src.envHas),
    async service(ns) {
      if (ns !== namespace && !d.uses.has(ns)) throw missingUses(d, ns, `called ctx.services.${ns}`);
      const provider = await index.namespace(ns);
      return { fns: servicesOf(provider), grants: await grantsFor(index, src, ns) };
    },
    async checkPlatform(platform, act) {
      const mine = platformsOf(await index.namespace(namespace)).has(platform);
      // a platform a built-in namespace brings is that namespace's alone
      const owners = mine && index.isBuiltin(namespace) ? [namespace]
        : [...new Set((await index.all()).filter((p) => platformsOf([p]).has(platform)).map((p) => namespaceOf(p.id)))];
      const builtinOwners = owners.filter((o) => index.isBuiltin(o));
      const allowed = builtinOwners.length ? builtinOwners : owners;
      if (!allowed.includes(namespace)) throw platformError(d.label, platform, act, allowed);
    },
  };
}
