/**
 * `.mpv2/` and the files in it that hold the journal, effect records, credentials and logs
 * are the owner's alone: folder 0700, files 0600. chmod rather than a mode at creation,
 * because the umask narrows a creation mode but a chmod is exact.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';

/** Sets `mode` when the file or folder allows more; an absent one, or another user's (EPERM), is left as it is. */
export function tighten(file: string, mode: number): void {
  try {
    if ((statSync(file).mode & 0o777 & ~mode) !== 0) chmodSync(file, mode);
  } catch { /* absent, or not ours to change */ }
}

/** Creates `dir` (with its parents) and makes it owner-only, also when it already existed. */
export function privateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir, 0o700);
  return dir;
}
