/**
 * The approval store contract on both implementations: SQLite (two connections to one
 * state.db, as two processes have) and Redis (two connections to a real redis-server). A
 * request for an id already recorded returns the first record; of two deciders exactly one wins.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalRecordSchema, decideApproval, listApprovals } from '../../../src/engine/approvals.js';
import { compileSchema } from '../../../src/infra/ajv.js';
import { openStateDatabase } from '../../../src/infra/state.js';
import { openDatabase, SqliteApprovals } from '../../../src/infra/store/sqlite.js';
import type { ApprovalRecord, ApprovalStore } from '../../../src/infra/store/types.js';
import { RedisApprovals } from '../../../src/queue/redis/approvals.js';
import { useRedisPair } from '../../servers/redis-pair.js';

const redis = useRedisPair();
let dir: string;
const dbs: Database.Database[] = [];
let n = 0;

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'mpv2-approvals-')); });
afterAll(() => {
  for (const db of dbs) db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Two handles on one store, as two processes would hold them. */
const impls: Array<[string, () => [ApprovalStore, ApprovalStore]]> = [
  ['SQLite', () => {
    const file = join(dir, `state-${++n}.db`);
    const a = openStateDatabase(file);
    const b = openStateDatabase(file);
    dbs.push(a, b);
    return [new SqliteApprovals(a), new SqliteApprovals(b)];
  }],
  ['Redis', () => {
    const prefix = `ap${++n}`;
    return [new RedisApprovals(redis.a, prefix), new RedisApprovals(redis.b, prefix)];
  }],
];

const rec = (id: string, createdAt: string, over: Partial<ApprovalRecord> = {}) => ({
  id, runId: 'r1', stepId: 'post', index: -1, plugin: 'x.post', createdAt,
  preview: { key: 'x.post:k', wouldDo: { text: 'hello', media: [] }, files: [] as string[] }, inputHash: 'h1', ...over,
});

describe.each(impls)('%s approval store', (_name, open) => {
  it('records once: a second request for the same id returns the first record', async () => {
    const [s] = open();
    const first = await s.request(rec('ap-1', '2026-05-04T09:00:00.000Z'));
    expect(first).toEqual({ ...rec('ap-1', '2026-05-04T09:00:00.000Z'), status: 'pending' });
    const again = await s.request(rec('ap-1', '2026-05-04T10:00:00.000Z', { preview: { key: 'other', wouldDo: null, files: ['a.mp4'] } }));
    expect(again).toEqual(first);
    expect(await s.list()).toHaveLength(1);
    // an empty list in the preview stays a list
    expect((await s.get('ap-1'))!.preview.wouldDo).toEqual({ text: 'hello', media: [] });
  });

  it('lists newest first, by status and run', async () => {
    const [s] = open();
    await s.request(rec('ap-1', '2026-05-04T09:00:00.000Z'));
    await s.request(rec('ap-2', '2026-05-04T10:00:00.000Z', { runId: 'r2' }));
    await s.request(rec('ap-3', '2026-05-04T11:00:00.000Z', { index: 2 }));
    await decideApproval(s, 'ap-3', 'reject', { note: 'no' });
    expect((await listApprovals(s)).map((a) => a.id)).toEqual(['ap-2', 'ap-1']);
    expect((await listApprovals(s, { status: 'decided' })).map((a) => [a.id, a.status, a.note, a.index])).toEqual([['ap-3', 'rejected', 'no', 2]]);
    expect((await listApprovals(s, { status: 'all' })).map((a) => a.id)).toEqual(['ap-3', 'ap-2', 'ap-1']);
    expect((await listApprovals(s, { status: 'all', runId: 'r2' })).map((a) => a.id)).toEqual(['ap-2']);
    // what the stores give back is what the schema (and the API's document) says
    const valid = compileSchema(approvalRecordSchema);
    for (const a of await listApprovals(s, { status: 'all' })) expect(valid(a), JSON.stringify(valid.errors)).toBe(true);
  });

  it('decides a pending approval once: of two deciders racing, exactly one wins', async () => {
    const [a, b] = open();
    await a.request(rec('ap-1', '2026-05-04T09:00:00.000Z'));
    const results = await Promise.allSettled([
      decideApproval(a, 'ap-1', 'approve', { note: 'first' }),
      decideApproval(b, 'ap-1', 'approve', { note: 'second' }),
      decideApproval(b, 'ap-1', 'reject', { note: 'third' }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'E_APPROVAL_DECIDED' });
    const final = (await b.get('ap-1'))!;
    expect(final).toEqual((won[0] as PromiseFulfilledResult<ApprovalRecord>).value);
    expect(final.decidedAt).toMatch(/^\d{4}-/);
  });

  it('removeForRun forgets one run\'s approvals', async () => {
    const [s] = open();
    await s.request(rec('ap-1', '2026-05-04T09:00:00.000Z'));
    await s.request(rec('ap-2', '2026-05-04T10:00:00.000Z', { runId: 'r2' }));
    await s.removeForRun('r1');
    expect((await s.list()).map((a) => a.id)).toEqual(['ap-2']);
    expect(await s.get('ap-1')).toBeUndefined();
  });

  it('an unknown id is E_NOT_FOUND', async () => {
    const [s] = open();
    expect(await s.decide('nope', { status: 'approved', decidedAt: '2026-05-04T09:00:00.000Z' })).toEqual({ decided: false });
    await expect(decideApproval(s, 'nope', 'approve')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });
});

describe('SQLite migration', () => {
  it('a state.db made before approvals gets the table when opened, its runs kept', async () => {
    const file = join(dir, 'old.db');
    const old = openDatabase(file);
    old.exec('DROP TABLE approvals');
    old.prepare(`INSERT INTO runs (id, pipeline, pipeline_hash, name, status, inputs, started_at) VALUES ('r0', 'p.yaml', 'h', 'p', 'failed', '{}', '2026-05-04T09:00:00.000Z')`).run();
    old.close();
    const db = openStateDatabase(file);
    dbs.push(db);
    expect(db.prepare('SELECT id FROM runs').all()).toEqual([{ id: 'r0' }]);
    const s = new SqliteApprovals(db);
    await s.request(rec('ap-1', '2026-05-04T09:00:00.000Z'));
    expect((await s.get('ap-1'))!.status).toBe('pending');
  });
});
