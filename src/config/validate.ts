/**
 * Validates the merged config with ajv and turns every failure into one line that says
 * where the value came from, what was expected and what came:
 * `.mpv2rc.yaml:4:12: cache.maxSize must be a size such as 2GB or 500MB (got "lots")`.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { compileSchema } from '../infra/ajv.js';
import { mpv2Error, type Mpv2Error, type SourceLocation } from '../errors.js';
import type { JSONSchema } from '../plugin/types.js';
import { closest as didYouMean } from '../infra/suggest.js';
import { getPath } from './merge.js';
import type { Position } from './positions.js';
import { PATTERN_PHRASES } from './schema.js';
import { declaredKeys, isWriteOnlyPath, schemaAt } from './schema-walk.js';

/** Config schemas compile on the shared ajv instance (no meta-schema check: it costs start-up time). */
export function compileConfigSchema(schema: JSONSchema): ValidateFunction {
  return compileSchema(schema);
}

export interface Problem {
  /** Where the value came from: `.mpv2rc.yaml`, `env MPV2_X`, `flag`, `default`. */
  source: string;
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export interface ValidateOptions {
  schema: JSONSchema;
  values: unknown;
  /** Origin of a dotted path (`file .mpv2rc.yaml`, `env MPV2_X`, …). */
  originOf(path: string): string | undefined;
  /** Line/column of a path in the config file, when the value came from it. */
  locate?(path: string[], key?: boolean): Position | undefined;
  /** The config file, relative to the root, for locations. */
  file?: string;
  /** Absolute config file path, for `loc`. */
  fileAbs?: string;
}

/** A value quoted whole, or described by its kind when long: a cut-off quote could carry a piece of a secret below it. */
function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  if (s.length <= 80) return s;
  return typeof v === 'string' ? `a text of ${v.length} characters` : Array.isArray(v) ? `a list of ${v.length} items` : 'an object';
}

function expected(e: ErrorObject, schema: JSONSchema): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type': return `must be ${Array.isArray(p.type) ? p.type.join(' or ') : String(p.type)}`;
    case 'enum': return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const': return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'pattern': {
      const phrase = PATTERN_PHRASES[String(p.pattern)];
      const examples = Array.isArray(schema.examples) ? ` such as ${schema.examples.map(String).join(' or ')}` : '';
      return phrase ? `must be ${phrase}` : `must match ${String(p.pattern)}${examples}`;
    }
    default: return e.message ?? `fails ${e.keyword}`;
  }
}

function toProblem(e: ErrorObject, o: ValidateOptions): Problem {
  const segs = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const p = e.params as Record<string, unknown>;
  let path = segs;
  let message: string;
  let atKey = false;
  if (e.keyword === 'additionalProperties') {
    const key = String(p.additionalProperty);
    path = [...segs, key];
    const allowed = declaredKeys(schemaAt(o.schema, segs)).filter((k) => k !== '$schema');
    const near = didYouMean(key, allowed);
    const where = segs.length ? ` in ${segs.join('.')}` : '';
    message = `unknown key "${key}"${where}${near ? ` (did you mean "${near}"?)` : ''}; allowed: ${allowed.join(', ') || 'none'}`;
    atKey = true;
  } else if (e.keyword === 'required') {
    path = [...segs, String(p.missingProperty)];
    message = `${path.join('.')} is required`;
  } else {
    const secret = isWriteOnlyPath(o.schema, segs);
    const got = secret ? '[REDACTED]' : show(getPath(o.values, segs));
    message = `${segs.join('.') || 'the config'} ${expected(e, (e.parentSchema ?? {}) as JSONSchema)} (got ${got})`;
  }
  const dotted = path.join('.');
  const origin = o.originOf(dotted) ?? o.originOf(segs.join('.'));
  if (origin?.startsWith('file ') && o.file) {
    const pos = o.locate?.(path, atKey);
    return { source: o.file, path: dotted, message, line: pos?.line, column: pos?.column };
  }
  return { source: origin ?? (o.file ?? 'config'), path: dotted, message };
}

function format(p: Problem): string {
  const where = p.line !== undefined ? `${p.source}:${p.line}:${p.column}` : p.source;
  return `${where}: ${p.message}`;
}

/** Validates; returns the problems (empty when the config is valid). */
export function findProblems(o: ValidateOptions): Problem[] {
  const validate = compileConfigSchema(o.schema);
  if (validate(o.values)) return [];
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const e of validate.errors ?? []) {
    // anyOf/oneOf repeat what their branches said
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const pr = toProblem(e, o);
    const line = format(pr);
    if (!seen.has(line)) { seen.add(line); out.push(pr); }
  }
  // in file order, then values from the environment and flags
  return out.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
}

/** One E_CONFIG_INVALID listing every problem, located at the first one. */
export function configError(problems: Problem[], o: Pick<ValidateOptions, 'file' | 'fileAbs'>): Mpv2Error {
  const first = problems.find((p) => p.line !== undefined) ?? problems[0];
  const loc: SourceLocation | undefined = first && first.source === o.file && o.fileAbs
    ? { file: o.fileAbs, line: first.line, column: first.column }
    : undefined;
  const head = problems.length === 1 ? 'the config has 1 wrong value' : `the config has ${problems.length} wrong values`;
  return mpv2Error('E_CONFIG_INVALID', `${head}:\n${problems.map((p) => `  ${format(p)}`).join('\n')}`, {
    loc,
    hint: 'run `mpv2 config show` to see every value and where it came from; all keys are in docs/config.md',
    details: { problems },
  });
}
