import type { JSONSchema } from 'mpv2/plugin';
import { canonicalJson } from 'mpv2/plugin';
import { hasExpression } from './config.js';

/**
 * The JSON Schema of a value written statically in `with`: its type, and for mappings its
 * keys. A string holding an expression (`${{ … }}`) may evaluate to anything, so it gets
 * the empty schema `{}`; so does anything inside it.
 */
export function schemaOfValue(value: unknown): JSONSchema {
  if (hasExpression(value)) return {};
  if (value === null) return { type: 'null' };
  switch (typeof value) {
    case 'string':
      return { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'number':
      return { type: Number.isInteger(value) ? 'integer' : 'number' };
    case 'object':
      return Array.isArray(value) ? schemaOfList(value) : schemaOfMapping(value as Record<string, unknown>);
    default:
      return {};
  }
}

/** `{ type: 'object', properties: { <key>: <schema of value> }, additionalProperties: false }`. */
export function schemaOfMapping(value: Record<string, unknown>): JSONSchema {
  const properties: Record<string, JSONSchema> = {};
  for (const [k, v] of Object.entries(value)) properties[k] = schemaOfValue(v);
  return { type: 'object', properties, additionalProperties: false };
}

function schemaOfList(list: unknown[]): JSONSchema {
  const items = list.map(schemaOfValue);
  // one item schema when every item has the same shape; otherwise anything goes
  const same = items.length > 0 && items.every((s) => canonicalJson(s) === canonicalJson(items[0]));
  return { type: 'array', items: same ? items[0]! : {} };
}
