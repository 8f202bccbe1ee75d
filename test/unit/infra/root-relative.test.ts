/** The journal's path codec: absolute paths inside the root go in relative, and come back under the root of the day. */
import { mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rootPathCodec } from '../../../src/infra/store/root-relative.js';

const base = mkdtempSync(join(tmpdir(), 'mpv2-codec-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('rootPathCodec', () => {
  const old = rootPathCodec('/srv/old/proj');
  const moved = rootPathCodec('/mnt/new place/proj');

  it('stores whole absolute paths inside the root relative, and reads them back under the new root', () => {
    const outputs = { file: '/srv/old/proj/.mpv2/runs/r1/a/out.mp4', list: ['/srv/old/proj/x.txt', '/srv/old/proj'], n: 3, ok: true, none: null };
    const stored = old.encode(outputs);
    expect(JSON.stringify(stored)).not.toContain('/srv/old');
    expect(moved.decode(stored)).toEqual({
      file: '/mnt/new place/proj/.mpv2/runs/r1/a/out.mp4', list: ['/mnt/new place/proj/x.txt', '/mnt/new place/proj'], n: 3, ok: true, none: null,
    });
  });

  it('leaves every other string alone', () => {
    const values = ['/srv/old/project-two/x', '/etc/passwd', 'relative/path', 'text about /srv/old/proj/x', 'https://example.com/srv/old/proj', '', 'root:x'];
    expect(moved.decode(old.encode(values))).toEqual(values);
  });

  it('a string that looks like a stored path reads back as itself', () => {
    const tricky = ['\u0000root:x.txt', '\u0000', '\u0000\u0000y'];
    expect(moved.decode(old.encode(tricky))).toEqual(tricky);
  });

  it('knows the root by its real path too', () => {
    const real = mkdtempSync(join(base, 'real-'));
    const link = join(base, 'link');
    symlinkSync(real, link);
    const c = rootPathCodec(link);
    expect(rootPathCodec('/elsewhere').decode(c.encode(join(realpathSync(real), 'a.txt')))).toBe('/elsewhere/a.txt');
  });
});
