/**
 * The environment layer: `MPV2_A__B=1` sets `a.b`; `REDIS_URL` and `FFMPEG_PATH` set mpv2's
 * own settings; the variables plugin namespaces declare (`config.env`, e.g. PEXELS_API_KEY)
 * set their settings and are secrets under their own name. The environment is `process.env`
 * over the project's `.env` file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import dotenv from 'dotenv';
import type { JSONSchema } from '../plugin/types.js';
import { childSchema, declaredKeys, isPlainObject, schemaAt } from './schema-walk.js';

function getKeysOf(v: unknown): string[] {
  return isPlainObject(v) ? Object.keys(v) : [];
}

/** mpv2's own variables that hold credentials: collected into `secrets` under their own name. */
export const CORE_SECRETS = ['MPV2_MASTER_KEY', 'MPV2_SERVE_TOKEN', 'REDIS_URL'] as const;

/** Where mpv2's own well-known variables land in the base config. */
const CORE_ENV_PATHS: Record<string, string> = {
  REDIS_URL: 'queue.url',
  FFMPEG_PATH: 'ffmpeg.path',
};

/** Variables no plugin namespace may claim: mpv2's own. */
export function isCoreVariable(name: string): boolean {
  return name.startsWith('MPV2_') || (CORE_SECRETS as readonly string[]).includes(name) || name in CORE_ENV_PATHS;
}

/**
 * The variables the loaded plugin namespaces declare (`config.env`, `config.secrets` of their
 * namespace): where each lands in the config (a full dotted path), and which are secrets by name.
 */
export interface PluginEnv {
  paths: Array<{ variable: string; path: string }>;
  secrets: string[];
}

/** `MPV2_*` variables that are not config values. */
const NOT_CONFIG = new Set(['MPV2_MASTER_KEY', 'MPV2_SERVE_TOKEN', 'MPV2_PROJECT', 'MPV2_CONFIG', 'MPV2_QUEUE_PREFIX']);

export interface EnvSource {
  /** The merged environment: process env over `.env`. */
  vars: Record<string, string>;
  /** Which names came from `.env` (and were not overridden by the process env). */
  fromDotenv: Set<string>;
  dotenvFile?: string;
}

/** `process.env` (or `env`) over `<root>/.env`, without touching `process.env`. */
export function readEnvironment(root: string, env: NodeJS.ProcessEnv): EnvSource {
  const file = join(root, '.env');
  const fromFile = existsSync(file) ? dotenv.parse(readFileSync(file)) : {};
  const vars: Record<string, string> = { ...fromFile };
  const fromDotenv = new Set(Object.keys(fromFile));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    vars[k] = v;
    fromDotenv.delete(k);
  }
  return { vars, fromDotenv, dotenvFile: existsSync(file) ? file : undefined };
}

/** A value from the environment or a flag: JSON when it parses (numbers, booleans, arrays, objects), else the string. */
export function parseEnvValue(raw: string): unknown {
  const s = raw.trim();
  if (s === '') return raw;
  try { return JSON.parse(s); } catch { return raw; }
}

function camel(segment: string): string {
  return segment.toLowerCase().replace(/_+([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * `MPV2_LLM__DEFAULT_PROVIDER` → `['llm', 'defaultProvider']`. A segment is camel-cased
 * unless the schema (or a value already set) names the key with its underscores kept
 * (`MPV2_LIMITS__MY_API__RATE` → `limits.my_api.rate` when the file defines `my_api`).
 */
export function envPath(name: string, schema: JSONSchema | undefined, existing: unknown): string[] {
  const segments = name.slice('MPV2_'.length).split('__').filter((s) => s.length > 0);
  const out: string[] = [];
  let sch = schema;
  let cur = existing;
  for (const seg of segments) {
    const known = new Set([...declaredKeys(sch), ...getKeysOf(cur)]);
    const lower = seg.toLowerCase();
    const camelCased = camel(seg);
    const key = known.has(camelCased) ? camelCased
      : known.has(lower) ? lower
        : [...known].find((k) => k.toLowerCase() === lower || k.toLowerCase() === camelCased.toLowerCase()) ?? camelCased;
    out.push(key);
    sch = childSchema(sch, key);
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return out;
}

export interface EnvEntry {
  path: string[];
  value: unknown;
  /** `env MPV2_X` or `env .env MPV2_X`. */
  origin: string;
  variable: string;
}

/** Config values set by the environment, in a stable order. */
export function envEntries(src: EnvSource, schema: JSONSchema, existing: unknown, hasPath: (p: string[]) => boolean, plugins: PluginEnv = { paths: [], secrets: [] }): EnvEntry[] {
  const out: EnvEntry[] = [];
  const origin = (name: string) => (src.fromDotenv.has(name) ? `env .env ${name}` : `env ${name}`);
  const mapped: Array<[string, string]> = [...plugins.paths.map((m) => [m.variable, m.path] as [string, string]), ...Object.entries(CORE_ENV_PATHS)];
  for (const [name, p] of mapped) {
    const raw = src.vars[name];
    if (raw === undefined || raw === '') continue;
    const path = p.split('.');
    // "150" for a number setting is the number, "true" for a boolean the boolean; text stays text
    const type = schemaAt(schema, path)?.type;
    const value = type === 'number' || type === 'integer' || type === 'boolean' ? parseEnvValue(raw) : raw;
    if (hasPath(path)) out.push({ path, value, origin: origin(name), variable: name });
  }
  for (const name of Object.keys(src.vars).sort()) {
    if (!name.startsWith('MPV2_') || NOT_CONFIG.has(name) || name.length <= 'MPV2_'.length) continue;
    const path = envPath(name, schema, existing);
    const raw = src.vars[name]!;
    // a setting declared as a string keeps "123" and "true" as they are
    const value = schemaAt(schema, path)?.type === 'string' ? raw : parseEnvValue(raw);
    out.push({ path, value, origin: origin(name), variable: name });
  }
  return out;
}

/** mpv2's own secrets and those the loaded namespaces declare, present in the environment, by their variable name. */
export function envSecrets(src: EnvSource, plugins: PluginEnv = { paths: [], secrets: [] }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...CORE_SECRETS, ...plugins.secrets]) {
    const v = src.vars[name];
    if (v !== undefined && v !== '') out[name] = v;
  }
  return out;
}
