/** cache.maxSize: least recently used entries and the blobs only they name go first. */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enforceCacheLimit } from '../../../src/engine/admin/cache-admin.js';
import type Database from 'better-sqlite3';
import type { State } from '../../../src/infra/state.js';
import { SqliteKeyvStore } from '../../../src/infra/store/cache-store.js';
import { openDatabase } from '../../../src/infra/store/sqlite.js';
import { makeProject, type TestProject } from './harness.js';

const hash = (c: string) => c.repeat(64);
let root: string | undefined;
let p: TestProject | undefined;
const dbs: Database.Database[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  if (root) rmSync(root, { recursive: true, force: true });
  p?.close();
  root = p = undefined;
});

function blob(s: Pick<State, 'cacheDir'>, h: string, bytes: number): string {
  const file = join(s.cacheDir, 'blobs', h.slice(0, 2), h);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, Buffer.alloc(bytes));
  return file;
}
const entry = (...blobs: string[]) => JSON.stringify({ value: { outputs: { files: blobs.map((h) => `mpv2-blob:${h}:out/video.mp4`) } }, expires: null });

describe('cache.maxSize', () => {
  it('keeps the most recently used entries and their blobs, drops the rest and unreferenced blobs', async () => {
    root = mkdtempSync(join(tmpdir(), 'mpv2-cachelimit-'));
    // a clock the test moves: entries a millisecond apart in use, without sleeping
    let t = 1_000_000;
    const db = openDatabase(':memory:');
    dbs.push(db);
    const s = { cacheDir: join(root, 'cache'), keyvStore: new SqliteKeyvStore(db, () => t) };
    const [a, b, c, shared] = [hash('a'), hash('b'), hash('c'), hash('d')];
    const files = { a: blob(s, a, 40_000), b: blob(s, b, 40_000), c: blob(s, c, 40_000), shared: blob(s, shared, 10_000) };
    const orphan = blob(s, hash('e'), 5_000);
    s.keyvStore.set('old', entry(a, shared));
    t++;
    s.keyvStore.set('mid', entry(b));
    t++;
    s.keyvStore.set('new', entry(c, shared));
    t++;
    // reading `old` makes it the most recently used
    expect(s.keyvStore.get('old')).toBeDefined();

    expect(enforceCacheLimit(s, 1_000_000)).toEqual({ entries: 0, blobs: 0, freedBytes: 0 });
    const r = enforceCacheLimit(s, 95_000);
    // old (a + shared) and new (c; shared already counted) fit in 95 kB; mid does not
    expect(r.entries).toBe(1);
    expect(r.blobs).toBe(2);
    expect(r.freedBytes).toBeGreaterThan(45_000);
    expect(s.keyvStore.get('mid')).toBeUndefined();
    expect(s.keyvStore.get('old')).toBeDefined();
    expect(s.keyvStore.get('new')).toBeDefined();
    expect([files.a, files.c, files.shared].every(existsSync)).toBe(true);
    expect(existsSync(files.b)).toBe(false);
    expect(existsSync(orphan)).toBe(false);
  });

  it('is applied after every run, which still succeeds', async () => {
    const big = 'x'.repeat(3000);
    p = await makeProject({
      'big.yaml': `name: big\nsteps:\n${[1, 2, 3].map((i) => `  - id: s${i}\n    uses: core.set\n    with: { v: "${big}", i: ${i} }\n`).join('')}`,
    }, { MPV2_CACHE__MAX_SIZE: '5KB' });
    const res = await p.run('big.yaml');
    expect(res.result.status).toBe('succeeded');
    const stats = p.project.state().keyvStore.stats();
    expect(stats.bytes).toBeLessThanOrEqual(5 * 1024);
    expect(stats.entries).toBeGreaterThanOrEqual(1);
  });
});
