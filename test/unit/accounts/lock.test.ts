/** Lock files (profiles, credentials): atomic take, live holder refused, stale holder cleared. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, procStartOf, staleReason } from '../../../src/infra/browser/lock.js';

const dir = () => mkdtempSync(join(tmpdir(), 'mpv2-lock-'));
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('acquireLock', () => {
  it('writes pid, start time and holder; release removes only its own lock', async () => {
    const file = join(dir(), 'x.lock');
    const l = await acquireLock(file, { what: 'browser' });
    const h = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(h).toMatchObject({ pid: process.pid, what: 'browser', hostname: hostname() });
    expect(h.procStart).toBe(procStartOf(process.pid));
    // somebody else's lock in its place is left alone
    writeFileSync(file, JSON.stringify({ ...h, token: 'other' }));
    l.release();
    expect(existsSync(file)).toBe(true);
  });

  it('a live holder: E_LOCKED at once with waitMs 0, the busy message and details', async () => {
    const file = join(dir(), 'x.lock');
    await acquireLock(file, { what: 'accounts login' });
    const err = await acquireLock(file, { what: 'browser', busyMessage: (h) => `in use by pid ${h.pid} (${h.what})` }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_LOCKED', message: `in use by pid ${process.pid} (accounts login)`, retryable: true, details: { pid: process.pid, what: 'accounts login' } });
  });

  it('a dead holder is stale: cleared with a log line and taken', async () => {
    const file = join(dir(), 'x.lock');
    const pid = deadPid();
    writeFileSync(file, JSON.stringify({ pid, startedAt: 'then', what: 'browser', hostname: hostname() }));
    const warnings: string[] = [];
    await acquireLock(file, { what: 'browser', log: { info() {}, warn: (m) => warnings.push(m) } });
    expect(warnings).toEqual([`cleared a stale lock ${file} (pid ${pid} is not running)`]);
  });

  it('a live pid that started after the lock was taken (a reused pid) is stale', () => {
    const file = join(dir(), 'x.lock');
    const h = { pid: process.pid, startedAt: 'then', what: 'browser', hostname: hostname(), procStart: (procStartOf(process.pid) ?? 0) - 1 };
    writeFileSync(file, JSON.stringify(h));
    expect(staleReason(file, h)).toBe(`pid ${process.pid} now belongs to another process`);
  });

  it('another host\'s lock is never judged stale from here; an old unreadable file is', () => {
    const file = join(dir(), 'x.lock');
    writeFileSync(file, 'garbage');
    expect(staleReason(file, 'unreadable')).toBeUndefined(); // being written right now, maybe
    utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    expect(staleReason(file, 'unreadable')).toBe('it cannot be read');
    expect(staleReason(file, { pid: deadPid(), startedAt: 'x', what: 'browser', hostname: `not-${hostname()}` })).toBeUndefined();
  });

  it('waiting stops when the signal aborts', async () => {
    const file = join(dir(), 'x.lock');
    await acquireLock(file, { what: 'browser' });
    const ac = new AbortController();
    const waiting = acquireLock(file, { what: 'browser', waitMs: 60_000, signal: ac.signal, log: { info: () => ac.abort(), warn() {} } });
    await expect(waiting).rejects.toMatchObject({ code: 'E_ABORTED' });
  });
});
