/**
 * The approval gate on its own: the preview is what the dry run writes (the effect's
 * `describe`, secrets redacted) plus the files it names inside the run's folder, relative to
 * it; nothing outside the run folder is listed. Pending and rejected approvals answer before
 * the plugin runs; an approved one lets every act of the step through.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApprovalGate, AwaitingApproval } from '../../../src/engine/approval-gate.js';
import { decideApproval } from '../../../src/engine/approvals.js';
import { SkipStep } from '../../../src/engine/context.js';
import { Redactor } from '../../../src/infra/redact.js';
import { openStateDatabase } from '../../../src/infra/state.js';
import { SqliteApprovals } from '../../../src/infra/store/sqlite.js';

let dir: string;
let store: SqliteApprovals;
let close: () => void;
const runDir = () => join(dir, 'runs', 'r1');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mpv2-gate-'));
  const db = openStateDatabase(join(dir, 'state.db'));
  close = () => db.close();
  store = new SqliteApprovals(db);
  mkdirSync(join(runDir(), 'render'), { recursive: true });
  writeFileSync(join(runDir(), 'render', 'video.mp4'), 'v');
  writeFileSync(join(runDir(), 'thumb.png'), 't');
  writeFileSync(join(dir, 'outside.txt'), 'o');
});
afterEach(() => { close(); rmSync(dir, { recursive: true, force: true }); });

const gate = () => new ApprovalGate({ store, runId: 'r1', stepId: 'upload', plugin: 'x.upload', runDir: runDir(), redactor: new Redactor(['s3cr3t-token']), inputHash: 'h1', now: () => new Date('2026-05-04T09:00:00.000Z') });

describe('the approval gate', () => {
  it('records the dry-run preview with the run-folder files, relative, and stops', async () => {
    const describe_ = { upload: { title: 'Cats', video: join(runDir(), 'render', 'video.mp4'), thumbnail: join(runDir(), 'thumb.png'), other: join(dir, 'outside.txt'), missing: join(runDir(), 'gone.mp4'), auth: 'Bearer s3cr3t-token' } };
    const g = gate();
    await expect(g.check('x.upload:k1', describe_)).rejects.toBeInstanceOf(AwaitingApproval);
    expect(g.stopped).toBeInstanceOf(AwaitingApproval);
    const [a] = await store.list();
    expect(a).toMatchObject({ id: g.id, runId: 'r1', stepId: 'upload', index: -1, plugin: 'x.upload', status: 'pending', createdAt: '2026-05-04T09:00:00.000Z' });
    expect(a!.preview.files.sort()).toEqual(['render/video.mp4', 'thumb.png']);
    expect(a!.preview.key).toBe('x.upload:k1');
    expect(JSON.stringify(a!.preview.wouldDo)).not.toContain('s3cr3t-token');
    expect((a!.preview.wouldDo as { upload: { title: string } }).upload.title).toBe('Cats');
  });

  it('pending or rejected: answered before the plugin runs; approved: every act goes through', async () => {
    await expect(gate().check('x.upload:k1', {})).rejects.toBeInstanceOf(AwaitingApproval);
    await expect(gate().before()).rejects.toBeInstanceOf(AwaitingApproval);
    await decideApproval(store, gate().id, 'approve');
    const g = gate();
    await g.before();
    await g.check('x.upload:k1', {});
    await g.check('x.upload:k2', {});
    expect(g.stopped).toBeUndefined();
    expect(await store.list({ status: 'approved' })).toHaveLength(1);
  });

  it('rejected: the step is skipped with the note', async () => {
    await expect(gate().check('x.upload:k1', {})).rejects.toBeInstanceOf(AwaitingApproval);
    await decideApproval(store, gate().id, 'reject', { note: 'blurry' });
    const e = await gate().before().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SkipStep);
    expect((e as SkipStep).reason).toBe('rejected: blurry');
  });
});
