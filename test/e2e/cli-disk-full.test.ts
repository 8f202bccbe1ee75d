/**
 * A disk that fills up mid-run: the step fails with E_DISK_FULL and a hint (not "a bug in
 * mpv2"), no further step starts, and the journal marks the run failed instead of leaving it
 * `running` (the reserve kept in .mpv2/ gives the last write its room). The project lives on
 * a real 4 MB tmpfs, so this needs mount rights (root); without them it is skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, rmSync, writeSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, mpv2 } from './cli-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'mpv2-diskfull-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir]).status === 0;

let server: Server;
let port = 0;
let requested: () => void = () => undefined;
let release: () => void = () => undefined;
const requestSeen = new Promise<void>((r) => { requested = r; });
const released = new Promise<void>((r) => { release = r; });

beforeAll(async () => {
  await ensureBuilt();
  server = createServer((req, res) => {
    requested();
    void released.then(() => res.end('ok'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  release();
  server?.close();
  // lazy: a run still holding files after a failed assertion must not keep the mount behind
  if (mounted) spawnSync('umount', ['-l', dir]);
  rmSync(dir, { recursive: true, force: true });
});

/** Writes until the file system says ENOSPC. */
function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(!mounted)('a disk that fills up mid-run', () => {
  it('E_DISK_FULL with a hint, exit 1, and the run journaled as failed', async () => {
    writeFileSync(join(dir, 'package.json'), '{ "name": "full", "private": true }\n');
    writeFileSync(join(dir, 'full.yaml'), `name: full
steps:
  - id: get
    uses: http.request
    with: { url: "http://127.0.0.1:${port}/slow", responseType: text }
  - id: after
    uses: core.set
    needs: [get]
    with: { v: 1 }
`);
    const run = mpv2(['run', 'full.yaml'], { cwd: dir });
    await requestSeen;
    expect(existsSync(join(dir, '.mpv2', 'disk-reserve'))).toBe(true);
    fillDisk(join(dir, 'filler'));
    release();
    const r = await run;
    expect(r.stderr).not.toMatch(/E_INTERNAL|a bug in mpv2/);
    expect(r.stderr).toMatch(/✖ E_DISK_FULL/);
    expect(r.stderr).toMatch(/Hint: free space on the disk .*df -h/);
    expect(r.stderr).not.toMatch(/after started/);
    expect(r.code).toBe(1);
    // the reserve gave its room to the journal's last write
    expect(existsSync(join(dir, '.mpv2', 'disk-reserve'))).toBe(false);

    rmSync(join(dir, 'filler'));
    const list = await mpv2(['runs', 'list', '--json'], { cwd: dir });
    const runs = JSON.parse(list.stdout) as Array<{ id: string; status: string }>;
    expect(runs).toHaveLength(1);
    expect(runs[0]!.status).toBe('failed');
    const show = await mpv2(['runs', 'show', runs[0]!.id, '--json'], { cwd: dir });
    expect(show.stdout).toContain('E_DISK_FULL');
    // the next command made the reserve again
    expect(existsSync(join(dir, '.mpv2', 'disk-reserve'))).toBe(true);
  });

  it('a run started on a full disk: E_DISK_FULL in --json (SQLite says SQLITE_IOERR there), never a run left running', async () => {
    writeFileSync(join(dir, 'write.yaml'), `name: write
steps:
  - id: w
    uses: file.write
    with: { path: out/x.txt, content: "\${{ join(range(0, 20000), '----') }}" }
`);
    fillDisk(join(dir, 'filler'));
    const r = await mpv2(['run', 'write.yaml', '--json'], { cwd: dir });
    rmSync(join(dir, 'filler'));
    expect(r.stderr).not.toMatch(/E_INTERNAL|a bug in mpv2/);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; status?: string; error?: { code: string } });
    const end = events.at(-1)!;
    expect(end.error?.code).toBe('E_DISK_FULL');
    expect(r.code).toBe(1);
    const list = await mpv2(['runs', 'list', '--json'], { cwd: dir });
    const runs = JSON.parse(list.stdout) as Array<{ status: string }>;
    expect(runs.map((x) => x.status)).not.toContain('running');
  });
});
