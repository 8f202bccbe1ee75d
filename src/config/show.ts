/** Rows for `mpv2 config show`: every value, where it came from, secrets redacted. */
import { leaves } from './merge.js';
import type { LoadedConfig } from './types.js';

export interface ConfigRow {
  /** Dotted path, e.g. `cache.maxSize`. */
  path: string;
  /** The value, or `"[REDACTED]"` for a secret. */
  value: unknown;
  /** `default`, `file .mpv2rc.yaml`, `env MPV2_X`, `env .env MPV2_X` or `flag`. */
  origin: string;
}

export const REDACTED = '[REDACTED]';

/** One row per leaf value, sorted by path; secrets are `[REDACTED]` wherever they appear. */
export function describeConfig(loaded: Pick<LoadedConfig, 'values' | 'origins' | 'secrets'>): ConfigRow[] {
  const secretPaths = new Set(Object.keys(loaded.secrets));
  const secretValues = new Set(Object.values(loaded.secrets).filter((s) => s.length >= 4));
  const isSecret = (path: string[], value: unknown): boolean =>
    path.some((_s, i) => secretPaths.has(path.slice(0, i + 1).join('.')))
    || (typeof value === 'string' && [...secretValues].some((s) => value.includes(s)));
  const rows: ConfigRow[] = leaves(loaded.values).map(([path, value]) => ({
    path: path.join('.'),
    value: isSecret(path, value) ? REDACTED : value,
    origin: originFor(loaded.origins, path),
  }));
  return rows.sort((a, b) => a.path.localeCompare(b.path));
}

function originFor(origins: Record<string, string>, path: string[]): string {
  for (let i = path.length; i > 0; i--) {
    const o = origins[path.slice(0, i).join('.')];
    if (o) return o;
  }
  return 'default';
}

/**
 * The config without its secret values (every `writeOnly` path removed): what the
 * `config` expression context and the step cache key may see.
 */
export function publicConfig(loaded: Pick<LoadedConfig, 'values' | 'secrets'>): Record<string, unknown> {
  const copy = structuredClone(loaded.values) as Record<string, unknown>;
  for (const path of Object.keys(loaded.secrets)) {
    if (!path.includes('.') && !(path in copy)) continue; // an env variable name, not a config path
    const parts = path.split('.');
    let cur: unknown = copy;
    for (const k of parts.slice(0, -1)) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
    if (cur && typeof cur === 'object') delete (cur as Record<string, unknown>)[parts[parts.length - 1]!];
  }
  return copy;
}

/** Names of the well-known secret variables that are set (not their values). */
export function secretNames(loaded: Pick<LoadedConfig, 'secrets'>): string[] {
  return Object.keys(loaded.secrets).filter((k) => !k.includes('.')).sort();
}
