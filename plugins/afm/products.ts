/** The campaign's product list: inline URLs, and a CSV, YAML or JSON file of them. */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { mpv2Error } from 'mpv2/plugin';
import { parseYamlData } from 'mpv2/plugin';
import type { CampaignInput } from './campaign.js';

export interface ProductRef {
  url: string;
  /** Extra words for the pitch (a note on who it is for, a use case). */
  notes?: string;
}

/** An item of `products` in afm.campaign's `with`. */
export type ProductItem = CampaignInput['products'][number];

function toRef(v: unknown, where: string): ProductRef {
  if (typeof v === 'string') return { url: v.trim() };
  if (v && typeof v === 'object' && typeof (v as { url?: unknown }).url === 'string') {
    const o = v as { url: string; notes?: unknown };
    return { url: o.url.trim(), ...(typeof o.notes === 'string' && o.notes && { notes: o.notes }) };
  }
  throw mpv2Error('E_PLUGIN_INPUT_INVALID', `${where}: expected a product URL or { url, notes }, got ${JSON.stringify(v)}`);
}

export function readProductsFile(file: string, shown: string): ProductRef[] {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) {
    throw mpv2Error('E_FILE', `cannot read the products file ${shown}: ${(e as Error).message}`, { cause: e });
  }
  if (extname(file).toLowerCase() === '.csv') {
    const rows = parseCsv(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true }) as Array<Record<string, string>>;
    if (rows.length && !('url' in rows[0]!)) throw mpv2Error('E_PLUGIN_INPUT_INVALID', `products file ${shown}: the CSV needs a \`url\` column (found: ${Object.keys(rows[0]!).join(', ')})`);
    return rows.map((r, i) => toRef({ url: r.url, notes: r.notes }, `${shown} row ${i + 2}`));
  }
  // YAML and JSON by the pipeline rules (src/infra/yaml.ts): plain data, problems at line:col
  const { data, problems } = parseYamlData(text, { forbiddenKeys: new Set(['__proto__']), strict: false });
  const p = problems[0];
  if (p) throw mpv2Error('E_FILE', `products file ${shown}:${p.line}:${p.column}: ${p.message}`, { loc: { file: shown, line: p.line, column: p.column }, hint: p.hint ?? 'fix the YAML or JSON syntax' });
  const list = Array.isArray(data) ? data : (data as { products?: unknown } | null)?.products;
  if (!Array.isArray(list)) throw mpv2Error('E_PLUGIN_INPUT_INVALID', `products file ${shown}: expected a list of URLs (or { url, notes }), or a \`products:\` list`);
  return list.map((v, i) => toRef(v, `${shown} item ${i + 1}`));
}

/** Inline items then file items, duplicates (same URL) dropped. */
export function productList(inline: ProductItem[], fromFile: ProductRef[]): ProductRef[] {
  const seen = new Set<string>();
  const out: ProductRef[] = [];
  for (const r of [...inline.map((v, i) => toRef(v, `products[${i}]`)), ...fromFile]) {
    if (!r.url || seen.has(r.url)) continue;
    seen.add(r.url);
    out.push(r);
  }
  return out;
}
