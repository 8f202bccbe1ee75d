/** Bytes taken by a file or a folder tree (symbolic links are not followed; a hard link counts once per name). */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function dirSize(path: string): number {
  let st;
  try { st = lstatSync(path); } catch { return 0; }
  if (!st.isDirectory()) return st.isFile() ? st.size : 0;
  let total = 0;
  let names: string[] = [];
  try { names = readdirSync(path); } catch { return 0; }
  for (const n of names) total += dirSize(join(path, n));
  return total;
}

/** Files in a folder tree. */
export function fileCount(path: string): number {
  let st;
  try { st = lstatSync(path); } catch { return 0; }
  if (!st.isDirectory()) return st.isFile() ? 1 : 0;
  let total = 0;
  try { for (const n of readdirSync(path)) total += fileCount(join(path, n)); } catch { /* unreadable */ }
  return total;
}
