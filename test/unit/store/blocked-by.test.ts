/**
 * The journal's `blocked_by` column, added after the first release: a database from before
 * gets it on open, and its held-back steps (said only in words then) are marked, so resuming
 * one of its runs still runs them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, SqliteJournal } from '../../../src/infra/store/sqlite.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'mpv2-blocked-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('an older database gets blocked_by on open, filled from its held-back steps', async () => {
  const file = join(dir, 'state.db');
  const old = new Database(file);
  old.exec(`CREATE TABLE steps (
    run_id TEXT NOT NULL, step_id TEXT NOT NULL, idx INTEGER NOT NULL, status TEXT NOT NULL, plugin TEXT NOT NULL,
    attempts INTEGER NOT NULL, cached INTEGER NOT NULL, outputs TEXT, error TEXT, skip_reason TEXT,
    started_at TEXT NOT NULL, finished_at TEXT, duration_ms REAL, PRIMARY KEY (run_id, step_id, idx))`);
  const put = old.prepare('INSERT INTO steps VALUES (?,?,-1,?,?,0,0,NULL,NULL,?,?,NULL,NULL)');
  put.run('r1', 'a', 'failed', 'demo.x', null, '2026-01-01T00:00:00Z');
  put.run('r1', 'b', 'skipped', 'core.set', 'not run: step "a" failed', '2026-01-01T00:00:01Z');
  put.run('r1', 'c', 'skipped', 'core.set', 'not run: step "b" was not run', '2026-01-01T00:00:02Z');
  put.run('r1', 'd', 'skipped', 'core.set', '`if` condition is false', '2026-01-01T00:00:03Z');
  old.close();

  const db = openDatabase(file);
  const steps = await new SqliteJournal(db).getSteps('r1');
  expect(steps.map((s) => [s.stepId, s.blockedBy])).toEqual([['a', undefined], ['b', 'a'], ['c', 'b'], ['d', undefined]]);
  db.close();
  // opening again changes nothing
  const again = openDatabase(file);
  expect((await new SqliteJournal(again).getSteps('r1')).map((s) => s.blockedBy)).toEqual([undefined, 'a', 'b', undefined]);
  again.close();
});

it('a new database keeps blockedBy as written', async () => {
  const db = openDatabase(join(dir, 'state.db'));
  const j = new SqliteJournal(db);
  await j.putStep({ runId: 'r', stepId: 's', index: -1, status: 'skipped', plugin: 'core.set', attempts: 0, cached: false, skipReason: 'held', blockedBy: 'up', startedAt: '2026-01-01T00:00:00Z' });
  expect((await j.getSteps('r'))[0]).toMatchObject({ skipReason: 'held', blockedBy: 'up' });
  db.close();
});
