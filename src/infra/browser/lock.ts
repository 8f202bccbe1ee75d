/**
 * Cross-process lock files: one holder at a time for a browser profile (or any file).
 * The lock is a small JSON file created atomically (`open(..., 'wx')`) that names its
 * holder's pid and start time; a lock whose holder is gone (crash, kill -9) is stale and
 * cleared, so a dead run never blocks the next one.
 */
import { readFileSync, statSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { mpv2Error } from '../../errors.js';

export interface LockHolder {
  pid: number;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** What holds it, e.g. `browser` or `accounts login`. */
  what: string;
  hostname: string;
  /** Linux: the holder's start time in clock ticks after boot (/proc/<pid>/stat), to spot a reused pid. */
  procStart?: number;
  /** Random, so two locks taken by one process are told apart. */
  token?: string;
}

export interface HeldLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** Removes the lock file if it is still ours. Synchronous, so exit handlers can call it. */
  release(): void;
}

export interface AcquireOptions {
  /** Written into the lock, shown to whoever finds it taken. */
  what: string;
  /** How long to wait for a live holder to let go. @default 0 (fail at once) */
  waitMs?: number;
  signal?: AbortSignal;
  log?: { info(m: string): void; warn(m: string): void };
  /** The error message for a live holder. */
  busyMessage?: (holder: LockHolder) => string;
  /** @default 250 */
  pollMs?: number;
}

/** A lock file younger than this that cannot be parsed is being written, not broken. */
const UNREADABLE_GRACE_MS = 10_000;

export function procStartOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const v = Number(fields[19]); // field 22 overall
    return Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(file: string): LockHolder | 'unreadable' | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    return typeof h.pid === 'number' ? h : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Why the lock in `file` no longer protects anything, or undefined while its holder lives. */
export function staleReason(file: string, h: LockHolder | 'unreadable'): string | undefined {
  if (h === 'unreadable') {
    try {
      return Date.now() - statSync(file).mtimeMs > UNREADABLE_GRACE_MS ? 'it cannot be read' : undefined;
    } catch {
      return 'it is gone';
    }
  }
  // another machine's pid (shared folder) cannot be checked from here: treat it as live
  if (h.hostname !== hostname()) return undefined;
  if (!isAlive(h.pid)) return `pid ${h.pid} is not running`;
  if (h.procStart !== undefined) {
    const now = procStartOf(h.pid);
    if (now !== undefined && now !== h.procStart) return `pid ${h.pid} now belongs to another process`;
  }
  return undefined;
}

function tryCreate(file: string, holder: LockHolder): boolean {
  try {
    writeFileSync(file, JSON.stringify(holder), { flag: 'wx', mode: 0o600 });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw mpv2Error('E_FILE', `cannot create the lock file ${file}: ${(e as Error).message}`, { cause: e });
  }
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
  const t = setTimeout(done, ms);
  function done() { clearTimeout(t); signal?.removeEventListener('abort', done); resolve(); }
  signal?.addEventListener('abort', done, { once: true });
});

/** Takes the lock in `file`, clearing a stale one and waiting up to `waitMs` for a live one. */
export async function acquireLock(file: string, o: AcquireOptions): Promise<HeldLock> {
  mkdirSync(dirname(file), { recursive: true });
  const holder: LockHolder = { pid: process.pid, startedAt: new Date().toISOString(), what: o.what, hostname: hostname(), procStart: procStartOf(process.pid), token: randomBytes(6).toString('hex') };
  const deadline = Date.now() + (o.waitMs ?? 0);
  let told = false;
  for (;;) {
    if (o.signal?.aborted) throw mpv2Error('E_ABORTED', `interrupted while waiting for the lock ${file}`);
    if (tryCreate(file, holder)) return held(file, holder);
    const current = readLock(file);
    if (current === undefined) continue; // released between our two calls
    const stale = staleReason(file, current);
    if (stale) {
      // unlink only the lock judged stale: another process may have cleared it and taken a fresh one
      if (sameHolder(readLock(file), current)) {
        try { unlinkSync(file); } catch { /* another process cleared it first */ }
        o.log?.warn(`cleared a stale lock ${file} (${stale})`);
      }
      continue;
    }
    if (Date.now() >= deadline) {
      const h = current === 'unreadable' ? undefined : current;
      const msg = h && o.busyMessage ? o.busyMessage(h) : `${file} is locked${h ? ` by pid ${h.pid} (${h.what})` : ''}`;
      throw mpv2Error('E_LOCKED', msg, {
        retryable: true,
        details: h ? { pid: h.pid, what: h.what, since: h.startedAt } : undefined,
        hint: h ? `wait for pid ${h.pid} to finish (or stop it); a lock left by a crashed process is cleared automatically` : `delete ${file} if no mpv2 process is running`,
      });
    }
    if (!told && current !== 'unreadable') {
      o.log?.info(`waiting for the lock ${file}, held by pid ${current.pid} (${current.what}) since ${current.startedAt}`);
      told = true;
    }
    await sleep(Math.min(o.pollMs ?? 250, Math.max(1, deadline - Date.now())), o.signal);
  }
}

function held(file: string, holder: LockHolder): HeldLock {
  let released = false;
  return {
    file,
    holder,
    release() {
      if (released) return;
      released = true;
      if (sameHolder(readLock(file), holder)) {
        try { unlinkSync(file); } catch { /* already gone */ }
      }
    },
  };
}

function sameHolder(a: LockHolder | 'unreadable' | undefined, b: LockHolder | 'unreadable'): boolean {
  if (a === undefined) return false;
  if (a === 'unreadable' || b === 'unreadable') return a === b;
  return a.pid === b.pid && a.startedAt === b.startedAt && a.token === b.token;
}
