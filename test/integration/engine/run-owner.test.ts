/**
 * Run ownership on the SQLite journal (real databases in temp folders): a live owner refuses
 * a second claim, a dead one (exited pid, recycled pid, zombie-free) is taken over, an owner
 * on another host counts by its lease on an injected clock, the heartbeat renews the lease
 * and notices a take-over (the run stops and leaves the journal to the new owner), and an
 * older database gets the owner column.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimRun, ownerAlive, selfOwner, type OwnerClock } from '../../../src/engine/owner.js';
import { openDatabase, SqliteJournal } from '../../../src/infra/store/sqlite.js';
import type { RunOwner } from '../../../src/infra/store/types.js';
import { startScriptedServer } from '../../servers/http-scripted.js';
import { makeProject } from './harness.js';

let dir: string;
let db: Database.Database;
let journal: SqliteJournal;

const run = { id: 'r1', pipeline: 'p.yaml', pipelineHash: 'h', name: 'p', status: 'running' as const, inputs: {}, startedAt: '2026-05-04T09:00:00.000Z' };

/** A clock whose `every` timers fire only when the test says so. */
function fakeClock(start = Date.parse('2026-05-04T09:00:00.000Z')) {
  let now = start;
  const timers: Array<{ ms: number; fn: () => void }> = [];
  const clock: OwnerClock & { advance(ms: number): void; tick(): void; timers: typeof timers } = {
    now: () => now,
    every(ms, fn) { const t = { ms, fn }; timers.push(t); return () => { timers.splice(timers.indexOf(t), 1); }; },
    advance(ms) { now += ms; },
    tick() { for (const t of [...timers]) t.fn(); },
    timers,
  };
  return clock;
}

/** A pid that has exited (spawnSync waits for and reaps it). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid;
}

const foreign = (o: Partial<RunOwner>): RunOwner => ({
  host: hostname(), pid: process.pid, since: '2026-05-04T09:00:00.000Z', expiresAt: '2026-05-04T09:00:30.000Z', leaseMs: 30_000, token: 'other', ...o,
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mpv2-owner-'));
  db = openDatabase(join(dir, 'state.db'));
  journal = new SqliteJournal(db);
  await journal.createRun(run);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('claiming a run', () => {
  it('refuses a second claim while the owner lives, naming pid, host and since', async () => {
    const lease = await claimRun(journal, 'r1');
    // a second process would be a second journal on the same file
    const other = new SqliteJournal(openDatabase(join(dir, 'state.db')));
    const err = await claimRun(other, 'r1').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_RUN_OWNED' });
    expect((err as Error).message).toContain(`process ${process.pid} on ${hostname()} (since ${lease.owner.since})`);
    await lease.release();
    expect(await journal.ownerOf('r1')).toBeUndefined();
    const again = await claimRun(other, 'r1');
    expect((await journal.ownerOf('r1'))?.token).toBe(again.owner.token);
  });

  it('takes over the run of an owner whose process has exited', async () => {
    await journal.claimRun('r1', foreign({ pid: deadPid() }), () => false);
    const lease = await claimRun(journal, 'r1');
    expect(await journal.ownerOf('r1')).toMatchObject({ pid: process.pid, token: lease.owner.token });
  });

  it('a recycled pid (same pid, another start time) is not the owner', async () => {
    const me = selfOwner();
    expect(me.start).toMatch(/^\d+$/); // Linux: /proc/<pid>/stat field 22
    expect(ownerAlive(foreign({ start: me.start }), Date.now())).toBe(true);
    expect(ownerAlive(foreign({ start: String(Number(me.start) + 1) }), Date.now())).toBe(false);
    await journal.claimRun('r1', foreign({ start: String(Number(me.start) + 1) }), () => false);
    await expect(claimRun(journal, 'r1')).resolves.toBeDefined();
  });

  it('an owner on another host counts by its lease', async () => {
    const clock = fakeClock();
    await journal.claimRun('r1', foreign({ host: 'elsewhere', pid: 1, expiresAt: new Date(clock.now() + 30_000).toISOString() }), () => false);
    await expect(claimRun(journal, 'r1', { clock })).rejects.toMatchObject({ code: 'E_RUN_OWNED', message: expect.stringContaining('process 1 on elsewhere') });
    clock.advance(30_000);
    await expect(claimRun(journal, 'r1', { clock })).resolves.toBeDefined();
  });

  it('of two claimers of a dead owner\'s run exactly one wins', async () => {
    await journal.claimRun('r1', foreign({ pid: deadPid() }), () => false);
    const a = new SqliteJournal(openDatabase(join(dir, 'state.db')));
    const b = new SqliteJournal(openDatabase(join(dir, 'state.db')));
    const results = await Promise.allSettled([claimRun(a, 'r1'), claimRun(b, 'r1')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'E_RUN_OWNED' } });
  });

  it('a run that does not exist is not found', async () => {
    await expect(claimRun(journal, 'nope')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });
});

describe('the heartbeat', () => {
  it('renews the lease every third of it, and reports a take-over once', async () => {
    const clock = fakeClock();
    const lease = await claimRun(journal, 'r1', { clock, leaseMs: 30_000 });
    const lost: Array<RunOwner | undefined> = [];
    lease.startHeartbeat((h) => lost.push(h));
    expect(clock.timers.map((t) => t.ms)).toEqual([10_000]);
    clock.advance(10_000);
    await lease.renew((h) => lost.push(h));
    expect((await journal.ownerOf('r1'))?.expiresAt).toBe(new Date(clock.now() + 30_000).toISOString());
    // another process decided this one was dead and took the run
    await journal.claimRun('r1', foreign({ host: 'elsewhere', pid: 7, token: 'thief' }), () => false);
    await lease.renew((h) => lost.push(h));
    await lease.renew((h) => lost.push(h));
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ host: 'elsewhere', pid: 7 });
    expect(lease.isLost).toBe(true);
    expect(clock.timers).toHaveLength(0);
    // giving up a lost run leaves the new owner alone
    await lease.release();
    expect((await journal.ownerOf('r1'))?.token).toBe('thief');
  });
});

describe('older databases', () => {
  it('get the owner column', async () => {
    const file = join(dir, 'old.db');
    const old = new Database(file);
    old.exec(`CREATE TABLE runs (id TEXT PRIMARY KEY, pipeline TEXT NOT NULL, pipeline_hash TEXT NOT NULL, name TEXT NOT NULL,
      status TEXT NOT NULL, inputs TEXT NOT NULL, outputs TEXT, error TEXT, started_at TEXT NOT NULL, finished_at TEXT, parent_run_id TEXT)`);
    old.prepare(`INSERT INTO runs VALUES ('old','p.yaml','h','p','running','{}',NULL,NULL,'2026-01-01T00:00:00.000Z',NULL,NULL)`).run();
    old.close();
    const upgraded = openDatabase(file);
    try {
      expect((upgraded.pragma('table_info(runs)') as Array<{ name: string }>).map((c) => c.name)).toContain('owner');
      await expect(claimRun(new SqliteJournal(upgraded), 'old')).resolves.toBeDefined();
    } finally {
      upgraded.close();
    }
  });
});

describe('a run whose process stalled past its lease and was taken over', () => {
  it('is stopped, reports E_RUN_OWNED naming the new owner, and leaves the journal to it', async () => {
    let open: () => void = () => undefined;
    const opened = new Promise<void>((r) => { open = r; });
    const srv = await startScriptedServer({ '/hold': async () => { await opened; return { json: { ok: true } }; } });
    const t = await makeProject({ 'hold.yaml': `name: hold\nsteps:\n  - id: call\n    uses: http.request\n    with: { url: "${srv.url}/hold", timeout: 60s }\n` });
    try {
      const clock = fakeClock(Date.now());
      const running = t.run('hold.yaml', { ownership: { clock } });
      await srv.arrived('/hold');
      const { journal: j } = t.project.state();
      const [run] = await j.listRuns();
      // another process judged this one dead and took the run
      await j.claimRun(run!.id, foreign({ host: 'elsewhere', pid: 42, token: 'new-owner' }), () => false);
      clock.tick(); // the heartbeat finds the lease gone
      const out = await running;
      open();
      expect(out.result).toMatchObject({ status: 'failed', error: { code: 'E_RUN_OWNED', message: expect.stringContaining('process 42 on elsewhere') } });
      expect(await j.getRun(run!.id)).toMatchObject({ status: 'running' }); // not overwritten: the new owner journals it
      expect((await j.ownerOf(run!.id))?.token).toBe('new-owner');
    } finally {
      open();
      t.close();
      await srv.close();
    }
  });
});
