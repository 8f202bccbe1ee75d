/**
 * Errors thrown by Node or SQLite that a user or the machine can cause (a full disk, a
 * read-only folder, a database held by another process), as Mpv2Errors with a code and a
 * hint. Anything not known here stays unknown, which the CLI reports as a bug.
 */
import { statfsSync } from 'node:fs';
import { DISK_FULL_HINT, isDiskFull, isMpv2Error, mpv2Error, type Mpv2Error } from '../errors.js';

/** Less free space than this (for an unprivileged user) counts as a full disk. */
const NEARLY_FULL_BYTES = 1024 * 1024;

/** True when the file system holding `dir` has (almost) no room left. */
export function noSpaceLeft(dir: string): boolean {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize < NEARLY_FULL_BYTES;
  } catch {
    return false;
  }
}

const FILE_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOENT: 'no such file or folder',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
};

/**
 * `dir` (the project root) lets a SQLite I/O error be told apart: SQLite reports a full disk
 * as SQLITE_IOERR_* (growing the WAL index or the WAL) as often as SQLITE_FULL.
 */
export function fromSystemError(e: unknown, dir?: string): Mpv2Error | undefined {
  if (isMpv2Error(e) || typeof e !== 'object' || e === null) return undefined;
  const { code, path, message } = e as { code?: unknown; path?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(e);
  const ioError = typeof code === 'string' && code.startsWith('SQLITE_IOERR');
  if (isDiskFull(e) || (ioError && dir !== undefined && noSpaceLeft(dir))) {
    return mpv2Error('E_DISK_FULL', `the disk is full: ${text}`, { hint: DISK_FULL_HINT, cause: e });
  }
  if (ioError) {
    return mpv2Error('E_FILE', `the state database .mpv2/state.db could not be read or written: ${text} (${code})`, { cause: e, hint: 'the disk may be full (`df -h .`) or failing (see the system log)' });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return mpv2Error('E_LOCKED', 'the state database .mpv2/state.db is in use by another process', { cause: e, hint: 'wait for the other mpv2 command to finish, then try again' });
  }
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
    return mpv2Error('E_FILE', `the state database .mpv2/state.db cannot be written: ${text}`, { cause: e, hint: 'check the permissions of .mpv2/ and the files in it' });
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return mpv2Error('E_FILE', `the state database .mpv2/state.db is damaged: ${text}`, { cause: e, hint: 'move .mpv2/state.db away (its runs and effect records are lost) or restore it from a backup' });
  }
  if (typeof code === 'string' && FILE_REASONS[code] && typeof path === 'string') {
    return mpv2Error('E_FILE', `cannot use ${path}: ${FILE_REASONS[code]}`, { cause: e, details: { path, code }, hint: 'check the path and its permissions' });
  }
  return undefined;
}
