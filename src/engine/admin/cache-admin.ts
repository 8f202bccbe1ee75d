/** `mpv2 cache stats|clear`: the step and call cache (SQLite entries + content-addressed blobs). */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { State } from '../../infra/state.js';
import { dirSize, fileCount } from './dir-size.js';

export interface CacheStats {
  /** Cache entries (step results and plugin call results), expired ones removed first. */
  entries: number;
  /** Bytes of the entries' JSON in the database. */
  entryBytes: number;
  /** Output files kept for cached steps in `.mpv2/cache/blobs/`. */
  blobs: number;
  blobBytes: number;
  /** entryBytes + blobBytes. */
  totalBytes: number;
  blobsDir: string;
}

export function blobsDir(state: Pick<State, 'cacheDir'>): string {
  return join(state.cacheDir, 'blobs');
}

export function cacheStats(state: Pick<State, 'keyvStore' | 'cacheDir'>): CacheStats {
  const { entries, bytes } = state.keyvStore.stats();
  const dir = blobsDir(state);
  const blobBytes = dirSize(dir);
  return { entries, entryBytes: bytes, blobs: fileCount(dir), blobBytes, totalBytes: bytes + blobBytes, blobsDir: dir };
}

/** Removes every entry and every blob; returns what there was. Run folders keep their own copies (hard links). */
export function clearCache(state: Pick<State, 'keyvStore' | 'cacheDir'>): CacheStats {
  const before = cacheStats(state);
  state.keyvStore.clear();
  rmSync(before.blobsDir, { recursive: true, force: true });
  return before;
}
