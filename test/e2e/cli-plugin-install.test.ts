/**
 * Issue 13 item 7: `mpv2 plugins install` runs none of the package's lifecycle scripts unless
 * --allow-scripts says so (with a warning). Real npm, a local package folder and a packed
 * tarball whose preinstall / postinstall / prepare each leave a marker file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, makeProject, mpv2 } from './cli-harness.js';

const SCRIPTS = ['preinstall', 'postinstall', 'prepare'] as const;

/** A plugin package whose scripts write `<marks>/<script>`; returns its folder. */
function markerPackage(marks: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mpv2-marker-pkg-'));
  const script = (name: string) => `node -e "require('fs').writeFileSync(${JSON.stringify(join(marks, name)).replace(/"/g, "'")}, '')"`;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'mpv2-plugin-marker', version: '1.0.0', type: 'module', main: 'index.js',
    scripts: Object.fromEntries(SCRIPTS.map((s) => [s, script(s)])),
  }, null, 2));
  writeFileSync(join(dir, 'index.js'), "export default { id: 'marker.hello', version: '1.0.0', description: 'says hello', run: async () => ({ hello: true }) };\n");
  return dir;
}

function setup(): { root: string; marks: string; pkg: string } {
  const marks = mkdtempSync(join(tmpdir(), 'mpv2-marks-'));
  return { root: makeProject(), marks, pkg: markerPackage(marks) };
}

function pack(pkg: string): string {
  const r = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', pkg], { cwd: pkg, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
  return join(pkg, r.stdout.trim().split('\n').pop()!);
}

beforeAll(async () => { await ensureBuilt(); });

describe('plugins install', () => {
  it('a package folder: no script runs, the skipped ones are named, and the plugin is installed and listed', async () => {
    const { root, marks, pkg } = setup();
    const r = await mpv2(['plugins', 'install', pkg], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(marks)).toEqual([]);
    expect(r.stdout).toMatch(/lifecycle scripts off/);
    expect(r.stdout).toMatch(/Scripts not run: mpv2-plugin-marker \(preinstall, postinstall, prepare\)/);
    expect(r.stdout).toMatch(/--allow-scripts/);
    expect(r.stdout).toMatch(/marker\.hello 1\.0\.0/);
    expect(existsSync(join(root, 'node_modules', 'mpv2-plugin-marker'))).toBe(true);
  });

  it('a packed tarball: no script runs', async () => {
    const { root, marks, pkg } = setup();
    const r = await mpv2(['plugins', 'install', pack(pkg)], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(marks)).toEqual([]);
    expect(r.stdout).toMatch(/marker\.hello/);
  });

  it('--allow-scripts runs them, after a warning that says what that means', async () => {
    const { root, marks, pkg } = setup();
    const r = await mpv2(['plugins', 'install', pkg, '--allow-scripts'], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.replace(/\s*\n\s*›?\s*/g, ' ')).toMatch(/--allow-scripts: the install scripts of .* run now, as you/);
    expect(readdirSync(marks).sort()).toEqual(['postinstall', 'preinstall', 'prepare']);

    const t = setup();
    mkdirSync(t.marks, { recursive: true });
    const tr = await mpv2(['plugins', 'install', pack(t.pkg), '--allow-scripts'], { cwd: t.root });
    expect(tr.code, tr.stderr).toBe(0);
    // npm runs prepare for folders and git sources only, not for tarballs
    expect(readdirSync(t.marks).sort()).toEqual(['postinstall', 'preinstall']);
  });
});
