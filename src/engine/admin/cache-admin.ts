/** `mpv2 cache stats|clear`: the step and call cache (SQLite entries + content-addressed blobs). */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
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
  /** With `queue.url`: the workers' entries in Redis (counted in `entries` and `entryBytes` too). */
  shared?: { entries: number; bytes: number };
}

/** The workers' cache store in Redis, as `cache stats|clear` reach it. */
export interface SharedCache {
  stats(): Promise<{ entries: number; bytes: number }>;
  clear(): Promise<void>;
}

/** This project's cache and, with `queue.url`, the workers' entries in Redis (one blob folder: the shared project's). */
export async function projectCacheStats(state: Pick<State, 'keyvStore' | 'cacheDir'>, shared?: SharedCache): Promise<CacheStats> {
  const local = cacheStats(state);
  if (!shared) return local;
  const s = await shared.stats();
  return { ...local, entries: local.entries + s.entries, entryBytes: local.entryBytes + s.bytes, totalBytes: local.totalBytes + s.bytes, shared: s };
}

/** Empties both caches; returns what there was. */
export async function clearProjectCache(state: Pick<State, 'keyvStore' | 'cacheDir'>, shared?: SharedCache): Promise<CacheStats> {
  const before = await projectCacheStats(state, shared);
  clearCache(state);
  await shared?.clear();
  return before;
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

export interface Eviction {
  entries: number;
  blobs: number;
  freedBytes: number;
}

/** A blob named in a cache entry (see StepCache: `mpv2-blob:<sha256>:<path>`). */
const BLOB_REF = /mpv2-blob:([0-9a-f]{64})/g;

/**
 * Keeps the cache within `maxBytes` (`cache.maxSize`): the most recently used entries stay,
 * each counted with the blobs it names that no more recent entry already counted; from the
 * first entry that does not fit on, older ones go, and so do blobs no remaining entry names.
 * Under the limit it only measures. Run folders keep their own hard links to their files.
 */
export function enforceCacheLimit(state: Pick<State, 'keyvStore' | 'cacheDir'>, maxBytes: number): Eviction {
  // the usual case, under the limit: sizes from the database and the folder, no entry is read
  if (cacheStats(state).totalBytes <= maxBytes) return { entries: 0, blobs: 0, freedBytes: 0 };
  const dir = blobsDir(state);
  const blobBytes = new Map<string, number>();
  for (const file of existsSync(dir) ? readdirSync(dir, { recursive: true }) as string[] : []) {
    try {
      const st = statSync(join(dir, file));
      if (st.isFile()) blobBytes.set(file.slice(-64), st.size);
    } catch { /* removed meanwhile */ }
  }
  const kept = new Set<string>();
  const dropped: Array<{ key: string; size: number }> = [];
  let used = 0;
  for (const e of state.keyvStore.byRecentUse()) {
    const named = [...new Set([...e.value.matchAll(BLOB_REF)].map((m) => m[1]!))].filter((h) => !kept.has(h));
    const cost = e.size + named.reduce((a, h) => a + (blobBytes.get(h) ?? 0), 0);
    if (dropped.length === 0 && used + cost <= maxBytes) {
      used += cost;
      for (const h of named) kept.add(h);
    } else dropped.push(e);
  }
  for (const e of dropped) state.keyvStore.delete(e.key);
  let freedBytes = dropped.reduce((a, e) => a + e.size, 0);
  let blobs = 0;
  for (const [hash, bytes] of blobBytes) {
    if (kept.has(hash)) continue;
    rmSync(join(dir, hash.slice(0, 2), hash), { force: true });
    blobs++;
    freedBytes += bytes;
  }
  return { entries: dropped.length, blobs, freedBytes };
}
