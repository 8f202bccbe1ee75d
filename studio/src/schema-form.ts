/**
 * A pipeline's `inputs` JSON Schema as form fields: what each field is, its starting value (the
 * schema's default), the inputs a form's values make, and a check that mirrors the schema
 * (required, types, enums, bounds, lengths, patterns, item rules) so most mistakes show at
 * their field before anything is sent. The server checks again; its errors land at the same fields.
 */
import type { JsonSchema } from './types.js';

export type FieldKind = 'string' | 'text' | 'number' | 'integer' | 'boolean' | 'enum' | 'string-list' | 'enum-list' | 'json';

export interface Field {
  name: string;
  kind: FieldKind;
  schema: JsonSchema;
  required: boolean;
  label: string;
  description?: string;
  options?: string[];
}

/** What the form holds for a field: text for most kinds, a flag for booleans, picks for enum lists. */
export type FieldValue = string | boolean | string[];

const typeOf = (s: JsonSchema): string | undefined => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);

function kindOf(s: JsonSchema): FieldKind {
  const t = typeOf(s);
  if (s.enum && s.enum.every((v) => typeof v === 'string')) return 'enum';
  if (t === 'boolean') return 'boolean';
  if (t === 'integer') return 'integer';
  if (t === 'number') return 'number';
  if (t === 'array' && (!s.items || typeOf(s.items) === 'string' || s.items.type === undefined)) {
    return s.items?.enum?.every((v) => typeof v === 'string') ? 'enum-list' : 'string-list';
  }
  if (t === 'string' || t === undefined) return 'string';
  return 'json';
}

/** Long free text (a narration, a prompt) gets a text area; the name is the only hint the schema gives. */
const LONG = /script|text|body|prompt|description|narration|content|message/i;

export function fieldsOf(schema: JsonSchema): Field[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, s]) => {
    let kind = kindOf(s);
    if (kind === 'string' && !s.format && (LONG.test(name) || (s.maxLength ?? 0) > 200)) kind = 'text';
    return {
      name, kind, schema: s, required: required.has(name),
      label: s.title ?? name,
      ...(s.description && { description: s.description }),
      ...(kind === 'enum' && { options: s.enum as string[] }),
      ...(kind === 'enum-list' && { options: s.items!.enum as string[] }),
    };
  });
}

/** The form's starting values: each field's default, shown as the form shows it. */
export function initialValues(fields: Field[]): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const f of fields) {
    const d = f.schema.default;
    switch (f.kind) {
      case 'boolean': out[f.name] = d === true; break;
      case 'enum-list': out[f.name] = Array.isArray(d) ? d.map(String) : []; break;
      case 'string-list': out[f.name] = Array.isArray(d) ? d.map(String).join('\n') : ''; break;
      case 'json': out[f.name] = d === undefined ? '' : JSON.stringify(d, null, 2); break;
      case 'enum': out[f.name] = d === undefined ? (f.required ? String(f.options?.[0] ?? '') : '') : String(d); break;
      default: out[f.name] = d === undefined || d === null ? '' : String(d);
    }
  }
  return out;
}

const lines = (v: string) => v.split('\n').map((l) => l.trim()).filter((l) => l !== '');

function checkString(v: string, s: JsonSchema): string | undefined {
  if (s.minLength !== undefined && [...v].length < s.minLength) return `must be at least ${s.minLength} characters`;
  if (s.maxLength !== undefined && [...v].length > s.maxLength) return `must be at most ${s.maxLength} characters`;
  if (s.pattern !== undefined) {
    let re: RegExp | undefined;
    try { re = new RegExp(s.pattern, 'u'); } catch { re = undefined; } // the server judges a pattern JS cannot read
    if (re && !re.test(v)) return `must match the pattern ${s.pattern}`;
  }
  if (s.enum && !s.enum.includes(v)) return `must be one of: ${s.enum.join(', ')}`;
  return undefined;
}

function checkNumber(n: number, s: JsonSchema): string | undefined {
  if (s.minimum !== undefined && n < s.minimum) return `must be ${s.minimum} or more`;
  if (s.maximum !== undefined && n > s.maximum) return `must be ${s.maximum} or less`;
  if (s.exclusiveMinimum !== undefined && n <= s.exclusiveMinimum) return `must be more than ${s.exclusiveMinimum}`;
  if (s.exclusiveMaximum !== undefined && n >= s.exclusiveMaximum) return `must be less than ${s.exclusiveMaximum}`;
  return undefined;
}

function checkItems(items: string[], s: JsonSchema): string | undefined {
  if (s.minItems !== undefined && items.length < s.minItems) return `needs at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`;
  if (s.maxItems !== undefined && items.length > s.maxItems) return `takes at most ${s.maxItems} items`;
  if (s.items) {
    for (const [i, it] of items.entries()) {
      const e = checkString(it, s.items);
      if (e) return `item ${i + 1} ${e}`;
    }
  }
  return undefined;
}

/**
 * The inputs to send, and the problems by field name. An optional field left empty is not
 * sent, so the pipeline's default applies.
 */
export function collectInputs(fields: Field[], values: Record<string, FieldValue>): { inputs: Record<string, unknown>; errors: Record<string, string> } {
  const inputs: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const v = values[f.name];
    const empty = v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'string' && f.kind === 'string-list' && lines(v).length === 0);
    if (f.kind !== 'boolean' && empty) {
      if (f.required) errors[f.name] = 'is required';
      continue;
    }
    let err: string | undefined;
    switch (f.kind) {
      case 'boolean': inputs[f.name] = v === true; break;
      case 'number': case 'integer': {
        const n = Number(String(v).trim());
        if (String(v).trim() === '' || !Number.isFinite(n)) err = 'must be a number';
        else if (f.kind === 'integer' && !Number.isInteger(n)) err = 'must be a whole number';
        else err = checkNumber(n, f.schema);
        if (!err) inputs[f.name] = n;
        break;
      }
      case 'string-list': {
        const items = lines(String(v));
        err = checkItems(items, f.schema);
        inputs[f.name] = items;
        break;
      }
      case 'enum-list': {
        const items = v as string[];
        err = checkItems(items, f.schema);
        inputs[f.name] = items;
        break;
      }
      case 'json': {
        try {
          inputs[f.name] = JSON.parse(String(v));
        } catch (e) {
          err = `is not valid JSON: ${(e as Error).message}`;
        }
        break;
      }
      default: {
        err = checkString(String(v), f.schema);
        inputs[f.name] = String(v);
      }
    }
    if (err) errors[f.name] = err;
  }
  return { inputs, errors };
}

/** `input "topic"` (unknown inputs) or `inputs.topic` (checks of a value), as the engine words them. */
const NAMED_INPUT = [/\binputs\.([\w-]+)/, /\binput "([\w-]+)"/];

/**
 * Which field a server problem names: its `field`, `input` or JSON `path` (`/inputs/topic`),
 * or the input its message names.
 */
export function fieldOfProblem(p: Record<string, unknown>, names: string[]): string | undefined {
  for (const key of ['field', 'input', 'name', 'path', 'pointer', 'instancePath']) {
    const raw = p[key];
    if (typeof raw !== 'string') continue;
    const hit = raw.split(/[/.]/).filter(Boolean).reverse().find((s) => names.includes(s));
    if (hit) return hit;
  }
  const text = typeof p.message === 'string' ? p.message : typeof p.detail === 'string' ? p.detail : '';
  for (const re of NAMED_INPUT) {
    const m = re.exec(text);
    if (m && names.includes(m[1]!)) return m[1];
  }
  return undefined;
}

/**
 * A problem+json answer to a run request as messages by field: its `problems`, or the lines of
 * its `detail` (the engine lists several as "N problems found:" and "- …" lines). What names
 * no field is left out (the form shows the whole error then).
 */
export function problemsByField(problem: Record<string, unknown>, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  let list = (Array.isArray(problem.problems) ? problem.problems : []) as Array<Record<string, unknown>>;
  if (list.length === 0 && typeof problem.detail === 'string') {
    const parts = problem.detail.split('\n').map((l) => l.replace(/^\s*-\s+/, '').trim()).filter((l) => l && !/^\d+ problems found:?$/.test(l));
    list = parts.map((message) => ({ message, ...(typeof problem.hint === 'string' && parts.length === 1 && { hint: problem.hint }) }));
  }
  for (const p of list) {
    const field = fieldOfProblem(p, names);
    // the label is shown before the message: `inputs.tags[1] must …` reads `tags: item 2 must …`
    const message = String(p.message ?? p.detail ?? '').replace(new RegExp(`^inputs\\.${field}(?:\\[(\\d+)\\])?\\s+`), (_m, i?: string) => (i === undefined ? '' : `item ${Number(i) + 1} `));
    if (field && !out[field]) out[field] = typeof p.hint === 'string' ? `${message} (${p.hint})` : message;
  }
  return out;
}
