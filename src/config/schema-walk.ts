/**
 * Walks a config JSON Schema alongside values: the sub-schema at a path, the defaults tree,
 * the values that sit at `writeOnly` (secret) positions, and the paths to make absolute.
 */
import { isAbsolute, resolve } from 'node:path';
import type { JSONSchema } from '../plugin/types.js';

export type PlainObject = Record<string, unknown>;

export function isPlainObject(v: unknown): v is PlainObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function asSchema(v: unknown): JSONSchema | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JSONSchema) : undefined;
}

/** Branches of allOf/anyOf/oneOf, so a property declared in any of them is found. */
function branches(schema: JSONSchema): JSONSchema[] {
  const out: JSONSchema[] = [schema];
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[k];
    if (Array.isArray(list)) for (const b of list) { const s = asSchema(b); if (s) out.push(s); }
  }
  return out;
}

/** The schema of the child `key` of an object schema, or undefined when it declares none. */
export function childSchema(schema: JSONSchema | undefined, key: string): JSONSchema | undefined {
  if (!schema) return undefined;
  for (const s of branches(schema)) {
    const props = asSchema(s.properties);
    const p = props && Object.hasOwn(props, key) ? asSchema(props[key]) : undefined;
    if (p) return p;
  }
  for (const s of branches(schema)) {
    const pattern = asSchema(s.patternProperties);
    if (pattern) {
      for (const [re, sub] of Object.entries(pattern)) if (new RegExp(re, 'u').test(key)) return asSchema(sub);
    }
    const extra = asSchema(s.additionalProperties);
    if (extra) return extra;
  }
  return undefined;
}

/** The names `schema` declares under `properties` (for did-you-mean and env key casing). */
export function declaredKeys(schema: JSONSchema | undefined): string[] {
  if (!schema) return [];
  return branches(schema).flatMap((s) => Object.keys(asSchema(s.properties) ?? {}));
}

export function schemaAt(schema: JSONSchema | undefined, path: string[]): JSONSchema | undefined {
  let cur = schema;
  for (const k of path) cur = childSchema(cur, k);
  return cur;
}

/**
 * The defaults tree of an object schema: every property with a `default`, recursing into
 * object properties that declare their own properties (their children's defaults win).
 */
export function collectDefaults(schema: JSONSchema): PlainObject {
  const out: PlainObject = {};
  for (const s of branches(schema)) {
    for (const [key, raw] of Object.entries(asSchema(s.properties) ?? {})) {
      const p = asSchema(raw);
      if (!p || key === '$schema') continue;
      const hasProps = Object.keys(asSchema(p.properties) ?? {}).length > 0;
      if (hasProps) {
        const inner = collectDefaults(p);
        const base = isPlainObject(p.default) ? structuredClone(p.default) : {};
        const merged = { ...base, ...inner };
        if (Object.keys(merged).length > 0 || 'default' in p) out[key] = merged;
      } else if ('default' in p) {
        out[key] = structuredClone(p.default);
      }
    }
  }
  return out;
}

/** Every string value sitting at a `writeOnly: true` position, by dotted path. */
export function collectWriteOnly(schema: JSONSchema | undefined, value: unknown, prefix: string[] = [], out: Record<string, string> = {}): Record<string, string> {
  if (!schema) return out;
  if (schema.writeOnly === true && value !== undefined && value !== null) {
    out[prefix.join('.')] = typeof value === 'string' ? value : JSON.stringify(value);
    return out;
  }
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) collectWriteOnly(childSchema(schema, k), v, [...prefix, k], out);
  } else if (Array.isArray(value)) {
    const items = asSchema(schema.items);
    value.forEach((v, i) => collectWriteOnly(items, v, [...prefix, String(i)], out));
  }
  return out;
}

/** True when `path` lies at or under a `writeOnly` position of `schema`. */
export function isWriteOnlyPath(schema: JSONSchema | undefined, path: string[]): boolean {
  let cur = schema;
  for (const k of path) {
    if (!cur) return false;
    if (cur.writeOnly === true) return true;
    cur = childSchema(cur, k);
  }
  return cur?.writeOnly === true;
}

/**
 * Rewrites every relative string at a `format: "path"` position to an absolute path, against
 * the folder `baseOf(dotted path)` names (where the value was written). Values that name
 * something other than a file (`builtin:music`, a URL) are left alone.
 */
export function resolvePathValues(schema: JSONSchema | undefined, value: unknown, baseOf: (path: string) => string, prefix: string[] = []): void {
  if (!schema) return;
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      const sub = childSchema(schema, k);
      if (typeof v === 'string' && isPathSchema(sub)) value[k] = absolutePath(v, () => baseOf([...prefix, k].join('.')));
      else resolvePathValues(sub, v, baseOf, [...prefix, k]);
    }
  } else if (Array.isArray(value)) {
    const items = asSchema(schema.items);
    value.forEach((v, i) => {
      if (typeof v === 'string' && isPathSchema(items)) value[i] = absolutePath(v, () => baseOf([...prefix, String(i)].join('.')));
      else resolvePathValues(items, v, baseOf, [...prefix, String(i)]);
    });
  }
}

const isPathSchema = (s: JSONSchema | undefined): boolean => !!s && branches(s).some((b) => b.format === 'path');

function absolutePath(p: string, base: () => string): string {
  if (p === '' || isAbsolute(p) || /^[a-z][a-z0-9+.-]+:/i.test(p)) return p;
  return resolve(base(), p);
}
