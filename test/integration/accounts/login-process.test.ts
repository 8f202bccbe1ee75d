/**
 * `accounts login` opens Chromium through the one process runner: the window's exit code is
 * the answer, Ctrl-C (abort) closes it and leaves no process behind. A stand-in script plays
 * Chromium, so no display is needed.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProfileForLogin } from '../../../src/infra/accounts/login.js';

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

function fakeChromium(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mpv2-fake-chromium-'));
  const bin = join(dir, 'chromium');
  writeFileSync(bin, `#!/bin/sh\n${body}\n`);
  chmodSync(bin, 0o755);
  return bin;
}

const base = () => {
  const root = mkdtempSync(join(tmpdir(), 'mpv2-login-'));
  return { profileDir: join(root, 'profile'), locksDir: join(root, 'locks'), headless: true, log: { info: () => {}, warn: () => {} } };
};

describe('openProfileForLogin', () => {
  it('resolves with the window\'s exit code', async () => {
    expect(await openProfileForLogin({ ...base(), chromiumPath: fakeChromium('exit 3') })).toEqual({ exitCode: 3 });
  });

  it('abort closes the window: no exit code, no process left', async () => {
    const ac = new AbortController();
    let pid = 0;
    const r = await openProfileForLogin({ ...base(), chromiumPath: fakeChromium('exec sleep 600'), signal: ac.signal, onStarted: (p) => { pid = p; ac.abort(); } });
    expect(r).toEqual({ exitCode: null });
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
  });
});
