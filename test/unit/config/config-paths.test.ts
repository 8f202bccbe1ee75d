/**
 * A `format: "path"` setting means a file next to where it was written: the config file's
 * folder for the file, the project root for the environment, the folder the command runs in
 * for a flag — never each pipeline's folder (a logo named in .mpv2rc.yaml at the root was read
 * from pipelines/ before).
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import type { JSONSchema } from '../../../src/plugin/types.js';
import { makeProject } from './helpers.js';

const pluginSchemas: Record<string, JSONSchema> = {
  kit: {
    type: 'object',
    additionalProperties: false,
    properties: {
      logo: { type: 'string', format: 'path' },
      fonts: { type: 'array', items: { type: 'string', format: 'path' } },
      nested: { type: 'object', properties: { file: { type: 'string', format: 'path' } } },
      music: { type: 'string', format: 'path' },
      label: { type: 'string' },
    },
  },
};

it('resolves config paths against the config file, the root (env) and the working folder (flags)', async () => {
  const root = makeProject({
    'package.json': '{"name":"p"}',
    'pipelines/': '',
    '.mpv2rc.yaml': 'kit:\n  logo: brand/logo.png\n  fonts: [fonts/a.ttf, /opt/fonts/b.ttf]\n  music: "builtin:music"\n  label: brand/not-a-path\n',
  });
  const cwd = join(root, 'pipelines');
  const c = await loadConfig({ cwd, root, env: { MPV2_KIT__NESTED__FILE: 'assets/x.png' }, pluginSchemas });
  const kit = (c.values as unknown as { kit: Record<string, unknown> }).kit;
  expect(kit.logo).toBe(join(root, 'brand/logo.png'));
  expect(kit.fonts).toEqual([join(root, 'fonts/a.ttf'), '/opt/fonts/b.ttf']);
  expect(kit.nested).toEqual({ file: join(root, 'assets/x.png') });
  expect(kit.music).toBe('builtin:music');
  expect(kit.label).toBe('brand/not-a-path');

  const flagged = await loadConfig({ cwd, root, env: {}, pluginSchemas, flags: { 'kit.logo': 'mine.png' } });
  expect((flagged.values as unknown as { kit: { logo: string } }).kit.logo).toBe(join(cwd, 'mine.png'));
});

it('a config file in a subfolder names files next to itself', async () => {
  const root = makeProject({ 'package.json': '{"name":"p"}', 'shorts/.mpv2rc.yaml': 'kit:\n  logo: logo.png\n' });
  const c = await loadConfig({ cwd: join(root, 'shorts'), root, env: {}, pluginSchemas });
  expect((c.values as unknown as { kit: { logo: string } }).kit.logo).toBe(join(root, 'shorts', 'logo.png'));
});
