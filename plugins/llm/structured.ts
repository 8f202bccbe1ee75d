/**
 * Structured output: the instruction that asks for JSON, lenient extraction of the JSON
 * from a reply (code fences, prose around it), ajv validation, and the repair message
 * that shows the model its own errors.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { mpv2Error } from 'mpv2/plugin';
import { hashValue } from 'mpv2/plugin';
import type { JSONSchema } from 'mpv2/plugin';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const compiled = new Map<string, ValidateFunction>();

export function validatorFor(schema: JSONSchema): ValidateFunction {
  const key = hashValue(schema);
  let v = compiled.get(key);
  if (!v) {
    try {
      v = ajv.compile(schema);
    } catch (e) {
      throw mpv2Error('E_PLUGIN_INPUT_INVALID', `output.schema is not a valid JSON Schema: ${(e as Error).message}`, { cause: e });
    }
    compiled.set(key, v);
  }
  return v;
}

export function jsonInstruction(schema: JSONSchema): string {
  return [
    'Reply with only one JSON value that matches this JSON Schema: no prose, no Markdown code fences.',
    JSON.stringify(schema),
  ].join('\n');
}

/** The JSON in a reply: the whole text, else inside a ``` fence, else from the first { or [ to the last } or ]. */
export function extractJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const t = text.trim();
  const tries = [t];
  const fence = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/.exec(t);
  if (fence) tries.push(fence[1]!.trim());
  const start = t.search(/[{[]/);
  const end = Math.max(t.lastIndexOf('}'), t.lastIndexOf(']'));
  if (start >= 0 && end > start) tries.push(t.slice(start, end + 1));
  let first = '';
  for (const s of tries) {
    try {
      return { ok: true, value: JSON.parse(s) };
    } catch (e) {
      first ||= (e as Error).message;
    }
  }
  return { ok: false, error: t === '' ? 'the reply was empty' : `the reply is not valid JSON (${first})` };
}

export function formatAjvErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).slice(0, 20).map((e) => {
    const at = e.instancePath || '/';
    const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty?: string }).additionalProperty})`
      : e.keyword === 'enum' ? ` (${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')})` : '';
    return `${at} ${e.message ?? e.keyword}${extra}`;
  });
}

export type Checked = { ok: true; data: unknown } | { ok: false; problems: string[] };

/** Parses and validates a reply against the schema. */
export function checkReply(text: string, schema: JSONSchema): Checked {
  const parsed = extractJson(text);
  if (!parsed.ok) return { ok: false, problems: [parsed.error] };
  const validate = validatorFor(schema);
  if (validate(parsed.value)) return { ok: true, data: parsed.value };
  return { ok: false, problems: formatAjvErrors(validate.errors) };
}

export function repairMessage(problems: string[]): string {
  return [
    'Your reply does not match the required JSON Schema:',
    ...problems.map((p) => `- ${p}`),
    'Reply again with only the corrected JSON, nothing else.',
  ].join('\n');
}
