/** The project's state folder `.mpv2/`: SQLite state, cache blobs, run artifacts, logs. */
import { chmodSync, closeSync, existsSync, linkSync, mkdirSync, openSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase, SqliteApprovals, SqliteEffects, SqliteJournal, SqliteKv } from './store/sqlite.js';
import { SqliteKeyvStore } from './store/cache-store.js';
import { rootRelativeEffects, rootRelativeJournal } from './store/root-relative.js';
import { freeDiskReserve, keepDiskReserve } from './store/disk-reserve.js';
import type { ApprovalStore, EffectStore, JournalStore, KvStore } from './store/types.js';
import { DISK_FULL_HINT, isDiskFull, isMpv2Error, mpv2Error } from '../errors.js';
import { fromSystemError } from './system-errors.js';
import { privateDir, tighten } from './private-files.js';

export interface State {
  dir: string;
  runsDir: string;
  cacheDir: string;
  logsDir: string;
  journal: JournalStore;
  effects: EffectStore;
  kv: KvStore;
  approvals: ApprovalStore;
  keyvStore: SqliteKeyvStore;
  /** Frees the room kept for journaling the end of a run on a full disk; false when there is none left. */
  freeDiskReserve?(): boolean;
  close(): void;
}

export function stateDir(root: string): string {
  return join(root, '.mpv2');
}

/**
 * Creates `.mpv2/` (and `sub` folders in it) readable by the owner only: it holds the journal,
 * the effect records, credentials, logs and browser profiles. An existing folder is tightened
 * too (projects made before this rule, or a wide umask).
 */
export function ensureStateDir(root: string, ...sub: string[]): string {
  const dir = privateDir(stateDir(root));
  for (const s of sub) mkdirSync(join(dir, s), { recursive: true });
  return dir;
}

export function openState(root: string): State {
  const dir = stateDir(root);
  const runsDir = join(dir, 'runs');
  const cacheDir = join(dir, 'cache');
  const logsDir = join(dir, 'logs');
  try {
    ensureStateDir(root, 'runs', 'cache', 'logs');
    const ignore = join(dir, '.gitignore');
    if (!existsSync(ignore)) writeFileSync(ignore, '*\n');
  } catch (e) {
    // a full disk is said as such wherever it is met, so the hint fits
    if (isDiskFull(e)) throw mpv2Error('E_DISK_FULL', `cannot create the state folder ${dir}: ${(e as Error).message}`, { cause: e, hint: DISK_FULL_HINT });
    throw mpv2Error('E_FILE', `cannot create the state folder ${dir}: ${(e as Error).message}`, { cause: e, hint: 'check the folder permissions or pass --project <dir>' });
  }
  const db = openStateDatabase(join(dir, 'state.db'));
  keepDiskReserve(dir);
  return {
    dir, runsDir, cacheDir, logsDir,
    freeDiskReserve: () => freeDiskReserve(dir),
    // paths inside the project are journaled relative to it, so a moved project keeps its history
    journal: rootRelativeJournal(new SqliteJournal(db), root),
    effects: rootRelativeEffects(new SqliteEffects(db), root),
    kv: new SqliteKv(db),
    approvals: new SqliteApprovals(db),
    keyvStore: new SqliteKeyvStore(db),
    close: () => { if (db.open) db.close(); },
  };
}

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const SIDE_FILES = ['-wal', '-shm'];

function corrupt(file: string, what: string, cause?: unknown) {
  return mpv2Error('E_STATE_CORRUPT', `the state database ${file} ${what}; mpv2 will not replace it with an empty one (that would forget every run and every done upload, post and email)`, {
    cause,
    hint: `move it aside (mv ${file} ${file}.damaged) to start a new journal, or restore it from a backup; \`sqlite3 ${file} .recover\` may save its records`,
  });
}

/**
 * Opens `.mpv2/state.db` (mode 0600). A new one is created complete beside it and linked into
 * place, so an existing state.db is always a whole database: an empty, truncated or foreign
 * file, or a folder, stops every command with E_STATE_CORRUPT instead of being replaced.
 */
export function openStateDatabase(file: string): Database.Database {
  if (!existsSync(file)) createDatabase(file);
  checkHeader(file);
  for (const f of [file, ...SIDE_FILES.map((s) => file + s)]) tighten(f, 0o600);
  let db: Database.Database | undefined;
  try {
    db = openDatabase(file);
    // reads the root pages of the tables that matter most: a damaged file fails here, not mid-run
    db.prepare('SELECT count(*) FROM runs').get();
    db.prepare('SELECT count(*) FROM effects').get();
    return db;
  } catch (e) {
    if (db?.open) db.close();
    if (isMpv2Error(e)) throw e;
    const code = String((e as { code?: unknown }).code ?? '');
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) throw corrupt(file, `is damaged (${(e as Error).message})`, e);
    // SQLite says a full disk as SQLITE_FULL or as an I/O error: both are E_DISK_FULL when there is no room
    const full = fromSystemError(e, dirname(file));
    if (full?.code === 'E_DISK_FULL') throw full;
    throw mpv2Error('E_FILE', `cannot open the state database ${file}: ${(e as Error).message}`, { cause: e, hint: 'check the permissions of .mpv2/ and the free disk space; if better-sqlite3 failed to load, `npm rebuild better-sqlite3`' });
  }
}

/** A new database, made under a temporary name and linked to `file` (which a concurrent creator may win). */
function createDatabase(file: string): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.new`;
  try {
    writeFileSync(tmp, '', { mode: 0o600 });
    chmodSync(tmp, 0o600); // before SQLite makes -wal/-shm, which copy the database's mode
    openDatabase(tmp).close(); // the schema is in, the WAL checkpointed and gone
    try {
      linkSync(tmp, file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || existsSync(file)) return; // another process made it first: use theirs
      // a filesystem without hard links: a rename, which only a creator starting at the same instant could race
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK'].includes(code ?? '')) throw e;
      renameSync(tmp, file);
    }
  } catch (e) {
    throw mpv2Error('E_FILE', `cannot create the state database ${file}: ${(e as Error).message}`, { cause: e, hint: 'check the permissions of .mpv2/ and the free disk space' });
  } finally {
    for (const f of [tmp, ...SIDE_FILES.map((s) => tmp + s)]) { try { unlinkSync(f); } catch { /* gone */ } }
  }
}

/** What can be told from the file alone: a folder, too short, not SQLite, cut short of its own page count. */
function checkHeader(file: string): void {
  const st = statSync(file);
  if (!st.isFile()) throw corrupt(file, `is not a file (${st.isDirectory() ? 'a folder' : 'a special file'})`);
  const wal = walBytes(file);
  // a database whose every page is still in the WAL (a crash right after the first writes) is whole
  if (st.size === 0 && wal > 0) return;
  if (st.size < 100) throw corrupt(file, st.size === 0 ? 'is empty (0 bytes)' : `is cut short (${st.size} bytes)`);
  const head = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  try { readSync(fd, head, 0, 100, 0); } finally { closeSync(fd); }
  if (!head.subarray(0, 16).equals(MAGIC)) throw corrupt(file, 'is not an SQLite database (its first bytes are not the SQLite header)');
  const raw = head.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw corrupt(file, `has a damaged header (page size ${raw})`);
  if (st.size % pageSize !== 0) throw corrupt(file, `is cut short (${st.size} bytes is not a whole number of ${pageSize}-byte pages)`);
  const pages = head.readUInt32BE(28);
  const headerValid = head.readUInt32BE(24) === head.readUInt32BE(92);
  // with WAL content pending, pages past the end of the file may live in the WAL
  if (headerValid && wal === 0 && pages * pageSize > st.size) {
    throw corrupt(file, `is cut short (${st.size} bytes, its header says ${pages} pages of ${pageSize} bytes)`);
  }
}

function walBytes(file: string): number {
  try { return statSync(`${file}-wal`).size; } catch { return 0; }
}
