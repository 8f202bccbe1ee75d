/**
 * The browser processes running on a profile, found by their command line, so they can be
 * killed when the driver cannot quit them (abort, crash, process exit): an orphaned
 * Chromium otherwise keeps running under pid 1 and keeps the profile busy.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Pids whose command line opens `profileDir` (`--user-data-dir=<dir>`, or firefox `-profile <dir>`). */
export function profileProcesses(profileDir: string): number[] {
  const pids = new Set<number>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    // not Linux: Chromium's SingletonLock (a symlink to `<host>-<pid>`) names the browser
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone, or not ours to read
    }
    if (args.includes(`--user-data-dir=${profileDir}`) || args.some((a, i) => a === '-profile' && args[i + 1] === profileDir)) pids.add(pid);
  }
  // /proc is authoritative; the SingletonLock pid may have been reused by an unrelated process
  if (entries.length === 0) {
    const singleton = singletonPid(profileDir);
    if (singleton !== undefined) pids.add(singleton);
  }
  return [...pids];
}

/** The pid of a driver (chromedriver, geckodriver) listening on `port`, found by its command line. */
export function driverPid(driverPath: string, port: number): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const name = driverPath.slice(driverPath.lastIndexOf('/') + 1);
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const args = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
      if (args[0]?.endsWith(name) && args.includes(`--port=${port}`)) return Number(e);
    } catch {
      // gone
    }
  }
  return undefined;
}

/** The browser pid that Chromium wrote into the profile's SingletonLock, if it is running. */
export function singletonPid(profileDir: string): number | undefined {
  try {
    const target = readlinkSync(join(profileDir, 'SingletonLock'));
    const cut = target.lastIndexOf('-');
    if (target.slice(0, cut) !== hostname()) return undefined;
    const pid = Number(target.slice(cut + 1));
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Sends `signal` to each pid; returns how many were signalled. Synchronous (usable in exit handlers). */
export function killPids(pids: number[], signal: NodeJS.Signals = 'SIGKILL'): number {
  let n = 0;
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
      n++;
    } catch {
      // already gone
    }
  }
  return n;
}

/** Kills every process of the profile. */
export function killProfileProcesses(profileDir: string, signal: NodeJS.Signals = 'SIGKILL'): number {
  return killPids(profileProcesses(profileDir), signal);
}
