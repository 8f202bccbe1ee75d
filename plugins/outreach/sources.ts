/**
 * Lead sources: CSV, JSON and YAML files with any columns, and the CSV/JSON output of the
 * open-source google-maps-scraper (gosom/google-maps-scraper: `title`, `website`, `phone`,
 * `address`, `emails` …). Every row becomes a flat record of its fields; the columns mpv2
 * knows (`name`, `company`, `website`, `email`) are recognised under their usual spellings.
 * A CSV cell holding a JSON object or list (the scraper writes `owner`, `open_hours`,
 * `complete_address` … so) becomes that object, so `owner.name` is a name, not JSON text.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { mpv2Error } from 'mpv2/plugin';
import { parse as parseCsv } from 'csv-parse/sync';
import type { LeadsInput } from './leads-schema.js';

export type SourceFormat = LeadsInput['format'];

export interface RawLead {
  /** Every column of the row, values as they came (strings from CSV). */
  fields: Record<string, unknown>;
  /** Where the row came from, for messages: `leads.csv:4` (line of the data row, header = 1). */
  origin: string;
  /** Addresses the source itself gives (an `email` column, the scraper's `emails`). */
  emails: string[];
  name?: string;
  company?: string;
  website?: string;
  /** What was wrong with the row but did not stop it (a malformed JSON cell): `leads.csv:4, column "owner": …`. */
  warnings: string[];
}

/**
 * The columns of gosom/google-maps-scraper's CSV export (`Entry.CsvHeaders` in gmaps/entry.go)
 * that it fills with JSON (`stringify`): a cell of these that is not JSON is malformed.
 */
export const GMAPS_JSON_COLUMNS = new Set(['open_hours', 'popular_times', 'reviews_per_rating', 'images', 'reservations', 'order_online', 'menu', 'owner', 'complete_address', 'about', 'user_reviews']);

/** Column spellings recognised for each known field (compared lower-cased, `_`/`-`/space removed). */
const ALIASES: Record<'name' | 'company' | 'website' | 'email', string[]> = {
  name: ['name', 'fullname', 'contact', 'contactname', 'firstname', 'owner'],
  company: ['company', 'companyname', 'business', 'businessname', 'organisation', 'organization'],
  website: ['website', 'url', 'site', 'web', 'homepage', 'domain'],
  email: ['email', 'emails', 'mail', 'emailaddress', 'e-mail'],
};

const squash = (k: string) => k.toLowerCase().replace(/[\s_-]/g, '');

/** A google-maps-scraper export has these columns; `title` is then the business, not a person. */
export function looksLikeGoogleMaps(columns: string[]): boolean {
  const set = new Set(columns.map(squash));
  return set.has('title') && (set.has('link') || set.has('cid') || set.has('placeid') || set.has('dataid')) && (set.has('category') || set.has('address'));
}

/** Parses a data file as file.read does (the `file` namespace's `parse` service). */
export type ParseFile = (format: 'csv' | 'json' | 'yaml', text: string, file: string) => Promise<unknown>;

/** Reads one file into rows. */
export async function readSource(file: string, display: string, format: SourceFormat, signal: AbortSignal, parse: ParseFile): Promise<RawLead[]> {
  const text = await readFile(file, { encoding: 'utf8', signal }).catch((e: unknown) => {
    throw mpv2Error('E_FILE', `cannot read the leads file "${display}": ${(e as Error).message}`, { cause: e, hint: 'check the path; it is relative to the pipeline file' });
  });
  const ext = extname(file).toLowerCase();
  const parseFormat = format === 'auto' || format === 'google-maps'
    ? (ext === '.csv' ? 'csv' : ext === '.yaml' || ext === '.yml' ? 'yaml' : ext === '.json' ? 'json' : undefined)
    : format;
  if (!parseFormat) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `cannot tell the format of "${display}" from its extension`, { hint: 'use a .csv, .json, .yaml file or set `format`' });
  }
  let data = await parse(parseFormat, text, file);
  // a JSON/YAML object holding the list: { leads: [...] } or { results: [...] }
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const list = Object.values(data as Record<string, unknown>).find(Array.isArray);
    if (list) data = list;
  }
  if (!Array.isArray(data)) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `"${display}" holds no list of leads`, { hint: 'a CSV with a header row, or a JSON/YAML list of objects' });
  }
  const rows = data.filter((r): r is Record<string, unknown> => !!r && typeof r === 'object' && !Array.isArray(r));
  const gmaps = format === 'google-maps' || (format === 'auto' && rows.length > 0 && looksLikeGoogleMaps(Object.keys(rows[0]!)));
  const csvLines = parseFormat === 'csv' ? recordLines(text) : undefined;
  const lineOf = (i: number) => csvLines?.[i] ?? i + 1;
  return rows.map((r, i) => toLead(r, `${display}:${lineOf(i)}`, gmaps));
}

/**
 * The line each CSV record starts on (header = 1). A quoted cell may hold line breaks (the
 * scraper's descriptions do), so the row number is not the line number.
 */
function recordLines(text: string): number[] {
  const records = parseCsv(text, { columns: true, bom: true, skip_empty_lines: true, info: true }) as Array<{ info: { lines: number; empty_lines: number } }>;
  const out: number[] = [];
  let end = 1;
  let empty = 0;
  for (const { info } of records) {
    out.push(end + 1 + (info.empty_lines - empty));
    end = info.lines;
    empty = info.empty_lines;
  }
  return out;
}

/** Inline leads given in `with.leads` (e.g. an earlier step's output). */
export function inlineLeads(rows: unknown[]): RawLead[] {
  return rows
    .map((r) => (typeof r === 'string' ? { email: r } : r))
    .filter((r): r is Record<string, unknown> => !!r && typeof r === 'object' && !Array.isArray(r))
    .map((r, i) => toLead(r, `leads[${i}]`, looksLikeGoogleMaps(Object.keys(r))));
}

/**
 * A cell's value: a string that holds a JSON object or list becomes it. In a scraper export a
 * JSON column that does not parse is left out with a warning (its text would end up in a
 * greeting); elsewhere such text stays text (`[draft] note` is not meant as JSON).
 */
function cellValue(column: string, value: string, origin: string, gmaps: boolean, warnings: string[]): unknown {
  const jsonColumn = gmaps && GMAPS_JSON_COLUMNS.has(column.trim().toLowerCase());
  if (!/^[[{]/.test(value) && !(jsonColumn && value !== '')) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    // Go writes an empty list as `null`
    if (typeof parsed === 'object') return parsed;
    if (!jsonColumn) return value;
    throw new Error('not an object or a list');
  } catch (e) {
    if (!jsonColumn) return value;
    warnings.push(`${origin}, column "${column}": not valid JSON (${(e as Error).message}); the cell is left out`);
    return null;
  }
}

export function toLead(row: Record<string, unknown>, origin: string, gmaps: boolean): RawLead {
  const fields: Record<string, unknown> = {};
  const warnings: string[] = [];
  for (const [k, v] of Object.entries(row)) fields[k] = typeof v === 'string' ? cellValue(k, v.trim(), origin, gmaps, warnings) : v;
  const pick = (what: keyof typeof ALIASES): unknown => {
    // in a google-maps-scraper export `title` is the business and `owner` the person
    const names = gmaps && what === 'name' ? ['owner'] : gmaps && what === 'company' ? ['title'] : ALIASES[what];
    for (const [k, v] of Object.entries(fields)) {
      if (names.includes(squash(k)) && v !== '' && v !== null && v !== undefined) return v;
    }
    return undefined;
  };
  const text = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v || undefined;
    if (typeof v === 'number') return String(v);
    // the scraper's owner is { id, name, link }
    if (v && typeof v === 'object' && 'name' in v && typeof (v as { name: unknown }).name === 'string') return (v as { name: string }).name.trim() || undefined;
    return undefined;
  };
  const emailValue = pick('email');
  const emails = (Array.isArray(emailValue) ? emailValue : [emailValue])
    .flatMap((e) => (typeof e === 'string' ? e.split(/[,;\s]+/) : []))
    .filter((e) => e.trim() !== '');
  return { fields, origin, emails, name: text(pick('name')), company: text(pick('company')), website: text(pick('website')), warnings };
}
