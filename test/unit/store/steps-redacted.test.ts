/** The steps table's `redacted` mark (issue 13 item 10): kept and read back, and added to a database made before it. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase, SqliteJournal } from '../../../src/infra/store/sqlite.js';

const OLD_STEPS = `CREATE TABLE steps (
  run_id TEXT NOT NULL, step_id TEXT NOT NULL, idx INTEGER NOT NULL, status TEXT NOT NULL, plugin TEXT NOT NULL,
  attempts INTEGER NOT NULL, cached INTEGER NOT NULL, outputs TEXT, error TEXT, skip_reason TEXT,
  started_at TEXT NOT NULL, finished_at TEXT, duration_ms REAL, PRIMARY KEY (run_id, step_id, idx));`;

const step = { runId: 'r1', stepId: 'auth', index: -1, status: 'succeeded' as const, plugin: 'core.set', attempts: 1, cached: false, startedAt: '2026-01-01T00:00:00.000Z' };

describe('steps.redacted', () => {
  it('is stored and read back; absent means not redacted', async () => {
    const j = new SqliteJournal(openDatabase(join(mkdtempSync(join(tmpdir(), 'mpv2-steps-')), 'state.db')));
    await j.putStep({ ...step, outputs: { header: 'Bearer [REDACTED]' }, redacted: true });
    await j.putStep({ ...step, stepId: 'plain', outputs: { v: 1 } });
    const rows = await j.getSteps('r1');
    expect(rows.find((r) => r.stepId === 'auth')).toMatchObject({ redacted: true, outputs: { header: 'Bearer [REDACTED]' } });
    expect(rows.find((r) => r.stepId === 'plain')!.redacted).toBeUndefined();
  });

  it('a database from before the column gets it, keeps its rows, and takes new ones', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mpv2-steps-')), 'state.db');
    const old = new Database(file);
    old.exec(OLD_STEPS);
    old.prepare('INSERT INTO steps VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)').run('r0', 'a', -1, 'succeeded', 'core.set', 1, 0, '{"h":"Bearer [REDACTED]"}', null, null, step.startedAt, null, null);
    old.close();
    const j = new SqliteJournal(openDatabase(file));
    expect(await j.getSteps('r0')).toEqual([expect.objectContaining({ stepId: 'a', outputs: { h: 'Bearer [REDACTED]' } })]);
    await j.putStep({ ...step, redacted: true, outputs: {} });
    expect((await j.getSteps('r1'))[0]!.redacted).toBe(true);
  });
});
