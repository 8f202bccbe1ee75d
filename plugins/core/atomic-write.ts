import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink, chmod } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `data` to `file` so readers see the old file or the new one, never half of it:
 * a temp file in the same folder (same file system, so rename is atomic), fsync, rename,
 * then fsync the folder so the rename itself survives a crash. An existing file's mode
 * is kept.
 */
export async function writeFileAtomic(file: string, data: Buffer): Promise<void> {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = await stat(file).then((s) => s.mode & 0o7777, () => undefined);
  const fh = await open(tmp, 'wx', 0o666);
  try {
    try {
      await fh.writeFile(data);
      if (mode !== undefined) await chmod(tmp, mode);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  // not every platform lets a folder be opened or fsynced (Windows); the data is already safe
  const dh = await open(dir, 'r').catch(() => undefined);
  if (!dh) return;
  try {
    await dh.sync();
  } catch {
    /* see above */
  } finally {
    await dh.close();
  }
}
