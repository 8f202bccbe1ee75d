import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyYaml } from 'yaml';
import { mpv2Error, type Mpv2Error } from 'mpv2/plugin';
import { MAX_YAML_DEPTH, parseYamlData, tooDeepData } from 'mpv2/plugin';
import { findJsonError, lineColumn } from './json-error.js';

export type ReadFormat = 'text' | 'json' | 'yaml' | 'csv';
export type WriteFormat = 'text' | 'json' | 'yaml';

const BY_EXTENSION: Record<string, ReadFormat> = { '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml', '.csv': 'csv' };

/** The format a file's extension suggests: .json, .yaml/.yml, .csv, else text. */
export function formatFromPath(path: string): ReadFormat {
  return BY_EXTENSION[extname(path).toLowerCase()] ?? 'text';
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses `text` (read from `file`) as `format`; syntax errors become E_FILE with line:column. */
export function parseAs(format: Exclude<ReadFormat, 'text'>, text: string, file: string): unknown {
  switch (format) {
    case 'json':
      return parseJson(text, file);
    case 'yaml':
      return parseYamlText(text, file);
    case 'csv':
      return parseCsvText(text, file);
  }
}

function parseJson(text: string, file: string): unknown {
  if (text.trim() === '') throw syntaxError(file, 'JSON', 'the file is empty', undefined, undefined);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const found = findJsonError(text);
    const at = found ? lineColumn(text, found.offset) : undefined;
    throw syntaxError(file, 'JSON', found?.reason ?? (e as Error).message, at?.line, at?.column, e);
  }
  // the same cap as YAML: schema checks, the journal and expressions all recurse
  if (tooDeepData(data)) throw syntaxError(file, 'JSON', `the value is nested more than ${MAX_YAML_DEPTH} levels deep`, undefined, undefined, undefined, 'flatten the data');
  return data;
}

/** Keys that set an object's prototype when data is copied with assignment. */
const DATA_FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__']);

/** The same rules as pipelines and inputs (src/infra/yaml.ts): only what JSON can hold, kept as written. */
function parseYamlText(text: string, file: string): unknown {
  const { data, problems } = parseYamlData(text, { forbiddenKeys: DATA_FORBIDDEN_KEYS, strict: false });
  const p = problems[0];
  if (p) throw syntaxError(file, 'YAML', p.message, p.line, p.column, undefined, p.hint);
  return data;
}

function parseCsvText(text: string, file: string): unknown {
  try {
    return parseCsv(text, { columns: true, bom: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  } catch (e) {
    const err = e as Error & { lines?: number; code?: string };
    const reason = err.message.replace(/ (on|at) line \d+$/, '');
    throw syntaxError(file, 'CSV', reason, err.lines, undefined, e);
  }
}

function syntaxError(file: string, kind: string, reason: string, line: number | undefined, column: number | undefined, cause?: unknown, hint?: string): Mpv2Error {
  const where = line === undefined ? '' : column === undefined ? `:${line}` : `:${line}:${column}`;
  return mpv2Error('E_FILE', `${file}${where} is not valid ${kind}: ${reason}`, {
    loc: { file, line, column },
    hint: hint ? `${hint}; or read it with \`format: text\` to get it as a string` : `fix the file, or read it with \`format: text\` to get it as a string`,
    cause,
  });
}

/** Text to write for `data` in `format`; JSON is indented by two spaces and ends with a newline. */
export function serialize(format: WriteFormat, data: unknown, file: string): string {
  if (format === 'json') {
    const s = JSON.stringify(data, null, 2);
    if (s === undefined) throw mpv2Error('E_INPUT_INVALID', `\`data\` for ${file} cannot be written as JSON`);
    return `${s}\n`;
  }
  if (format === 'yaml') return stringifyYaml(data);
  if (typeof data === 'string') return data;
  throw mpv2Error('E_INPUT_INVALID', `\`data\` for ${file} is ${Array.isArray(data) ? 'a list' : typeof data}, which format text cannot hold`, {
    hint: 'use `format: json` or `format: yaml`, or pass the text as `content`',
  });
}
