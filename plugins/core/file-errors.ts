import { DISK_FULL_HINT, isDiskFull, mpv2Error, type Mpv2Error } from 'mpv2/plugin';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many open files',
};

const HINTS: Record<string, string> = {
  ENOENT: 'check the spelling; relative paths start at the pipeline file\'s folder',
  EACCES: 'check the file\'s permissions',
  ENOTDIR: 'check the folders in the path',
};

const TRANSIENT = new Set(['EMFILE', 'ENFILE', 'EBUSY', 'EAGAIN']);

/** A file-system error as E_FILE naming the path as written and where it led. */
export function fileError(e: unknown, written: string, abs: string, verb: 'read' | 'write'): Mpv2Error {
  if (e instanceof Error && e.name === 'AbortError') {
    return mpv2Error('E_ABORTED', `${verb} of "${written}" was interrupted`, { cause: e });
  }
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? '';
  const reason = REASONS[code] ?? (e instanceof Error ? e.message : String(e));
  const where = written === abs ? '' : ` (${abs})`;
  // a full disk has its own code everywhere (plugins, the journal, the cache)
  return mpv2Error(isDiskFull(e) ? 'E_DISK_FULL' : 'E_FILE', `cannot ${verb} "${written}"${where}: ${reason}`, {
    hint: isDiskFull(e) ? DISK_FULL_HINT : HINTS[code],
    // running out of file handles or a busy file may pass; the rest would fail again
    retryable: TRANSIENT.has(code),
    details: { path: abs, code },
    cause: e,
  });
}
