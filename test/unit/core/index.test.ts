import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import plugins from '../../../plugins/core/index.js';
import { coreConfigSchema } from '../../../plugins/core/config.js';

describe('plugins/core index', () => {
  it('exports the six utility plugins, version 1.0.0 each, ids unique', () => {
    expect(plugins.map((p) => p.id).sort()).toEqual(['core.log', 'core.set', 'core.wait', 'file.read', 'file.write', 'http.request']);
    for (const p of plugins) expect(p.version).toBe('1.0.0');
  });

  it('has valid schemas whose every property has a description', () => {
    const ajv = new Ajv({ strict: true, strictTypes: false, useDefaults: true });
    ajv.addFormat('path', true);
    for (const p of plugins) {
      // the `http` section belongs to the shared HTTP client, not to http.request
      expect(p.config).toBe(p.id.startsWith('http.') ? undefined : coreConfigSchema);
      for (const schema of [p.input, p.output]) {
        expect(() => ajv.compile(schema ?? {}), p.id).not.toThrow();
        for (const [name, prop] of Object.entries((schema?.properties ?? {}) as Record<string, { description?: string }>)) {
          expect(prop.description, `${p.id} ${name}`).toBeTruthy();
        }
      }
    }
  });

  it('marks which plugins log/wait/write every run and which are effects', () => {
    const byId = Object.fromEntries(plugins.map((p) => [p.id, p]));
    expect(byId['core.log']!.pure).toBe(false);
    expect(byId['core.wait']!.pure).toBe(false);
    expect(byId['file.write']!.pure).toBe(false);
    expect(byId['file.write']!.effect).toBe(false);
    expect(byId['file.read']!.pure).toBe(true);
    expect((byId['file.read']!.input as { properties: { path: { format: string } } }).properties.path.format).toBe('path');
    const effect = byId['http.request']!.effect as (i: unknown) => boolean;
    expect(effect({ method: 'GET' })).toBe(false);
    expect(effect({ method: 'HEAD' })).toBe(false);
    expect(effect({ method: 'POST' })).toBe(true);
    expect(effect({ method: 'DELETE' })).toBe(true);
    expect(effect({ method: 'POST', effect: false })).toBe(false);
    expect(effect({ method: 'GET', effect: true })).toBe(true);
    expect(byId['http.request']!.defaults?.retry?.attempts).toBe(3);
  });
});
