/**
 * The core knows no plugin by name: no string in src/ (outside the registry of built-ins) names
 * a built-in plugin, namespace, config key or environment variable a namespace declares. The
 * names come from the loaded plugins, so a new plugin or setting is covered without editing
 * this test. Comments may name plugins (they explain); strings are what the code acts on.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { namespaceEnv } from '../../../src/config/namespaces.js';
import { PluginRegistry } from '../../../src/plugin/registry.js';

const SRC = join(import.meta.dirname, '..', '..', '..', 'src');
/** The one file allowed to name the built-ins: it is their registry. */
const REGISTRY = join('plugin', 'registry.ts');
/**
 * Namespaces that are also words of mpv2's own vocabulary (a `file:` URL, an `http:` URL, "core
 * checks"): a string equal to one is not taken for the namespace; their plugin ids still are.
 */
const COMMON_WORDS = new Set(['core', 'file', 'http']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every string literal and template piece of a file, with its line. */
function strings(file: string): Array<{ text: string; line: number }> {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Array<{ text: string; line: number }> = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) {
      out.push({ text: n.text, line: sf.getLineAndCharacterOfPosition(n.getStart()).line + 1 });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

async function builtinNames() {
  const registry = await PluginRegistry.create({ root: mkdtempSync(join(tmpdir(), 'mpv2-names-')) });
  await registry.loadAll();
  const ids = registry.all().map((p) => p.def.id);
  const declared = registry.namespaces().map((n) => n.def);
  const namespaces = [...new Set([...ids.map((id) => id.split('.')[0]!), ...declared.map((n) => n.namespace)])];
  const configKeys = declared.flatMap((n) => Object.keys((n.config?.schema.properties ?? {}) as object).map((k) => `${n.namespace}.${k}`));
  const { env } = namespaceEnv(declared);
  const variables = [...new Set([...env.paths.map((p) => p.variable), ...env.secrets])];
  const commands = declared.flatMap((n) => Object.keys(n.commands ?? {}).map((c) => `${n.namespace}:${c}`));
  return { ids, namespaces, configKeys, variables, commands };
}

/** What in `text` names a plugin, if anything. */
function naming(text: string, n: Awaited<ReturnType<typeof builtinNames>>): string | undefined {
  const word = (w: string) => new RegExp(`(^|[^\\w.-])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w-])`).test(text);
  return n.ids.find(word) ?? n.configKeys.find(word) ?? n.variables.find(word) ?? n.commands.find(word)
    ?? n.namespaces.find((ns) => !COMMON_WORDS.has(ns) && text.trim() === ns);
}

describe('the core knows no plugin by name', () => {
  it('finds a plugin id, a config key and a variable in a string, and leaves other words alone', async () => {
    const n = await builtinNames();
    expect(n.ids).toContain('llm.generate');
    expect(n.variables).toContain('PEXELS_API_KEY');
    expect(naming('uses llm.generate here', n)).toBe('llm.generate');
    expect(naming('set outreach.smtp.password', n)).toBe('outreach.smtp');
    expect(naming('PEXELS_API_KEY', n)).toBe('PEXELS_API_KEY');
    expect(naming('afm', n)).toBe('afm');
    expect(naming('file', n)).toBeUndefined();
    expect(naming('http://127.0.0.1', n)).toBeUndefined();
    expect(naming('the llm-ish thing', n)).toBeUndefined();
  });

  it('no string in src/ outside the registry of built-ins names one', async () => {
    const n = await builtinNames();
    const found: string[] = [];
    for (const file of sourceFiles(SRC)) {
      if (relative(SRC, file) === REGISTRY) continue;
      for (const s of strings(file)) {
        const name = naming(s.text, n);
        if (name) found.push(`src/${relative(SRC, file)}:${s.line} names "${name}": ${JSON.stringify(s.text.slice(0, 80))}`);
      }
    }
    expect(found).toEqual([]);
  });
});
