/**
 * Reading data files (JSON, YAML, CSV) with errors that name `file:line:column`, for plugins that
 * take a data file as input (core's file.read, outreach's lead sources).
 */
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { mpv2Error, type Mpv2Error } from '../errors.js';
import { findJsonError, lineColumn } from './json-error.js';
import { MAX_YAML_DEPTH, parseYamlData, tooDeepData } from './yaml.js';

export type ReadFormat = 'text' | 'json' | 'yaml' | 'csv';

const BY_EXTENSION: Record<string, ReadFormat> = { '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml', '.csv': 'csv' };

/** The format a file's extension suggests: .json, .yaml/.yml, .csv, else text. */
export function formatFromPath(path: string): ReadFormat {
  return BY_EXTENSION[extname(path).toLowerCase()] ?? 'text';
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Parses `text` (read from `file`) as `format`; syntax errors become E_FILE with line:column and
 * `hint`, what the user can do about it.
 */
export function parseAs(format: Exclude<ReadFormat, 'text'>, text: string, file: string, hint = 'fix the file'): unknown {
  // a problem with a remedy of its own (flatten the data, drop a tag) says it before the general one
  const fail = (kind: string, reason: string, line?: number, column?: number, cause?: unknown, own?: string) => syntaxError(file, kind, reason, line, column, own ? `${own}; ${hint}` : hint, cause);
  switch (format) {
    case 'json':
      return parseJson(text, fail);
    case 'yaml':
      return parseYamlText(text, fail);
    case 'csv':
      return parseCsvText(text, fail);
  }
}

type Fail = (kind: string, reason: string, line?: number, column?: number, cause?: unknown, own?: string) => Mpv2Error;

function parseJson(text: string, fail: Fail): unknown {
  if (text.trim() === '') throw fail('JSON', 'the file is empty');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const found = findJsonError(text);
    const at = found ? lineColumn(text, found.offset) : undefined;
    throw fail('JSON', found?.reason ?? (e as Error).message, at?.line, at?.column, e);
  }
  // the same cap as YAML: schema checks, the journal and expressions all recurse
  if (tooDeepData(data)) throw fail('JSON', `the value is nested more than ${MAX_YAML_DEPTH} levels deep`, undefined, undefined, undefined, 'flatten the data');
  return data;
}

/** Keys that set an object's prototype when data is copied with assignment (a data file may have a `constructor` field). */
const DATA_FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__']);

/** The same rules as pipelines and inputs (./yaml.ts): only what JSON can hold, kept as written. */
function parseYamlText(text: string, fail: Fail): unknown {
  const { data, problems } = parseYamlData(text, { forbiddenKeys: DATA_FORBIDDEN_KEYS, strict: false });
  const p = problems[0];
  if (p) throw fail('YAML', p.message, p.line, p.column, undefined, p.hint);
  return data;
}

function parseCsvText(text: string, fail: Fail): unknown {
  try {
    return parseCsv(text, { columns: true, bom: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  } catch (e) {
    const err = e as Error & { lines?: number; code?: string };
    const reason = err.message.replace(/ (on|at) line \d+$/, '');
    throw fail('CSV', reason, err.lines, undefined, e);
  }
}

function syntaxError(file: string, kind: string, reason: string, line: number | undefined, column: number | undefined, hint: string, cause?: unknown): Mpv2Error {
  const where = line === undefined ? '' : column === undefined ? `:${line}` : `:${line}:${column}`;
  return mpv2Error('E_FILE', `${file}${where} is not valid ${kind}: ${reason}`, { loc: { file, line, column }, hint, cause });
}
