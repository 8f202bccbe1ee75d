/**
 * One source for schema, type and defaults: a value a JSON Schema defaults is filled in before a
 * plugin sees it (ajv fills `with` before `run`; the config loader fills a namespace's section),
 * and its type, taken with `FromSchema`, says so. Code that applies the default again
 * (`input.timeout ?? '30s'`, `cfg.model ?? 'gpt-image-1'`) restates the schema and drifts from
 * it. This test reads the built-in namespaces' schemas and fails on any `x.<name> ?? <literal>`
 * in that namespace's sources where `<name>` is a property the schemas give a `default`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JSONSchema, NamespaceDef, PluginDef } from 'mpv2/plugin';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const pluginsDir = join(root, 'plugins');

/**
 * Hits that are not a default re-applied, `file: snippet` → why.
 */
const ALLOWED = new Map<string, string>([
  // the plan asks `effect()` on the static `with`, before ajv fills the defaults
  ['core/http-request.ts: method ?? \'GET\'', 'effect() runs on the static `with` too'],
  // the language the transcription server detected, when the step gave none (that input has no default)
  ['captions/transcribe-openai.ts: language ?? \'unknown\'', 'server data, not a schema value'],
  ['captions/transcribe-local.ts: language ?? \'unknown\'', 'what whisper.cpp detected, not a schema value'],
  // an argument of the tts `reference` service (captions calls it), not a step input ajv fills
  ['tts/reference.ts: rate ?? 1', 'a service argument'],
  // the account a saved attempt record holds (absent: none saved), not the step's `account:` input
  ['tiktok/upload.ts: account ?? \'\'', 'a saved record, not a schema value'],
  // the brand's optional title look (a runtime object, not a schema value); absent → the built-in look
  ['video/scene-titles.ts: font ?? \'Montserrat Black\'', 'an optional runtime look'],
  ['video/scene-titles.ts: outline ?? \'&H00000000\'', 'an optional runtime look'],
]);


const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.[cm]?[jt]s$/.test(e.name) ? [join(dir, e.name)] : []));

const isSchema = (v: unknown): v is JSONSchema => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Names of every property that has a `default`, anywhere in `schema`. */
function defaulted(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) { for (const s of schema) defaulted(s, out); return out; }
  if (!isSchema(schema)) return out;
  if (isSchema(schema.properties)) {
    for (const [name, p] of Object.entries(schema.properties)) if (isSchema(p) && 'default' in p) out.add(name);
  }
  for (const k of ['properties', 'patternProperties']) if (isSchema(schema[k])) for (const p of Object.values(schema[k] as object)) defaulted(p, out);
  for (const k of ['items', 'additionalProperties', 'oneOf', 'anyOf', 'allOf', 'then', 'else']) defaulted(schema[k], out);
  return out;
}

// `x.name ?? 'literal'`, `x?.name ?? 30`, `x.name ?? true`, `x.name ?? {}` / `[]`
const REAPPLIED = /[\w$\])]\??\.([A-Za-z_$][\w$]*)\s*\?\?\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`$]*`|-?\d[\d_.]*|true|false|\{\s*\}|\[\s*\])/g;

async function namespaces(): Promise<Array<{ ns: string; names: Set<string> }>> {
  const out: Array<{ ns: string; names: Set<string> }> = [];
  for (const ns of readdirSync(pluginsDir).sort()) {
    const mod = (await import(join(pluginsDir, ns, 'index.ts'))) as { default: PluginDef[]; namespace?: NamespaceDef };
    const names = new Set<string>();
    defaulted(mod.namespace?.config?.schema, names);
    for (const p of mod.default) { defaulted(p.input, names); defaulted(p.config, names); }
    out.push({ ns, names });
  }
  return out;
}

function reapplied(ns: string, names: Set<string>): string[] {
  const hits: string[] = [];
  for (const file of sourceFiles(join(pluginsDir, ns))) {
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (/^\s*(\/\/|\*)/.test(line)) return;
      for (const m of line.matchAll(REAPPLIED)) {
        if (!names.has(m[1]!)) continue;
        hits.push(`${relative(pluginsDir, file)}: ${m[1]} ?? ${m[2]}|line ${i + 1}`);
      }
    });
  }
  return hits;
}

describe('schema defaults are not re-applied in code', () => {
  it('finds the defaulted properties of the schemas (the check has something to check)', async () => {
    const all = await namespaces();
    const by = Object.fromEntries(all.map((n) => [n.ns, n.names]));
    expect(by.media!.has('concurrency')).toBe(true);
    expect(by.core!.has('timeout')).toBe(true);
    expect(by.twitter!.has('maxLength')).toBe(true);
    expect([...defaulted({ properties: { a: { type: 'object', properties: { b: { default: 1 } } } } })]).toEqual(['b']);
  });

  it('no plugin source applies a schema default again (`x.<defaulted> ?? <literal>`)', async () => {
    const found: string[] = [];
    for (const { ns, names } of await namespaces()) found.push(...reapplied(ns, names));
    const unexplained = found.filter((h) => { const key = h.split('|')[0]!; return !ALLOWED.has(key); });
    expect(unexplained, 'a schema gives these a default, which ajv or the config loader fills before the plugin reads them: drop the `??` and type the value with FromSchema (docs/writing-plugins.md, "Types from schemas")').toEqual([]);
  });

  it('the allow-lists hold only hits that still exist', async () => {
    const found = new Set<string>();
    for (const { ns, names } of await namespaces()) for (const h of reapplied(ns, names)) found.add(h.split('|')[0]!);
    expect([...ALLOWED.keys()].filter((k) => !found.has(k))).toEqual([]);
  });
});
