/**
 * Plugin error codes live with their namespace: every `pluginError('<ns>/<NAME>', …)` in a
 * built-in namespace's folder is declared in that namespace's `errors` (and every declared code
 * is raised somewhere), and a module declaring a code outside its namespace does not load.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PluginRegistry } from '../../../src/plugin/registry.js';

const PLUGINS = join(import.meta.dirname, '..', '..', '..', 'plugins');

/** The codes raised with `pluginError('<ns>/<NAME>'` in each built-in namespace folder. */
function codesRaised(): Set<string> {
  const out = new Set<string>();
  for (const e of readdirSync(PLUGINS, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !e.name.endsWith('.ts')) continue;
    for (const m of readFileSync(join(e.parentPath, e.name), 'utf8').matchAll(/pluginError\(\s*'([^']+)'/g)) out.add(m[1]!);
  }
  return out;
}

describe('namespace error codes', () => {
  it('each code a built-in raises is declared by its namespace, and each declared one is raised', async () => {
    const registry = await PluginRegistry.create({ root: mkdtempSync(join(tmpdir(), 'mpv2-codes-')) });
    await registry.loadAll();
    const declared = registry.namespaces().flatMap((n) => Object.keys(n.def.errors ?? {}));
    expect(declared).toContain('outreach/SMTP_REJECTED');
    const raised = codesRaised();
    expect([...raised].filter((c) => !declared.includes(c))).toEqual([]);
    expect(declared.filter((c) => !raised.has(c))).toEqual([]);
  });

  it('a namespace declaring a code outside itself is refused at load with the reason', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mpv2-codes-'));
    writeFileSync(join(root, 'acme.mjs'), `export default [];\nexport const namespace = { namespace: 'acme', errors: { 'outreach/SMTP_REJECTED': { summary: 'x' } } };\n`);
    const registry = await PluginRegistry.create({ root, configPlugins: ['./acme.mjs'] });
    expect(registry.broken.map((b) => b.error.message)).toEqual([expect.stringContaining('error code "outreach/SMTP_REJECTED" must be "acme/<NAME>"')]);
  });
});
