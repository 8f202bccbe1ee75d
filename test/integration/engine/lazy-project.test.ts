/** `openProject({ lazyPlugins })`: built-ins load when a pipeline uses them, or when the config sets their sections. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/engine/project.js';
import { loadPipeline } from '../../../src/engine/run.js';

const roots: string[] = [];
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'mpv2-lazy-'));
  roots.push(root);
  writeFileSync(join(root, 'package.json'), '{ "name": "lazy", "private": true }\n');
  for (const [f, t] of Object.entries(files)) writeFileSync(join(root, f), t);
  return root;
}
afterEach(() => { for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true }); });

const PIPELINE = 'name: p\nsteps:\n  - id: a\n    uses: core.set\n    with: { x: 1 }\n';
const ids = (p: Awaited<ReturnType<typeof openProject>>) => p.registry.all().map((x) => x.def.id);

describe('lazy plugin loading', () => {
  it('loads nothing up front, then only the namespaces the pipeline uses', async () => {
    const root = project({ 'p.yaml': PIPELINE });
    const p = await openProject({ cwd: root, env: {}, lazyPlugins: true });
    expect(ids(p)).toEqual([]);
    await loadPipeline(p, root, 'p.yaml');
    expect(ids(p)).toContain('core.set');
    expect(ids(p)).not.toContain('llm.generate');
    expect(Object.keys(p.config.values)).toContain('concurrency');
    p.close();
  });

  it('a config that sets a plugin section loads that namespace (so the section is checked), not every built-in', async () => {
    const root = project({ 'p.yaml': PIPELINE, '.mpv2rc.yaml': 'llm: { temperature: 0.3 }\n' });
    const p = await openProject({ cwd: root, env: {}, lazyPlugins: true });
    expect(ids(p)).toContain('llm.generate');
    expect(ids(p)).not.toContain('video.render');
    p.close();
    const bad = project({ 'p.yaml': PIPELINE, '.mpv2rc.yaml': 'llm: { temprature: 0.3 }\n' });
    await expect(openProject({ cwd: bad, env: {}, lazyPlugins: true })).rejects.toMatchObject({ code: 'E_CONFIG_INVALID', message: expect.stringContaining('temprature') });
  });

  it('without lazyPlugins everything is loaded (plugins list, doctor, config show)', async () => {
    const root = project({});
    const p = await openProject({ cwd: root, env: {} });
    expect(ids(p)).toEqual(expect.arrayContaining(['core.set', 'file.read', 'http.request', 'llm.generate']));
    p.close();
  });
});
