import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { npmInstallArgs, parseInstallSpec } from '../../../src/engine/admin/plugin-install.js';
import { inputRows } from '../../../src/engine/admin/plugins-report.js';

describe('parseInstallSpec', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'mpv2-install-'));
  mkdirSync(join(cwd, 'pkg'));
  writeFileSync(join(cwd, 'pkg', 'package.json'), '{"name":"mpv2-plugin-x"}');
  mkdirSync(join(cwd, 'noname'));

  it.each([
    ['mpv2-plugin-example', 'mpv2-plugin-example'],
    ['mpv2-plugin-example@1.2.3', 'mpv2-plugin-example'],
    ['mpv2-plugin-example@^1.2', 'mpv2-plugin-example'],
    ['@acme/mpv2-plugin-slack@latest', '@acme/mpv2-plugin-slack'],
  ])('accepts the package %s', (spec, name) => {
    expect(parseInstallSpec(spec, cwd)).toEqual({ kind: 'package', spec, name });
  });

  it('accepts a local package folder and names it from its package.json', () => {
    expect(parseInstallSpec('./pkg', cwd)).toEqual({ kind: 'path', spec: join(cwd, 'pkg'), dir: join(cwd, 'pkg'), name: 'mpv2-plugin-x' });
  });

  it.each([
    ['foo; rm -rf /', 'E_USAGE'],
    ['$(reboot)', 'E_USAGE'],
    ['a b', 'E_USAGE'],
    ['Foo', 'E_USAGE'],
    ['--global', 'E_USAGE'],
    ['pkg@1.0 || rm', 'E_USAGE'],
    ['git+https://example.com/x.git', 'E_USAGE'],
    ['./missing', 'E_NOT_FOUND'],
    ['./noname', 'E_USAGE'],
  ])('refuses %s', (spec, code) => {
    expect(() => parseInstallSpec(spec, cwd)).toThrow(expect.objectContaining({ code }));
  });
});

describe('npmInstallArgs', () => {
  it('turns lifecycle scripts off unless they are allowed', () => {
    const spec = { kind: 'package', spec: 'mpv2-plugin-x', name: 'mpv2-plugin-x' } as const;
    expect(npmInstallArgs(spec)).toEqual(['install', '--save', '--no-audit', '--no-fund', '--ignore-scripts', 'mpv2-plugin-x']);
    expect(npmInstallArgs(spec, true)).not.toContain('--ignore-scripts');
  });
});

describe('inputRows', () => {
  it('lists properties with type, required, default, description and format', () => {
    const rows = inputRows({
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'path', description: 'Input file' },
        mode: { enum: ['a', 'b'], default: 'a' },
        list: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'object' }] } },
      },
    });
    expect(rows).toEqual([
      { name: 'file', type: 'string', required: true, description: 'Input file', format: 'path' },
      { name: 'mode', type: '"a" | "b"', required: false, default: 'a' },
      { name: 'list', type: '(string | object)[]', required: false },
    ]);
  });
});
