/**
 * A Map-like keyv store on the project's SQLite database, so the cache needs no second
 * native module (@keyv/sqlite would build sqlite3 from source). Keyv serialises entries as
 * `{ value, expires }`; the expiry is copied into a column for pruning and stats.
 */
import type Database from 'better-sqlite3';

export class SqliteKeyvStore {
  readonly opts = { dialect: 'sqlite' };
  /** `now` orders entries by use and expires them (tests pass a fake clock). */
  constructor(private readonly db: Database.Database, private readonly now: () => number = Date.now) {}

  get(key: string): string | undefined {
    const row = this.db.prepare(`SELECT value, expires FROM cache WHERE key = ?`).get(key) as { value: string; expires: number | null } | undefined;
    if (!row) return undefined;
    if (row.expires !== null && row.expires <= this.now()) {
      this.delete(key);
      return undefined;
    }
    this.db.prepare(`UPDATE cache SET used_at = ? WHERE key = ?`).run(this.now(), key);
    return row.value;
  }

  set(key: string, value: unknown): this {
    const s = typeof value === 'string' ? value : JSON.stringify(value);
    let expires: number | null = null;
    try {
      const e = (JSON.parse(s) as { expires?: unknown }).expires;
      if (typeof e === 'number') expires = e;
    } catch { /* not JSON: no expiry */ }
    const now = this.now();
    this.db.prepare(`INSERT OR REPLACE INTO cache (key, value, expires, size, created_at, used_at) VALUES (?,?,?,?,?,?)`).run(key, s, expires, Buffer.byteLength(s), now, now);
    return this;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  delete(key: string): boolean {
    return this.db.prepare(`DELETE FROM cache WHERE key = ?`).run(key).changes > 0;
  }

  clear(): void {
    this.db.prepare(`DELETE FROM cache`).run();
  }

  /** Entry count and JSON bytes, expired entries removed first. */
  stats(): { entries: number; bytes: number } {
    this.db.prepare(`DELETE FROM cache WHERE expires IS NOT NULL AND expires <= ?`).run(this.now());
    const r = this.db.prepare(`SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS b FROM cache`).get() as { n: number; b: number };
    return { entries: r.n, bytes: r.b };
  }

  /** Every live entry, most recently used first (for the size limit). */
  byRecentUse(): Array<{ key: string; value: string; size: number }> {
    this.db.prepare(`DELETE FROM cache WHERE expires IS NOT NULL AND expires <= ?`).run(this.now());
    return this.db.prepare(`SELECT key, value, size FROM cache ORDER BY COALESCE(used_at, created_at) DESC, key`).all() as Array<{ key: string; value: string; size: number }>;
  }

  /** Every key whose value mentions `needle` (used to find entries that reference a blob). */
  keysReferencing(needle: string): string[] {
    return (this.db.prepare(`SELECT key FROM cache WHERE instr(value, ?) > 0`).all(needle) as Array<{ key: string }>).map((r) => r.key);
  }
}
