/**
 * No orphan Chromium when the process that opened it ends without `close()`: SIGTERM,
 * SIGINT and a plain `process.exit()` all kill the browser and free the profile lock.
 * The child process runs the built factory (dist/), like the CLI does.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { profileLockFile } from '../../../src/infra/browser/index.js';
import { ensureBuilt, REPO } from '../../e2e/cli-harness.js';

const hasChromium = existsSync('/usr/bin/chromium') && existsSync('/usr/bin/chromedriver');
const pgrep = (dir: string) => spawnSync('pgrep', ['-f', dir], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
/** Running (not a zombie waiting for pid 1 to reap it). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
const childrenOf = (pid: number) => spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);

const script = (profileDir: string, locksDir: string, then: 'wait' | 'exit') => `
import { createBrowserFactory } from ${JSON.stringify(pathToFileURL(join(REPO, 'dist', 'src', 'infra', 'browser', 'index.js')).href)};
const f = createBrowserFactory({ locksDir: ${JSON.stringify(locksDir)}, log: { debug() {}, info() {}, warn() {} } });
const s = await f.open({ profileDir: ${JSON.stringify(profileDir)} });
await s.driver.get('data:text/html,<p>open</p>');
console.log('ready');
${then === 'exit' ? 'process.exit(3);' : 'setInterval(() => {}, 1000);'}
`;

function runChild(src: string) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', src], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => { if (out.includes('ready')) resolve(); });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before it was ready`)));
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  return { child, ready, exited };
}

describe.skipIf(!hasChromium)('browser cleanup at process end', () => {
  beforeAll(async () => { await ensureBuilt(); }, 300_000);

  for (const how of ['SIGTERM', 'SIGINT', 'exit'] as const) {
    it(`${how}: the browser dies with the process and the lock is freed`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mpv2-exit-'));
      const profileDir = join(dir, 'profile');
      const locksDir = join(dir, 'locks');
      const { child, ready, exited } = runChild(script(profileDir, locksDir, how === 'exit' ? 'exit' : 'wait'));
      let drivers: number[] = [];
      if (how !== 'exit') {
        await ready;
        expect(pgrep(profileDir).length).toBeGreaterThan(0);
        drivers = childrenOf(child.pid!);
        expect(drivers.length).toBe(1); // chromedriver
        child.kill(how);
      }
      const end = await exited;
      if (how === 'exit') expect(end.code).toBe(3);
      else expect(end.signal).toBe(how); // it still dies of the signal, as it would have without us
      await vi.waitFor(() => expect(pgrep(profileDir)).toEqual([]), { timeout: 15_000, interval: 50 });
      expect(existsSync(profileLockFile(locksDir, profileDir))).toBe(false);
      await vi.waitFor(() => expect(drivers.filter(running)).toEqual([]), { timeout: 15_000, interval: 50 });
    });
  }
});
