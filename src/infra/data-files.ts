/**
 * Reading data files (JSON, YAML, CSV) with errors that name `file:line:column`, for plugins that
 * take a data file as input (core's file.read, outreach's lead sources).
 */
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { mpv2Error, type Mpv2Error } from '../errors.js';
import { findJsonError, lineColumn } from './json-error.js';

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
  const fail = (kind: string, reason: string, line?: number, column?: number, cause?: unknown) => syntaxError(file, kind, reason, line, column, hint, cause);
  switch (format) {
    case 'json':
      return parseJson(text, fail);
    case 'yaml':
      return parseYamlText(text, fail);
    case 'csv':
      return parseCsvText(text, fail);
  }
}

type Fail = (kind: string, reason: string, line?: number, column?: number, cause?: unknown) => Mpv2Error;

function parseJson(text: string, fail: Fail): unknown {
  if (text.trim() === '') throw fail('JSON', 'the file is empty');
  try {
    return JSON.parse(text);
  } catch (e) {
    const found = findJsonError(text);
    const at = found ? lineColumn(text, found.offset) : undefined;
    throw fail('JSON', found?.reason ?? (e as Error).message, at?.line, at?.column, e);
  }
}

function parseYamlText(text: string, fail: Fail): unknown {
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (e) {
    if (!(e instanceof YAMLParseError)) throw e;
    const pos = e.linePos?.[0];
    // the pretty message repeats the position and a snippet: keep its first line
    const reason = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw fail('YAML', reason, pos?.line, pos?.col, e);
  }
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
