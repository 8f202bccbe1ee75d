/** Doctor checks for the project's state folder: writable, disk space, SQLite. */
import { mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openState, stateDir } from '../../infra/state.js';
import { error, ok, warn, type DoctorCheck } from './doctor-types.js';
import { isMpv2Error } from '../../errors.js';
import { formatBytes } from './format.js';

const GB = 1024 ** 3;

export function stateWritableCheck(root: string): DoctorCheck {
  const dir = stateDir(root);
  const probe = join(dir, `.doctor-${process.pid}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, 'ok');
    rmSync(probe, { force: true });
    return ok('state folder', `${dir} is writable`);
  } catch (e) {
    return error('state folder', `cannot write in ${dir}: ${(e as Error).message}`, 'check the folder permissions, or run mpv2 in a project you own (--project <dir>)');
  }
}

/** Renders need room: warn under 2 GB free, error under 200 MB. */
export function diskSpaceCheck(root: string, statfs: typeof statfsSync = statfsSync): DoctorCheck {
  let free: number;
  try {
    const s = statfs(root);
    free = Number(s.bavail) * Number(s.bsize);
  } catch (e) {
    return warn('disk space', `cannot read the free space of ${root}: ${(e as Error).message}`);
  }
  const msg = `${formatBytes(free)} free on the disk of ${root}`;
  if (free < 0.2 * GB) return error('disk space', msg, 'free some space: `mpv2 runs prune` and `mpv2 cache clear` remove old run folders and the cache');
  if (free < 2 * GB) return warn('disk space', msg, 'video renders need a few hundred MB each; `mpv2 runs prune` removes old run folders');
  return ok('disk space', msg);
}

export function sqliteCheck(root: string): DoctorCheck {
  let state;
  try {
    state = openState(root);
    const { entries } = state.keyvStore.stats();
    return ok('sqlite', `${join(stateDir(root), 'state.db')} opens (${entries} cache entries)`);
  } catch (e) {
    const code = isMpv2Error(e) ? `${e.code} ` : '';
    return error('sqlite', `the state database does not open: ${code}${(e as Error).message}`, (isMpv2Error(e) && e.hint) || 'if better-sqlite3 failed to load, reinstall with `npm rebuild better-sqlite3`; if the file is damaged, move .mpv2/state.db away (runs and effect records are lost)');
  } finally {
    state?.close();
  }
}
