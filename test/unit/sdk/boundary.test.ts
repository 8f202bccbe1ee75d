/**
 * Built-in plugins are packages in all but name: a namespace folder under plugins/ imports only
 * the SDK (`mpv2/plugin`), files of its own folder, node: built-ins and the npm packages mpv2
 * depends on, so it could move to its own repository unchanged.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const pluginsDir = join(root, 'plugins');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

/**
 * Imports of another namespace's folder still waiting for a service: `file → specifier`.
 * Empty since afm and outreach call `ctx.services.llm`; nothing may be added to it.
 */
const CROSS_NAMESPACE_PENDING = new Set<string>([]);

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.[cm]?[jt]s$/.test(e.name) ? [join(dir, e.name)] : []));

/** `lodash` of `lodash/fp`, `@scope/name` of `@scope/name/sub`. */
const packageName = (spec: string): string => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

/** Why `spec`, imported by `file`, crosses the boundary; undefined when it may be imported. */
function violation(file: string, spec: string): string | undefined {
  if (spec === 'mpv2/plugin' || spec.startsWith('node:')) return undefined;
  const namespace = relative(pluginsDir, file).split(sep)[0]!;
  if (spec.startsWith('.')) {
    const target = relative(join(pluginsDir, namespace), resolve(dirname(file), spec));
    return target.startsWith('..') ? `reaches outside plugins/${namespace}/` : undefined;
  }
  if (spec === 'mpv2' || spec.startsWith('mpv2/')) return 'mpv2 is imported only as mpv2/plugin';
  return pkg.dependencies[packageName(spec)] ? undefined : 'is not a dependency in package.json';
}

function crossings(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(pluginsDir)) {
    const imports = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((i) => i.fileName);
    for (const spec of imports) {
      const why = violation(file, spec);
      const key = `${relative(root, file).split(sep).join('/')} → ${spec}`;
      if (why && !CROSS_NAMESPACE_PENDING.has(key)) found.push(`${key}: ${why}`);
    }
  }
  return found;
}

describe('the plugin boundary', () => {
  it('plugins/<ns>/ imports only mpv2/plugin, its own folder, node: built-ins and declared dependencies', () => {
    expect(crossings()).toEqual([]);
  });

  it('the pending cross-namespace imports still exist (remove an entry once its import is gone)', () => {
    const present = new Set(sourceFiles(pluginsDir).flatMap((file) =>
      ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((i) => `${relative(root, file).split(sep).join('/')} → ${i.fileName}`)));
    expect([...CROSS_NAMESPACE_PENDING].filter((k) => !present.has(k))).toEqual([]);
  });

  it('tells each kind of crossing apart', () => {
    const file = join(pluginsDir, 'video', 'render.ts');
    expect(violation(file, '../../src/errors.js')).toBe('reaches outside plugins/video/');
    expect(violation(file, '../tts/wav.js')).toBe('reaches outside plugins/video/');
    expect(violation(file, './captions.js')).toBeUndefined();
    expect(violation(file, 'mpv2')).toBe('mpv2 is imported only as mpv2/plugin');
    expect(violation(file, 'mpv2/testing')).toBe('mpv2 is imported only as mpv2/plugin');
    expect(violation(file, 'vitest')).toBe('is not a dependency in package.json');
    expect(violation(file, 'csv-parse/sync')).toBeUndefined();
    expect(violation(file, '@mistralai/mistralai/models/errors')).toBeUndefined();
    expect(violation(file, 'node:fs')).toBeUndefined();
  });
});
