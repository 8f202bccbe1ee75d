import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pluginChecks } from '../../../src/engine/admin/doctor-plugins.js';
import type { Project } from '../../../src/engine/project.js';
import { Redactor } from '../../../src/infra/redact.js';
import { PluginRegistry } from '../../../src/plugin/registry.js';

const MODULE = `
let calls = 0;
const shared = async () => { calls++; return { name: 'shared', ok: true, message: 'called ' + calls + ' time(s)' }; };
const run = () => ({});
export default [
  { id: 'slow.wait', version: '1', description: '', run, check: () => new Promise(() => {}) },
  { id: 'bad.boom', version: '1', description: '', run, check: async () => { throw new Error('boom with sk-secret-123456'); } },
  { id: 'two.a', version: '1', description: '', run, check: shared },
  { id: 'two.b', version: '1', description: '', run, check: shared },
  { id: 'cfg.read', version: '1', description: '', run, check: async (ctx) => [{ name: 'cfg.read', ok: true, level: 'warn', message: 'level ' + ctx.config.level + ', root ' + (ctx.root.length > 0) + ', signal ' + (ctx.signal instanceof AbortSignal) }] },
  { id: 'none.here', version: '1', description: '', run },
];
`;

async function project(): Promise<Project> {
  const root = mkdtempSync(join(tmpdir(), 'mpv2-doctor-'));
  writeFileSync(join(root, 'package.json'), '{"type":"module"}');
  writeFileSync(join(root, 'checks.js'), MODULE);
  writeFileSync(join(root, 'broken.js'), 'throw new Error("cannot import");');
  const registry = await PluginRegistry.create({ root, configPlugins: ['./checks.js', './broken.js'] });
  const redactor = new Redactor();
  redactor.addAll({ KEY: 'sk-secret-123456' });
  const config = { root, values: { cfg: { level: 3 } }, origins: {}, secrets: { KEY: 'sk-secret-123456' }, warnings: [] };
  return { root, registry, redactor, config, state: () => { throw new Error('not used'); }, refreshConfig: async () => {}, close: () => {} } as unknown as Project;
}

describe('pluginChecks', () => {
  it('reports timeouts, throwing checks and broken modules as errors, runs a shared check once, redacts', async () => {
    const checks = await pluginChecks(await project(), 300);
    const by = (name: string) => checks.find((c) => c.name === name);
    expect(by('plugin slow.wait')).toMatchObject({ level: 'error', message: 'its check failed: no answer within 0.3s', plugins: ['slow.wait'] });
    expect(by('plugin bad.boom')?.message).toBe('its check failed: boom with [REDACTED]');
    expect(by('plugin ./broken.js')).toMatchObject({ level: 'error' });
    expect(by('plugin ./broken.js')?.message).toContain('cannot import');
    expect(by('two: shared')).toEqual({ name: 'two: shared', level: 'ok', message: 'called 1 time(s)', plugins: ['two.a', 'two.b'] });
    expect(by('cfg.read')).toMatchObject({ level: 'warn', message: 'level 3, root true, signal true' });
    expect(checks.some((c) => c.plugins?.includes('none.here'))).toBe(false);
    expect(JSON.stringify(checks)).not.toContain('sk-secret');
  });
});
