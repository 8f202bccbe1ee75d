/**
 * Config layers merged in precedence order, remembering where each leaf value came from.
 * Objects merge key by key; arrays and scalars replace.
 */
import { mpv2Error } from '../errors.js';
import { isPlainObject, type PlainObject } from './schema-walk.js';

/** Splits `a.b.c` into segments; `a["b.c"]` is not supported (keys with dots need a file). */
export function splitPath(path: string): string[] {
  return path.split('.').filter((s) => s.length > 0);
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function assertSafeKey(k: string): void {
  if (FORBIDDEN.has(k)) throw mpv2Error('E_CONFIG_INVALID', `config key "${k}" is not allowed`);
}

/** Sets `value` at `path` inside `target`, creating objects on the way (replacing non-objects). */
export function setPath(target: PlainObject, path: string[], value: unknown): void {
  let cur = target;
  path.forEach((k, i) => {
    assertSafeKey(k);
    if (i === path.length - 1) { cur[k] = value; return; }
    if (!isPlainObject(cur[k])) cur[k] = {};
    cur = cur[k] as PlainObject;
  });
}

export function getPath(target: unknown, path: string[]): unknown {
  let cur = target;
  for (const k of path) {
    if (!isPlainObject(cur) && !Array.isArray(cur)) return undefined;
    cur = (cur as PlainObject)[k];
  }
  return cur;
}

/** Leaves of a value: non-objects, arrays and empty objects, by dotted path. */
export function leaves(value: unknown, prefix: string[] = [], out: Array<[string[], unknown]> = []): Array<[string[], unknown]> {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) if (v !== undefined) leaves(v, [...prefix, k], out);
  } else if (prefix.length > 0) {
    out.push([prefix, value]);
  }
  return out;
}

export class LayeredConfig {
  readonly values: PlainObject = {};
  readonly origins: Record<string, string> = {};

  /** Merges `layer` over what is there; `origin` names the layer, or maps a leaf path to its origin. */
  apply(layer: PlainObject, origin: string | ((path: string[]) => string)): void {
    for (const [path, value] of leaves(layer)) this.set(path, value, typeof origin === 'string' ? origin : origin(path));
  }

  set(path: string[], value: unknown, origin: string): void {
    const key = path.join('.');
    // an empty object over an existing object changes nothing
    if (isPlainObject(value) && isPlainObject(getPath(this.values, path))) return;
    // a leaf replaces everything recorded below it, and an (empty-object) leaf above it
    for (const o of Object.keys(this.origins)) {
      if (o.startsWith(`${key}.`)) delete this.origins[o];
    }
    for (let i = 1; i < path.length; i++) delete this.origins[path.slice(0, i).join('.')];
    const v = isPlainObject(value) ? {} : structuredCloneSafe(value);
    setPath(this.values, path, v);
    this.origins[key] = origin;
  }

  /** The origin of `path`, or of the nearest ancestor / first descendant that has one. */
  originOf(path: string): string | undefined {
    if (this.origins[path]) return this.origins[path];
    const parts = splitPath(path);
    for (let i = parts.length - 1; i > 0; i--) {
      const o = this.origins[parts.slice(0, i).join('.')];
      if (o) return o;
    }
    const below = Object.keys(this.origins).find((k) => k.startsWith(`${path}.`));
    return below ? this.origins[below] : undefined;
  }
}

function structuredCloneSafe(v: unknown): unknown {
  try { return structuredClone(v); } catch { return v; }
}
