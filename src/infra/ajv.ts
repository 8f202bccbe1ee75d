/** One shared ajv instance for pipelines, plugin inputs and outputs. */
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { didYouMean } from './suggest.js';

const Ajv = AjvModule.default ?? AjvModule;
const addFormats = addFormatsModule.default ?? addFormatsModule;

function make(useDefaults: boolean) {
  // verbose: errors carry parentSchema (allowed keys, descriptions). validateSchema off: checking each
  // schema against the JSON-Schema meta-schema compiles that meta-schema first (100–250 ms of start-up).
  // code.optimize off: the optimizing pass over the generated code took about a third of each
  // compile (~40 ms of a run's start-up, mostly the config schema); the validators behave the same
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults, coerceTypes: false, verbose: true, validateSchema: false, code: { optimize: false } });
  addFormats(ajv);
  // `format: "path"` marks input files for the cache; any string is accepted here
  ajv.addFormat('path', true);
  return ajv;
}

export const ajvDefaults = make(true);
export const ajvPlain = make(false);

const compiled = new WeakMap<object, ValidateFunction>();
const compiledDefaults = new WeakMap<object, ValidateFunction>();
// computed schemas (core.set, file.read) are new objects with the same content: compile once per content
const byContent = new Map<string, ValidateFunction>();
const MAX_BY_CONTENT = 2000;

export function compileSchema(schema: object, withDefaults = false): ValidateFunction {
  const map = withDefaults ? compiledDefaults : compiled;
  let v = map.get(schema);
  if (!v) {
    const key = `${withDefaults ? 'd' : 'p'}${JSON.stringify(schema)}`;
    v = byContent.get(key);
    if (!v) {
      v = (withDefaults ? ajvDefaults : ajvPlain).compile(schema);
      if (byContent.size >= MAX_BY_CONTENT) byContent.clear();
      byContent.set(key, v);
    }
    map.set(schema, v);
  }
  return v;
}

/** JSON pointer `/a/0/b` → ['a', 0, 'b']. */
export function pointerToPath(pointer: string): Array<string | number> {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function pathToString(path: Array<string | number>): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : String(seg)), '');
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Turns ajv errors into readable sentences, one per wrong value, most specific first:
 * `with.aspect must be one of "9:16", "16:9", "1:1" (got "4:3")`.
 */
export interface AjvProblem {
  path: Array<string | number>;
  message: string;
  /** True when the problem is the key itself (an unknown key), not its value. */
  key?: boolean;
  /** The schema keyword that failed (`required`, `additionalProperties`, `enum` …), for callers that add hints. */
  keyword: string;
  /** For `required`: the missing property. */
  missing?: string;
}

export function describeAjvErrors(errors: ErrorObject[], data: unknown, prefix: string[] = []): AjvProblem[] {
  const out: AjvProblem[] = [];
  const seen = new Set<string>();
  // errors inside a oneOf/anyOf branch are noise when the oneOf itself is reported
  const branchParents = new Set(errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.instancePath));
  for (const e of errors) {
    const path = pointerToPath(e.instancePath);
    const at = pathToString([...prefix, ...path]) || '(top level)';
    const value = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], data);
    let msg: string;
    let p = path;
    let key = false;
    if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && [...branchParents].some((bp) => e.instancePath === bp || e.instancePath.startsWith(`${bp}/`)) && e.keyword !== 'additionalProperties' && e.keyword !== 'required') continue;
    switch (e.keyword) {
      case 'additionalProperties': {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
        msg = `unknown key "${extra}" in ${at}${didYouMean(extra, allowed)}; allowed: ${allowed.join(', ')}`;
        p = [...path, extra];
        key = true;
        break;
      }
      case 'required':
        msg = `${at} is missing "${(e.params as { missingProperty: string }).missingProperty}"`;
        break;
      case 'enum':
        msg = `${at} must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map(show).join(', ')} (got ${show(value)})`;
        break;
      case 'type':
        msg = `${at} must be ${(e.params as { type: string | string[] }).type.toString().replace(/,/g, ' or ')} (got ${show(value)})`;
        break;
      case 'oneOf':
      case 'anyOf': {
        const desc = (e.parentSchema as { description?: string })?.description;
        msg = `${at} has a wrong value (got ${show(value)})${desc ? `: ${desc}` : ''}`;
        break;
      }
      case 'pattern': {
        // the description says in words what the pattern asks for
        const desc = (e.parentSchema as { description?: string })?.description;
        msg = `${at} ${e.message ?? 'is invalid'} (got ${show(value)})${desc ? `: ${desc}` : ''}`;
        break;
      }
      default:
        msg = `${at} ${e.message ?? 'is invalid'} (got ${show(value)})`;
    }
    if (seen.has(msg)) continue;
    seen.add(msg);
    out.push({ path: p, message: msg, key, keyword: e.keyword, ...(e.keyword === 'required' && { missing: (e.params as { missingProperty: string }).missingProperty }) });
  }
  return out;
}
