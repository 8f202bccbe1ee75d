/**
 * Issue 13 items 5 and 9: a state.db that is not a whole database stops every command with
 * E_STATE_CORRUPT and is never replaced by an empty one; `.mpv2/` is 0700 and the files that
 * hold the journal, credentials and logs are 0600, whatever the umask.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openState } from '../../../src/infra/state.js';
import { createLogger } from '../../../src/infra/logger.js';
import { CredentialStore } from '../../../src/infra/accounts/credentials.js';
import { credentialsFile } from '../../../src/infra/accounts/paths.js';

let root: string;
let umask: number;
const db = () => join(root, '.mpv2', 'state.db');
const mode = (p: string) => statSync(p).mode & 0o777;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mpv2-state-'));
  umask = process.umask(0); // the widest umask: every mode below comes from mpv2, not from it
});
afterEach(() => { process.umask(umask); });

/** A state.db with a journal of `runs` runs, closed (checkpointed: no WAL left). */
async function withHistory(runs: number): Promise<void> {
  const s = openState(root);
  for (let i = 0; i < runs; i++) {
    await s.journal.createRun({ id: `r${i}`, pipeline: 'p.yaml', pipelineHash: 'h', name: 'p', status: 'succeeded', inputs: { pad: 'x'.repeat(500) }, startedAt: new Date(0).toISOString() });
  }
  await s.effects.claim({ key: 'post-1', runId: 'r0', stepId: 's', plugin: 'twitter.post' }, { takeOver: false });
  await s.effects.complete('post-1', { id: 1 });
  s.close();
}

describe('a damaged state.db', () => {
  const cases: Array<[string, () => void, RegExp]> = [
    ['garbage bytes', () => writeFileSync(db(), Buffer.alloc(8192, 0x5a)), /not an SQLite database/],
    ['an empty file', () => truncateSync(db(), 0), /empty \(0 bytes\)/],
    ['a few bytes', () => truncateSync(db(), 50), /cut short \(50 bytes\)/],
    ['a cut inside a page', () => truncateSync(db(), statSync(db()).size - 1000), /not a whole number/],
    ['a cut at a page boundary', () => truncateSync(db(), 4096 * 2), /its header says \d+ pages/],
  ];
  it.each(cases)('%s stops openState with E_STATE_CORRUPT and the file is left as it is', async (_name, damage, why) => {
    await withHistory(200);
    damage();
    const before = readFileSync(db());
    expect(() => openState(root)).toThrow(expect.objectContaining({ code: 'E_STATE_CORRUPT', message: expect.stringMatching(why), hint: expect.stringContaining('move it aside') }));
    // and again: the first refusal did not "repair" it into an empty database
    expect(() => openState(root)).toThrow(expect.objectContaining({ code: 'E_STATE_CORRUPT' }));
    expect(readFileSync(db()).equals(before)).toBe(true);
  });

  it('a folder named state.db', () => {
    mkdirSync(db(), { recursive: true });
    expect(() => openState(root)).toThrow(expect.objectContaining({ code: 'E_STATE_CORRUPT', message: expect.stringContaining('a folder') }));
  });

  it('a whole database opens with its history, and a fresh project gets a new one', async () => {
    await withHistory(3);
    const s = openState(root);
    expect((await s.journal.listRuns()).length).toBe(3);
    expect((await s.effects.get('post-1'))?.status).toBe('done');
    s.close();
    const fresh = mkdtempSync(join(tmpdir(), 'mpv2-state-'));
    const t = openState(fresh);
    expect(await t.journal.listRuns()).toEqual([]);
    t.close();
  });
});

describe('owner-only state', () => {
  it('a new .mpv2/ is 0700; state.db, its -wal and -shm, run logs and credentials.json are 0600 under umask 0', async () => {
    const s = openState(root);
    await s.journal.createRun({ id: 'r', pipeline: 'p.yaml', pipelineHash: 'h', name: 'p', status: 'running', inputs: {}, startedAt: new Date(0).toISOString() });
    expect(mode(join(root, '.mpv2'))).toBe(0o700);
    for (const f of ['state.db', 'state.db-wal', 'state.db-shm']) expect([f, mode(join(root, '.mpv2', f))]).toEqual([f, 0o600]);
    const log = createLogger({ dir: s.logsDir, runId: 'r' });
    log.logger.info('hello');
    await log.close();
    expect(mode(log.file)).toBe(0o600);
    s.close();
    const creds = new CredentialStore(credentialsFile(root));
    await creds.set('acct', { password: 'pw' });
    expect(mode(credentialsFile(root))).toBe(0o600);
  });

  it('an existing project made with wide modes is tightened when it is opened', async () => {
    openState(root).close();
    chmodSync(join(root, '.mpv2'), 0o755);
    chmodSync(db(), 0o644);
    writeFileSync(credentialsFile(root), JSON.stringify({ version: 1, accounts: {} }), { mode: 0o644 });
    chmodSync(credentialsFile(root), 0o644);
    const s = openState(root);
    expect(mode(join(root, '.mpv2'))).toBe(0o700);
    expect(mode(db())).toBe(0o600);
    s.close();
    expect(await new CredentialStore(credentialsFile(root)).names()).toEqual([]);
    expect(mode(credentialsFile(root))).toBe(0o600);
  });
});
