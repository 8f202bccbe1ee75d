/**
 * SQLite says SQLITE_FULL (here from `PRAGMA max_page_count`, which raises the same error as
 * a full disk, so no mount rights are needed): the run fails with E_DISK_FULL, no further
 * step starts, and the journal records the run as failed, never leaves it `running`.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, SqliteEffects, SqliteJournal } from '../../../src/infra/store/sqlite.js';
import { makeProject, type TestProject } from './harness.js';

let p: TestProject | undefined;
afterEach(() => p?.close());

describe('a state database that is full', () => {
  it('E_DISK_FULL, later steps do not start, the run is journaled as failed', async () => {
    p = await makeProject({
      'big.yaml': `name: big
steps:
  - id: small
    uses: core.set
    with: { v: 1 }
  - id: big
    uses: core.set
    needs: [small]
    with: { text: "\${{ join(range(0, 50000), '----------') }}" }
  - id: later
    uses: core.set
    needs: [big]
    with: { v: 2 }
`,
    });
    const db = openDatabase(join(p.root, 'limited.db'));
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 4}`);
    const journal = new SqliteJournal(db);
    const r = await p.run('big.yaml', { stores: { journal, effects: new SqliteEffects(db) }, noCache: true });
    expect(r.result.status).toBe('failed');
    expect(r.result.error).toMatchObject({ code: 'E_DISK_FULL', hint: expect.stringMatching(/df -h/) });
    expect(r.of('step.started', 'later')).toHaveLength(0);
    const run = await journal.getRun(r.runId);
    expect(run).toMatchObject({ status: 'failed', error: { code: 'E_DISK_FULL' } });
    expect(run?.finishedAt).toBeDefined();
    db.close();
  });
});
