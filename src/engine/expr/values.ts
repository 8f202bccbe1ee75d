/**
 * Value semantics shared by the evaluator and the functions: safe member reads, equality,
 * truthiness, string conversion for interpolation, and fresh copies of results.
 */

/** Names no expression may read, whatever object they are on. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Own properties of plain objects and arrays only; anything else reads as undefined. */
export function readMember(object: unknown, key: unknown): unknown {
  if (Array.isArray(object)) {
    if (typeof key === 'number') return Number.isInteger(key) && key >= 0 ? object[key] : undefined;
    if (key === 'length') return object.length;
    // a['0'] reads like a[0]
    return typeof key === 'string' && /^(0|[1-9]\d*)$/.test(key) ? object[Number(key)] : undefined;
  }
  if (!isPlainObject(object)) return undefined;
  const name = typeof key === 'number' ? String(key) : key;
  if (typeof name !== 'string' || FORBIDDEN_KEYS.has(name) || !Object.hasOwn(object, name)) return undefined;
  return object[name];
}

/** JavaScript truthiness: false, 0, NaN, '', null and undefined are false; [] and {} are true. */
export function truthy(v: unknown): boolean {
  return Boolean(v);
}

/** Strict equality, except null == undefined and lists/objects compare by content. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return false;
}

/** How a value reads inside a longer string. */
export function toText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v) ?? '';
}

/**
 * A fresh copy of lists and plain objects, so a caller may change a result (ajv fills in
 * defaults) without changing a step's outputs. Object.fromEntries defines `__proto__` as an
 * own key instead of setting the prototype.
 */
export function copyPlain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyPlain);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyPlain(x)]));
  return v;
}
