/**
 * The environment layer: `MPV2_A__B=1` sets `a.b`, well-known API keys become secrets (and
 * config values where the schema has a natural place for them), `FFMPEG_PATH` sets
 * `ffmpeg.path`. The environment is `process.env` over the project's `.env` file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import dotenv from 'dotenv';
import type { JSONSchema } from '../plugin/types.js';
import { childSchema, declaredKeys, isPlainObject, schemaAt } from './schema-walk.js';

function getKeysOf(v: unknown): string[] {
  return isPlainObject(v) ? Object.keys(v) : [];
}

/** Env variables that hold credentials: always collected into `secrets` under their own name. */
export const WELL_KNOWN_SECRETS = [
  'MISTRAL_API_KEY',
  'OPENAI_API_KEY',
  'OPENROUTER_API_KEY',
  'GROQ_API_KEY',
  'DEEPSEEK_API_KEY',
  'TOGETHER_API_KEY',
  'GEMINI_API_KEY',
  'VENICE_API_KEY',
  'PEXELS_API_KEY',
  'PIXABAY_API_KEY',
  'ELEVENLABS_API_KEY',
  'YOUTUBE_API_KEY',
  'X_API_KEY',
  'X_API_SECRET',
  'X_ACCESS_TOKEN',
  'X_ACCESS_SECRET',
  'X_BEARER_TOKEN',
  'SMTP_PASSWORD',
  'MPV2_MASTER_KEY',
  'REDIS_URL',
] as const;

export type WellKnownSecret = (typeof WELL_KNOWN_SECRETS)[number];

/**
 * Where a well-known variable lands in the config. Applied only when the composed schema
 * declares that path (i.e. the plugin namespace is loaded and has that setting).
 */
export const ENV_CONFIG_PATHS: Partial<Record<WellKnownSecret | 'FFMPEG_PATH', string>> = {
  MISTRAL_API_KEY: 'llm.providers.mistral.apiKey',
  OPENAI_API_KEY: 'llm.providers.openai.apiKey',
  OPENROUTER_API_KEY: 'llm.providers.openrouter.apiKey',
  GROQ_API_KEY: 'llm.providers.groq.apiKey',
  DEEPSEEK_API_KEY: 'llm.providers.deepseek.apiKey',
  TOGETHER_API_KEY: 'llm.providers.together.apiKey',
  GEMINI_API_KEY: 'llm.providers.gemini.apiKey',
  VENICE_API_KEY: 'llm.providers.venice.apiKey',
  PEXELS_API_KEY: 'media.pexels.apiKey',
  PIXABAY_API_KEY: 'media.pixabay.apiKey',
  ELEVENLABS_API_KEY: 'tts.elevenlabs.apiKey',
  YOUTUBE_API_KEY: 'youtube.apiKey',
  X_API_KEY: 'twitter.apiKey',
  X_API_SECRET: 'twitter.apiSecret',
  X_ACCESS_TOKEN: 'twitter.accessToken',
  X_ACCESS_SECRET: 'twitter.accessSecret',
  X_BEARER_TOKEN: 'twitter.bearerToken',
  SMTP_PASSWORD: 'outreach.smtp.password',
  REDIS_URL: 'queue.url',
  FFMPEG_PATH: 'ffmpeg.path',
};

/** `MPV2_*` variables that are not config values. */
const NOT_CONFIG = new Set(['MPV2_MASTER_KEY', 'MPV2_PROJECT', 'MPV2_CONFIG', 'MPV2_QUEUE_PREFIX']);

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
export function envEntries(src: EnvSource, schema: JSONSchema, existing: unknown, hasPath: (p: string[]) => boolean): EnvEntry[] {
  const out: EnvEntry[] = [];
  const origin = (name: string) => (src.fromDotenv.has(name) ? `env .env ${name}` : `env ${name}`);
  for (const [name, p] of Object.entries(ENV_CONFIG_PATHS)) {
    const raw = src.vars[name];
    if (raw === undefined || raw === '') continue;
    const path = p.split('.');
    if (hasPath(path)) out.push({ path, value: raw, origin: origin(name), variable: name });
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

/** Well-known secrets present in the environment, by their variable name. */
export function envSecrets(src: EnvSource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of WELL_KNOWN_SECRETS) {
    const v = src.vars[name];
    if (v !== undefined && v !== '') out[name] = v;
  }
  return out;
}
