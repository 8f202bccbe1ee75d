/**
 * A small file kept in `.mpv2/` so that a run can still journal how it ended when the disk
 * fills up under it: deleting the file frees room for the last few SQLite pages. It is made
 * again, when there is room, the next time the state is opened.
 */
import { randomBytes } from 'node:crypto';
import { rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RESERVE_BYTES = 256 * 1024;
const NAME = 'disk-reserve';

/** Makes the reserve if it is missing; a disk without room simply goes without one. */
export function keepDiskReserve(dir: string): void {
  const file = join(dir, NAME);
  if (statSync(file, { throwIfNoEntry: false })?.size === RESERVE_BYTES) return;
  try {
    // random bytes: a compressing file system (btrfs, zfs) would store zeros in no space
    writeFileSync(file, randomBytes(RESERVE_BYTES), { mode: 0o600 });
  } catch {
    rmSync(file, { force: true });
  }
}

/** Deletes the reserve; true when there was one to give back. */
export function freeDiskReserve(dir: string): boolean {
  try {
    unlinkSync(join(dir, NAME));
    return true;
  } catch {
    return false;
  }
}
