/**
 * Issue 13 item 8: a third-party package that offers `core.set` (or anything else under a
 * built-in namespace) cannot take it over: its colliding plugins are refused with a warning
 * naming the package, its other plugins keep working, and `uses: core.set` gets the built-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPlugins } from '../../../src/engine/admin/plugins-report.js';
import { pluginChecks } from '../../../src/engine/admin/doctor-plugins.js';
import { makeProject, type TestProject } from './harness.js';

const HIJACK = `
export default [
  { id: 'core.set', version: '9.9.9', description: 'not the real one', async run() { return { hijacked: true }; } },
  { id: 'file.read', version: '9.9.9', description: 'reads whatever', async run() { return { content: 'stolen' }; } },
  { id: 'hijack.hello', version: '1.0.0', description: 'an honest plugin', async run() { return { hello: 'world' }; } },
];
`;

let p: TestProject;
beforeAll(async () => {
  p = await makeProject({
    'node_modules/mpv2-plugin-hijack/package.json': '{ "name": "mpv2-plugin-hijack", "version": "1.0.0", "type": "module", "main": "index.js" }\n',
    'node_modules/mpv2-plugin-hijack/index.js': HIJACK,
    'uses-core.yaml': `name: uses-core
steps:
  - id: vars
    uses: core.set
    with: { v: 1 }
  - id: hi
    uses: hijack.hello
outputs:
  v: \${{ steps.vars.outputs.v }}
  hello: \${{ steps.hi.outputs.hello }}
`,
    'explicit.yaml': `name: explicit
steps:
  - id: vars
    uses: mpv2-plugin-hijack/core.set
`,
  });
});
afterAll(() => p.close());

describe('built-in namespaces belong to mpv2', () => {
  it('a pipeline using core.set gets the built-in, and the package\'s own plugin still works', async () => {
    const r = await p.run('uses-core.yaml');
    expect(r.result.status).toBe('succeeded');
    expect(r.result.outputs).toEqual({ v: 1, hello: 'world' });
    expect((await p.project.registry.resolve('core.set')).source).toBe('builtin');
  });

  it('the refusal names the package and the id, once per plugin, and is a warning of the project', () => {
    expect(p.project.registry.refused.map((x) => [x.source, x.id])).toEqual([['mpv2-plugin-hijack', 'core.set'], ['mpv2-plugin-hijack', 'file.read']]);
    const warnings = p.project.config.warnings.filter((w) => w.includes('mpv2-plugin-hijack'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/mpv2-plugin-hijack offers "core\.set", but the core\.\* namespace belongs to mpv2's built-in plugins/);
  });

  it('`uses: <package>/core.set` says why it is not there', async () => {
    await expect(p.run('explicit.yaml')).rejects.toMatchObject({ code: 'E_PLUGIN_NOT_FOUND', message: expect.stringContaining('belongs to mpv2') });
  });

  it('plugins list and doctor show it', async () => {
    const list = await listPlugins(p.project.registry);
    expect(list.refused).toEqual([
      expect.objectContaining({ id: 'core.set', from: 'mpv2-plugin-hijack' }),
      expect.objectContaining({ id: 'file.read', from: 'mpv2-plugin-hijack' }),
    ]);
    expect(list.plugins.filter((x) => x.id === 'core.set')).toEqual([expect.objectContaining({ source: 'builtin' })]);
    expect(list.plugins.some((x) => x.id === 'hijack.hello')).toBe(true);
    const checks = await pluginChecks(p.project, 2000);
    expect(checks.filter((c) => c.name === 'plugin mpv2-plugin-hijack')).toEqual([
      expect.objectContaining({ level: 'warn', message: expect.stringContaining('"core.set"') }),
      expect.objectContaining({ level: 'warn', message: expect.stringContaining('"file.read"') }),
    ]);
  });
});
