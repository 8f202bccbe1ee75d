import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProjectRoot } from '../../../src/config/project.js';
import { makeProject } from './helpers.js';

describe('findProjectRoot', () => {
  it.each([
    ['package.json', '{}'],
    ['.mpv2rc', 'log: { level: debug }'],
    ['.mpv2rc.yaml', 'log: { level: debug }'],
    ['mpv2.config.mjs', 'export default {}'],
    ['.mpv2/', ''],
  ])('stops at the nearest folder holding %s', (marker, content) => {
    const top = makeProject({ 'package.json': '{}', [`proj/${marker}`]: content, 'proj/a/b/': '' });
    expect(findProjectRoot(join(top, 'proj/a/b'))).toBe(join(top, 'proj'));
  });

  it('walks past folders without markers to a package.json higher up', () => {
    const top = makeProject({ 'package.json': '{}', 'x/y/z/': '' });
    expect(findProjectRoot(join(top, 'x/y/z'))).toBe(top);
  });

  it('falls back to cwd when nothing marks a root', () => {
    const top = makeProject({ 'deep/er/': '' });
    // only meaningful when nothing above the temp folder marks a root (say a stray /tmp/.mpv2).
    // `top` holds no marker, so the search from it ends at `top` only by the fallback; asked of
    // its parent it could not tell a marked /tmp from the fallback to /tmp itself
    if (findProjectRoot(top) !== top) return;
    expect(findProjectRoot(join(top, 'deep/er'))).toBe(join(top, 'deep/er'));
  });

  it('returns a real path when cwd goes through a symlink', () => {
    const top = makeProject({ 'real/package.json': '{}', 'real/sub/': '' });
    symlinkSync(join(top, 'real'), join(top, 'link'));
    expect(findProjectRoot(join(top, 'link/sub'))).toBe(join(top, 'real'));
  });

  it('--project overrides the search and must be a folder', () => {
    const top = makeProject({ 'package.json': '{}', 'other/': '' });
    mkdirSync(join(top, 'here'));
    expect(findProjectRoot(join(top, 'here'), '../other')).toBe(join(top, 'other'));
    expect(() => findProjectRoot(top, 'missing')).toThrow(/not a folder/);
  });
});
