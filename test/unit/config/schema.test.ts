import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BASE_KEYS, buildConfigSchema, configSchemaForFile, writeSchemaFile } from '../../../src/config/schema.js';
import { compileConfigSchema } from '../../../src/config/validate.js';
import type { JSONSchema } from '../../../src/plugin/types.js';
import { pluginSchemas } from './fixtures.js';
import { makeProject } from './helpers.js';
import { PluginRegistry } from '../../../src/plugin/registry.js';
import { pluginSchemas as builtinSchemas } from '../../../src/engine/project.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../../schemas/config.schema.json', import.meta.url));

/** Settings with no default by nature (unset means "look it up" or "off"). */
const NO_DEFAULT = new Set(['concurrency', 'ffmpeg.path', 'ffmpeg.ffprobePath', 'browser.chromiumPath', 'browser.chromedriverPath', 'browser.geckodriverPath', 'queue.url', '$schema']);

function walk(schema: JSONSchema, prefix: string, visit: (path: string, s: JSONSchema) => void): void {
  for (const [k, s] of Object.entries((schema.properties ?? {}) as Record<string, JSONSchema>)) {
    visit(`${prefix}${k}`, s);
    walk(s, `${prefix}${k}.`, visit);
    if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties as JSONSchema, `${prefix}${k}.*.`, visit);
  }
}

describe('config schema', () => {
  it('schemas/config.schema.json is in sync with the built-in plugins (UPDATE_SCHEMAS=1 rewrites it)', async () => {
    // an empty project of its own: the temp folder itself may hold a node_modules with plugins in it
    const registry = await PluginRegistry.create({ root: makeProject() });
    await registry.loadAll();
    const sections = builtinSchemas(registry);
    if (process.env.UPDATE_SCHEMAS === '1') writeSchemaFile(SCHEMA_FILE, sections);
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(configSchemaForFile(sections));
  }, 60_000);

  it('describes every property and gives a default wherever one exists', () => {
    const missing: string[] = [];
    walk(buildConfigSchema(), '', (path, s) => {
      if (typeof s.description !== 'string' || s.description.length < 5) missing.push(`${path}: description`);
      if (!('default' in s) && !NO_DEFAULT.has(path) && !path.startsWith('limits.*.')) missing.push(`${path}: default`);
    });
    expect(missing).toEqual([]);
  });

  it('has the base keys and one section per plugin namespace', () => {
    expect(BASE_KEYS).toEqual(['plugins', 'paths', 'concurrency', 'limits', 'cache', 'ffmpeg', 'browser', 'log', 'runs', 'http', 'queue', 'serve', 'approvals']);
    const s = buildConfigSchema(pluginSchemas);
    expect(Object.keys(s.properties as object)).toEqual(expect.arrayContaining([...BASE_KEYS, 'llm', 'media']));
    expect(s.additionalProperties).toBe(false);
    expect(() => buildConfigSchema({ cache: { type: 'object' } })).toThrow(/clashes/);
  });

  it('the checked-in schema accepts third-party namespaces but closed schemas do not', () => {
    const open = compileConfigSchema(JSON.parse(configSchemaForFile()) as JSONSchema);
    expect(open({ 'acme': { token: 'x' }, runs: { keep: 3 } })).toBe(true);
    expect(open({ runs: { keep: -1 } })).toBe(false);
    const closed = compileConfigSchema(buildConfigSchema());
    expect(closed({ acme: {} })).toBe(false);
  });
});

describe('namespaceSchemas and parseSize', async () => {
  const { namespaceSchemas } = await import('../../../src/config/namespaces.js');
  const { parseSize } = await import('../../../src/config/size.js');

  it('groups plugin config schemas by namespace and reports conflicts', () => {
    const llm = { type: 'object', properties: { a: { type: 'string' } } };
    const r = namespaceSchemas([
      { id: 'llm.generate', config: llm },
      { id: 'llm.chat', config: { ...llm } },
      { id: 'llm.other', config: { type: 'object' } },
      { id: 'core.set' },
      { id: 'cache.clear', config: { type: 'object' } },
    ]);
    expect(r.schemas).toEqual({ llm });
    expect(r.conflicts).toHaveLength(2);
    expect(r.conflicts[0]).toContain('llm.other');
    expect(r.conflicts[1]).toContain('reserved');
  });

  it('parses sizes', () => {
    expect(parseSize('2GB')).toBe(2 * 1024 ** 3);
    expect(parseSize('500 mb')).toBe(500 * 1024 ** 2);
    expect(parseSize('1.5KB')).toBe(1536);
    expect(parseSize('1024')).toBe(1024);
    expect(parseSize(10)).toBe(10);
    expect(() => parseSize('lots')).toThrow(/size such as 2GB/);
  });
});
