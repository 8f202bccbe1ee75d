/**
 * An account type's fields (its JSON Schema): which are secret (`writeOnly: true`), which
 * are required, turning `key=value` strings into the declared types, and checking the
 * result against the schema with the path of each wrong value.
 */
import AjvModule from 'ajv';
import { mpv2Error } from '../../errors.js';
import type { AccountType, JSONSchema } from '../../plugin/types.js';

const Ajv = AjvModule.default ?? AjvModule;
const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, coerceTypes: false, validateSchema: false });

export interface FieldInfo {
  key: string;
  description?: string;
  secret: boolean;
  required: boolean;
  type?: string;
  default?: unknown;
  enum?: unknown[];
}

export function fieldsOf(type: AccountType): FieldInfo[] {
  const props = (type.schema.properties ?? {}) as Record<string, JSONSchema>;
  const required = new Set((type.schema.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([key, p]) => ({
    key,
    description: p.description as string | undefined,
    secret: p.writeOnly === true,
    required: required.has(key),
    type: typeof p.type === 'string' ? p.type : undefined,
    default: p.default,
    enum: p.enum as unknown[] | undefined,
  }));
}

/** Parses `key=value` flags; the value may itself hold `=`. */
export function parsePairs(pairs: string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw mpv2Error('E_USAGE', `expected ${flag} key=value, got "${p}"`);
    out[p.slice(0, i).trim()] = p.slice(i + 1);
  }
  return out;
}

/** A string from the command line as the schema's type: numbers, booleans, JSON arrays/objects. */
export function coerce(field: FieldInfo | undefined, raw: string): unknown {
  switch (field?.type) {
    case 'integer':
    case 'number': {
      const n = Number(raw);
      return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
    }
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'array':
    case 'object':
      try { return JSON.parse(raw) as unknown; } catch { return field.type === 'array' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : raw; }
    default:
      return raw;
  }
}

/** Required fields that have neither a value nor a default. */
export function missingRequired(type: AccountType, values: Record<string, unknown>): FieldInfo[] {
  return fieldsOf(type).filter((f) => f.required && f.default === undefined && (values[f.key] === undefined || values[f.key] === ''));
}

/**
 * Checks settings + secrets against the type's schema (defaults filled into settings);
 * throws E_USAGE listing every problem.
 */
export function validateFields(type: AccountType, settings: Record<string, unknown>, secrets: Record<string, string>): Record<string, unknown> {
  const fields = new Map(fieldsOf(type).map((f) => [f.key, f]));
  const all: Record<string, unknown> = { ...settings };
  for (const [k, v] of Object.entries(secrets)) all[k] = coerce(fields.get(k), v);
  const validate = ajv.compile(type.schema);
  if (!validate(all)) {
    const problems = (validate.errors ?? []).map((e) => {
      const at = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '';
      const extra = e.keyword === 'additionalProperties' ? ` "${String((e.params as { additionalProperty?: string }).additionalProperty)}" (known: ${[...fields.keys()].join(', ')})` : '';
      const enumList = e.keyword === 'enum' ? ` (${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((x) => JSON.stringify(x)).join(', ')})` : '';
      return `${at ? `${at} ` : ''}${e.message ?? 'is invalid'}${extra}${enumList}`;
    });
    throw mpv2Error('E_USAGE', `${type.platform} account fields are not valid: ${problems.join('; ')}`, { hint: `\`mpv2 accounts add ${type.platform} --help\` and the plugin's docs list its fields` });
  }
  // defaults land in `all`; keep the non-secret ones as settings
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) if (!fields.get(k)?.secret && !(k in secrets)) out[k] = v;
  return out;
}
