/** SQLite (better-sqlite3, WAL) implementation of the journal, effect and key-value stores. */
import Database from 'better-sqlite3';
import { mpv2Error } from '../../errors.js';
import type { ApprovalRecord, ApprovalStore, EffectRecord, EffectStore, JournalStore, KvStore, RunOwner, RunRecord, StepRecord } from './types.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY, pipeline TEXT NOT NULL, pipeline_hash TEXT NOT NULL, name TEXT NOT NULL,
  status TEXT NOT NULL, inputs TEXT NOT NULL, outputs TEXT, error TEXT, started_at TEXT NOT NULL,
  finished_at TEXT, parent_run_id TEXT);
CREATE INDEX IF NOT EXISTS runs_pipeline ON runs(pipeline, started_at);
CREATE TABLE IF NOT EXISTS steps (
  run_id TEXT NOT NULL, step_id TEXT NOT NULL, idx INTEGER NOT NULL, status TEXT NOT NULL, plugin TEXT NOT NULL,
  attempts INTEGER NOT NULL, cached INTEGER NOT NULL, outputs TEXT, error TEXT, skip_reason TEXT,
  started_at TEXT NOT NULL, finished_at TEXT, duration_ms REAL, blocked_by TEXT, PRIMARY KEY (run_id, step_id, idx));
CREATE TABLE IF NOT EXISTS effects (
  key TEXT PRIMARY KEY, status TEXT NOT NULL, run_id TEXT NOT NULL, step_id TEXT NOT NULL, plugin TEXT NOT NULL,
  result TEXT, error TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS kv (ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (ns, key));
CREATE TABLE IF NOT EXISTS approvals (
  id TEXT PRIMARY KEY, run_id TEXT NOT NULL, step_id TEXT NOT NULL, idx INTEGER NOT NULL, plugin TEXT NOT NULL,
  preview TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL, decided_at TEXT, note TEXT, input_hash TEXT);
CREATE INDEX IF NOT EXISTS approvals_status ON approvals(status, created_at);
CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER, size INTEGER NOT NULL, created_at INTEGER NOT NULL);
`;

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
const parse = <T>(s: unknown): T | undefined => (typeof s === 'string' ? (JSON.parse(s) as T) : undefined);

type Row = Record<string, unknown>;

export function openDatabase(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  // when a cache entry was last read, for the size limit's least-recently-used order (added
  // after the first release: older databases get the column here)
  if (!(db.pragma('table_info(cache)') as Array<{ name: string }>).some((c) => c.name === 'used_at')) db.exec('ALTER TABLE cache ADD COLUMN used_at INTEGER');
  // the process that owns a run (JSON RunOwner; NULL when none), added with run ownership
  if (!(db.pragma('table_info(runs)') as Array<{ name: string }>).some((c) => c.name === 'owner')) db.exec('ALTER TABLE runs ADD COLUMN owner TEXT');
  // when a run waiting for its posting time continues (added with runs that pause for it)
  if (!(db.pragma('table_info(runs)') as Array<{ name: string }>).some((c) => c.name === 'resume_at')) db.exec('ALTER TABLE runs ADD COLUMN resume_at TEXT');
  // steps whose outputs were journaled redacted (added later too; NULL in older rows, which
  // resume recognises by the placeholder instead)
  if (!(db.pragma('table_info(steps)') as Array<{ name: string }>).some((c) => c.name === 'redacted')) db.exec('ALTER TABLE steps ADD COLUMN redacted INTEGER');
  // why a step was not run (the step it waited on), added with the error catalogue
  if (!(db.pragma('table_info(steps)') as Array<{ name: string }>).some((c) => c.name === 'blocked_by')) addBlockedBy(db);
  return db;
}

/**
 * Which step held a skipped step back (added after the first release). Older databases only
 * said so in the reason's words, `not run: step "x" failed`: read once here, so a run they
 * journaled still resumes those steps.
 */
function addBlockedBy(db: Database.Database): void {
  db.transaction(() => {
    db.exec('ALTER TABLE steps ADD COLUMN blocked_by TEXT');
    const legacy = db.prepare(`SELECT rowid, skip_reason FROM steps WHERE status = 'skipped' AND skip_reason LIKE 'not run: step "%'`).all() as Array<{ rowid: number; skip_reason: string }>;
    const set = db.prepare('UPDATE steps SET blocked_by = ? WHERE rowid = ?');
    for (const r of legacy) set.run(/^not run: step "(.*)" (?:failed|was not run)$/.exec(r.skip_reason)?.[1] ?? '', r.rowid);
  })();
}

export class SqliteJournal implements JournalStore {
  constructor(private readonly db: Database.Database) {}

  async createRun(r: RunRecord): Promise<void> {
    this.db.prepare(`INSERT INTO runs (id, pipeline, pipeline_hash, name, status, inputs, outputs, error, started_at, finished_at, parent_run_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)`).run(
      r.id, r.pipeline, r.pipelineHash, r.name, r.status, json(r.inputs), json(r.outputs), json(r.error), r.startedAt, r.finishedAt ?? null, r.parentRunId ?? null);
  }

  async updateRun(id: string, p: Partial<Omit<RunRecord, 'id'>>): Promise<void> {
    const cols: Record<string, unknown> = {
      status: p.status, outputs: p.outputs === undefined ? undefined : json(p.outputs), error: p.error === undefined ? undefined : json(p.error),
      finished_at: p.finishedAt, pipeline_hash: p.pipelineHash,
      // a run that starts again no longer waits: the patch clears it with null
      resume_at: 'resumeAt' in p ? (p.resumeAt ?? null) : undefined,
    };
    const set = Object.entries(cols).filter(([, v]) => v !== undefined);
    if (set.length === 0) return;
    this.db.prepare(`UPDATE runs SET ${set.map(([k]) => `${k} = ?`).join(', ')} WHERE id = ?`).run(...set.map(([, v]) => v), id);
  }

  private toRun(row: Row): RunRecord {
    return {
      id: row.id as string, pipeline: row.pipeline as string, pipelineHash: row.pipeline_hash as string, name: row.name as string,
      status: row.status as RunRecord['status'], inputs: parse(row.inputs) ?? {}, outputs: parse(row.outputs), error: parse(row.error),
      startedAt: row.started_at as string, finishedAt: (row.finished_at as string) ?? undefined, parentRunId: (row.parent_run_id as string) ?? undefined,
      ...(typeof row.resume_at === 'string' && { resumeAt: row.resume_at }),
    };
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const row = this.db.prepare(`SELECT * FROM runs WHERE id = ?`).get(id) as Row | undefined;
    return row && this.toRun(row);
  }

  async listRuns(opts: { limit?: number; pipeline?: string } = {}): Promise<RunRecord[]> {
    const rows = opts.pipeline
      ? this.db.prepare(`SELECT * FROM runs WHERE pipeline = ? ORDER BY started_at DESC, rowid DESC LIMIT ?`).all(opts.pipeline, opts.limit ?? 50)
      : this.db.prepare(`SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?`).all(opts.limit ?? 50);
    return (rows as Row[]).map((r) => this.toRun(r));
  }

  async latestSucceededRun(pipeline: string): Promise<RunRecord | undefined> {
    const row = this.db.prepare(`SELECT * FROM runs WHERE pipeline = ? AND status = 'succeeded' ORDER BY started_at DESC, rowid DESC LIMIT 1`).get(pipeline) as Row | undefined;
    return row && this.toRun(row);
  }

  async putStep(s: StepRecord): Promise<void> {
    this.db.prepare(`INSERT OR REPLACE INTO steps (run_id, step_id, idx, status, plugin, attempts, cached, outputs, error, skip_reason, started_at, finished_at, duration_ms, redacted, blocked_by)
      VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`).run(
      s.runId, s.stepId, s.index, s.status, s.plugin, s.attempts, s.cached ? 1 : 0, json(s.outputs), json(s.error), s.skipReason ?? null,
      s.startedAt, s.finishedAt ?? null, s.durationMs ?? null, s.redacted ? 1 : 0, s.blockedBy ?? null);
  }

  async getSteps(runId: string): Promise<StepRecord[]> {
    const rows = this.db.prepare(`SELECT * FROM steps WHERE run_id = ? ORDER BY started_at, step_id, idx`).all(runId) as Row[];
    return rows.map((row) => ({
      runId: row.run_id as string, stepId: row.step_id as string, index: row.idx as number, status: row.status as StepRecord['status'],
      plugin: row.plugin as string, attempts: row.attempts as number, cached: row.cached === 1, outputs: parse(row.outputs),
      error: parse(row.error), skipReason: (row.skip_reason as string) ?? undefined, startedAt: row.started_at as string,
      finishedAt: (row.finished_at as string) ?? undefined, durationMs: (row.duration_ms as number) ?? undefined,
      ...(row.redacted === 1 && { redacted: true }),
      ...(typeof row.blocked_by === 'string' && { blockedBy: row.blocked_by }),
    }));
  }

  async deleteRun(id: string): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM steps WHERE run_id = ?`).run(id);
      this.db.prepare(`DELETE FROM runs WHERE id = ?`).run(id);
    })();
  }

  async claimRun(id: string, owner: RunOwner, isLive: (current: RunOwner) => boolean): Promise<RunOwner | undefined> {
    // IMMEDIATE takes the write lock before the read: a second claimer waits, then sees the first
    return this.db.transaction(() => {
      const row = this.db.prepare(`SELECT owner FROM runs WHERE id = ?`).get(id) as Row | undefined;
      if (!row) throw mpv2Error('E_NOT_FOUND', `no run with id ${id}`, { hint: '`mpv2 runs list` shows recent runs' });
      const cur = parse<RunOwner>(row.owner);
      if (cur && cur.token !== owner.token && isLive(cur)) return cur;
      this.db.prepare(`UPDATE runs SET owner = ? WHERE id = ?`).run(json(owner), id);
      return undefined;
    }).immediate();
  }

  async renewRun(id: string, owner: RunOwner): Promise<boolean> {
    return this.db.prepare(`UPDATE runs SET owner = ? WHERE id = ? AND json_extract(owner, '$.token') = ?`).run(json(owner), id, owner.token).changes === 1;
  }

  async releaseRun(id: string, token: string): Promise<void> {
    this.db.prepare(`UPDATE runs SET owner = NULL WHERE id = ? AND json_extract(owner, '$.token') = ?`).run(id, token);
  }

  async ownerOf(id: string): Promise<RunOwner | undefined> {
    const row = this.db.prepare(`SELECT owner FROM runs WHERE id = ?`).get(id) as Row | undefined;
    return parse<RunOwner>(row?.owner);
  }

}

export class SqliteEffects implements EffectStore {
  constructor(private readonly db: Database.Database) {}

  private toEffect(row: Row): EffectRecord {
    return {
      key: row.key as string, status: row.status as EffectRecord['status'], runId: row.run_id as string, stepId: row.step_id as string,
      plugin: row.plugin as string, result: parse(row.result), error: parse(row.error), createdAt: row.created_at as string, updatedAt: row.updated_at as string,
    };
  }

  async get(key: string): Promise<EffectRecord | undefined> {
    const row = this.db.prepare(`SELECT * FROM effects WHERE key = ?`).get(key) as Row | undefined;
    return row && this.toEffect(row);
  }

  async claim(rec: Omit<EffectRecord, 'status' | 'createdAt' | 'updatedAt'>, opts: { takeOver: boolean; seen?: Pick<EffectRecord, 'status' | 'runId' | 'updatedAt'> }): Promise<boolean> {
    const now = new Date().toISOString();
    return this.db.transaction(() => {
      const row = this.db.prepare(`SELECT status, run_id, updated_at FROM effects WHERE key = ?`).get(rec.key) as Row | undefined;
      if (row && !opts.takeOver && row.status !== 'failed') return false;
      const { seen } = opts;
      if (row && opts.takeOver && seen && (row.status !== seen.status || row.run_id !== seen.runId || row.updated_at !== seen.updatedAt)) return false;
      this.db.prepare(`INSERT OR REPLACE INTO effects VALUES (?,?,?,?,?,?,?,COALESCE((SELECT created_at FROM effects WHERE key = ?), ?),?)`).run(
        rec.key, 'pending', rec.runId, rec.stepId, rec.plugin, null, null, rec.key, now, now);
      return true;
    })();
  }

  async complete(key: string, result: unknown): Promise<void> {
    this.db.prepare(`UPDATE effects SET status = 'done', result = ?, error = NULL, updated_at = ? WHERE key = ?`).run(json(result), new Date().toISOString(), key);
  }

  async fail(key: string, error: { code: string; message: string }): Promise<void> {
    this.db.prepare(`UPDATE effects SET status = 'failed', error = ?, updated_at = ? WHERE key = ?`).run(json(error), new Date().toISOString(), key);
  }

  async list(o: { status?: EffectRecord['status']; runId?: string } = {}): Promise<EffectRecord[]> {
    const rows = this.db.prepare(`SELECT * FROM effects WHERE (@status IS NULL OR status = @status) AND (@runId IS NULL OR run_id = @runId) ORDER BY updated_at DESC`).all({ status: o.status ?? null, runId: o.runId ?? null }) as Row[];
    return rows.map((r) => this.toEffect(r));
  }

  async remove(key: string): Promise<void> {
    this.db.prepare(`DELETE FROM effects WHERE key = ?`).run(key);
  }

}

export class SqliteKv implements KvStore {
  constructor(private readonly db: Database.Database) {}

  async get<T>(namespace: string, key: string): Promise<T | undefined> {
    const row = this.db.prepare(`SELECT value FROM kv WHERE ns = ? AND key = ?`).get(namespace, key) as Row | undefined;
    return row ? parse<T>(row.value) : undefined;
  }

  async list<T>(namespace: string, prefix: string): Promise<Array<{ key: string; value: T }>> {
    const rows = this.db.prepare(`SELECT key, value FROM kv WHERE ns = ? AND substr(key, 1, ?) = ? ORDER BY key`).all(namespace, prefix.length, prefix) as Row[];
    return rows.map((r) => ({ key: r.key as string, value: parse<T>(r.value) as T }));
  }

  async set(namespace: string, key: string, value: unknown): Promise<void> {
    this.db.prepare(`INSERT OR REPLACE INTO kv VALUES (?,?,?)`).run(namespace, key, JSON.stringify(value));
  }

  async delete(namespace: string, key: string): Promise<void> {
    this.db.prepare(`DELETE FROM kv WHERE ns = ? AND key = ?`).run(namespace, key);
  }

  // one statement each: SQLite's write lock makes them atomic across connections and processes
  async add(namespace: string, key: string, value: unknown): Promise<boolean> {
    return this.db.prepare(`INSERT OR IGNORE INTO kv VALUES (?,?,?)`).run(namespace, key, JSON.stringify(value)).changes === 1;
  }

  async increment(namespace: string, key: string, by: number): Promise<number> {
    const row = this.db.prepare(`INSERT INTO kv VALUES (?,?,?) ON CONFLICT (ns, key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + ? AS TEXT) RETURNING value`)
      .get(namespace, key, JSON.stringify(by), by) as Row;
    return Number(row.value);
  }
}

/**
 * Approvals (added with approve-before-publish; `CREATE TABLE IF NOT EXISTS` above adds the
 * table to an existing state.db). `decide` changes a row only while it is pending, so of two
 * deciders one wins.
 */
export class SqliteApprovals implements ApprovalStore {
  constructor(private readonly db: Database.Database) {}

  private toApproval(row: Row): ApprovalRecord {
    return {
      id: row.id as string, runId: row.run_id as string, stepId: row.step_id as string, index: row.idx as number, plugin: row.plugin as string,
      preview: parse(row.preview) as ApprovalRecord['preview'], status: row.status as ApprovalRecord['status'], createdAt: row.created_at as string,
      ...(typeof row.decided_at === 'string' && { decidedAt: row.decided_at }),
      ...(typeof row.note === 'string' && { note: row.note }),
      ...(typeof row.input_hash === 'string' && { inputHash: row.input_hash }),
    };
  }

  async request(r: Omit<ApprovalRecord, 'status' | 'decidedAt' | 'note'>): Promise<ApprovalRecord> {
    return this.db.transaction(() => {
      this.db.prepare(`INSERT OR IGNORE INTO approvals (id, run_id, step_id, idx, plugin, preview, status, created_at, input_hash) VALUES (?,?,?,?,?,?,'pending',?,?)`).run(
        r.id, r.runId, r.stepId, r.index, r.plugin, json(r.preview), r.createdAt, r.inputHash ?? null);
      return this.toApproval(this.db.prepare(`SELECT * FROM approvals WHERE id = ?`).get(r.id) as Row);
    }).immediate();
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    const row = this.db.prepare(`SELECT * FROM approvals WHERE id = ?`).get(id) as Row | undefined;
    return row && this.toApproval(row);
  }

  async list(o: { status?: ApprovalRecord['status']; runId?: string } = {}): Promise<ApprovalRecord[]> {
    const rows = this.db.prepare(`SELECT * FROM approvals WHERE (@status IS NULL OR status = @status) AND (@runId IS NULL OR run_id = @runId) ORDER BY created_at DESC, rowid DESC`).all({ status: o.status ?? null, runId: o.runId ?? null }) as Row[];
    return rows.map((r) => this.toApproval(r));
  }

  async decide(id: string, d: { status: 'approved' | 'rejected'; note?: string; decidedAt: string }): Promise<{ decided: boolean; record?: ApprovalRecord }> {
    return this.db.transaction(() => {
      const changed = this.db.prepare(`UPDATE approvals SET status = ?, decided_at = ?, note = ? WHERE id = ? AND status = 'pending'`).run(d.status, d.decidedAt, d.note ?? null, id).changes === 1;
      const row = this.db.prepare(`SELECT * FROM approvals WHERE id = ?`).get(id) as Row | undefined;
      return { decided: changed, ...(row && { record: this.toApproval(row) }) };
    }).immediate();
  }

  async removeForRun(runId: string): Promise<void> {
    this.db.prepare(`DELETE FROM approvals WHERE run_id = ?`).run(runId);
  }
}
