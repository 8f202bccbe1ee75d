import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { initProject } from '../../../src/engine/admin/init.js';

const dir = (files: Record<string, string> = {}) => {
  const d = mkdtempSync(join(tmpdir(), 'mpv2-init-'));
  for (const [f, t] of Object.entries(files)) writeFileSync(join(d, f), t);
  return d;
};

describe('initProject', () => {
  it('writes parseable YAML and creates .gitignore', () => {
    const d = dir();
    const r = initProject(d);
    expect(r.created).toEqual(['.mpv2rc.yaml', join('pipelines', 'hello.yaml'), '.env.example']);
    expect(r.gitignore).toBe('created');
    expect(parse(readFileSync(join(d, '.mpv2rc.yaml'), 'utf8'))).toMatchObject({ cache: { enabled: true }, runs: { keep: 50 } });
    const hello = parse(readFileSync(join(d, 'pipelines', 'hello.yaml'), 'utf8')) as { steps: Array<{ uses: string }> };
    expect(hello.steps.map((s) => s.uses)).toEqual(['core.set', 'core.log', 'file.write']);
    expect(readFileSync(join(d, '.mpv2rc.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\S+\/schemas\/config\.schema\.json$/m);
    expect(readFileSync(join(d, '.gitignore'), 'utf8')).toMatch(/^\.mpv2\/$/m);
  });

  it('appends only the missing .gitignore lines, once, after a last line without newline', () => {
    const d = dir({ '.gitignore': 'node_modules\n/.mpv2' });
    expect(initProject(d).gitignore).toBe('appended');
    expect(readFileSync(join(d, '.gitignore'), 'utf8')).toBe('node_modules\n/.mpv2\n.env\n');
    expect(initProject(d).gitignore).toBe('unchanged');
  });

  it('does not add .mpv2rc.yaml when another config file configures the folder', () => {
    const d = dir({ '.mpv2rc.json': '{}', 'package.json': '{"name":"x"}' });
    const r = initProject(d);
    expect(r.skipped).toEqual([{ file: '.mpv2rc.yaml', reason: '.mpv2rc.json already configures this project' }]);
    const p = dir({ 'package.json': '{"name":"x","mpv2":{"runs":{"keep":1}}}' });
    expect(initProject(p).skipped[0]?.reason).toBe('package.json#mpv2 already configures this project');
  });
});
