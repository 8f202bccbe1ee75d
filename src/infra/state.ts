/** The project's state folder `.mpv2/`: SQLite state, cache blobs, run artifacts, logs. */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, SqliteEffects, SqliteJournal, SqliteKv } from './store/sqlite.js';
import { SqliteKeyvStore } from './store/cache-store.js';
import { freeDiskReserve, keepDiskReserve } from './store/disk-reserve.js';
import type { EffectStore, JournalStore, KvStore } from './store/types.js';
import { mpv2Error } from '../errors.js';

export interface State {
  dir: string;
  runsDir: string;
  cacheDir: string;
  logsDir: string;
  journal: JournalStore;
  effects: EffectStore;
  kv: KvStore;
  keyvStore: SqliteKeyvStore;
  /** Frees the room kept for journaling the end of a run on a full disk; false when there is none left. */
  freeDiskReserve?(): boolean;
  close(): void;
}

export function stateDir(root: string): string {
  return join(root, '.mpv2');
}

export function openState(root: string): State {
  const dir = stateDir(root);
  const runsDir = join(dir, 'runs');
  const cacheDir = join(dir, 'cache');
  const logsDir = join(dir, 'logs');
  try {
    for (const d of [dir, runsDir, cacheDir, logsDir]) mkdirSync(d, { recursive: true });
    const ignore = join(dir, '.gitignore');
    if (!existsSync(ignore)) writeFileSync(ignore, '*\n');
  } catch (e) {
    throw mpv2Error('E_FILE', `cannot create the state folder ${dir}: ${(e as Error).message}`, { cause: e, hint: 'check the folder permissions or pass --project <dir>' });
  }
  const db = openDatabase(join(dir, 'state.db'));
  keepDiskReserve(dir);
  return {
    dir, runsDir, cacheDir, logsDir,
    freeDiskReserve: () => freeDiskReserve(dir),
    journal: new SqliteJournal(db),
    effects: new SqliteEffects(db),
    kv: new SqliteKv(db),
    keyvStore: new SqliteKeyvStore(db),
    close: () => { if (db.open) db.close(); },
  };
}
