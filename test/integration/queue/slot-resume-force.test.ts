/**
 * `mpv2 resume --force` of a run the workers ran: the queued job carries the force, so a run
 * whose pipeline file was edited while it waited for its posting slot goes on with the edited
 * file instead of stopping with E_PIPELINE_CHANGED. The timed job the paused run already has
 * is the one made forced (BullMQ keeps one job per id); on the local queue likewise.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccount, openAccounts } from '../../../src/infra/accounts/index.js';
import { queuePrefix } from '../../../src/queue/backend.js';
import { BullQueue } from '../../../src/queue/bull-queue.js';
import { makeJob, makeTimedResumeJob, runIdForJob } from '../../../src/queue/job-id.js';
import { LocalQueue } from '../../../src/queue/local-queue.js';
import { openSharedStores, type SharedStores } from '../../../src/queue/redis/stores.js';
import { enqueueRunResume } from '../../../src/queue/resume-run.js';
import { runJob } from '../../../src/queue/run-job.js';
import type { RunJob } from '../../../src/queue/types.js';
import { startRedis, type TestRedis } from '../../servers/redis.js';
import { makeProject, type TestProject } from '../engine/harness.js';
import { fakeClock, SLOT_PLUGIN, SLOT_TYPE } from './slot-fixtures.js';

const MASTER = 'slot-force-master-key-0001';
const PIPELINE = 'name: p\nsteps:\n  - id: post\n    uses: slothub.post\n    with: { account: main, text: hello }\n';

describe('resume --force on the shared queue (Redis)', () => {
  let srv: TestRedis;
  let t: TestProject;
  let shared: SharedStores;
  const prefix = queuePrefix(); // the one enqueueRunResume opens
  beforeAll(async () => {
    srv = await startRedis();
    t = await makeProject({ '.mpv2rc.json': JSON.stringify({ plugins: ['./local/slothub.mjs'], queue: { url: srv.url } }), 'local/slothub.mjs': SLOT_PLUGIN, 'p.yaml': PIPELINE }, { MPV2_MASTER_KEY: MASTER });
    shared = openSharedStores(srv.url, prefix);
    await addAccount(openAccounts({ root: t.root, kv: shared.stores.kv, masterKey: MASTER }), SLOT_TYPE, { name: 'main', settings: {}, secrets: {}, slots: ['18:00'], timezone: 'UTC' });
  }, 60_000);
  afterAll(async () => {
    await shared?.close();
    t?.close();
    await srv?.close();
  });

  it('a pipeline edited while the run waited for its slot: the queued continuation is made forced and posts once', async () => {
    const clock = fakeClock('2030-01-10T10:00:00Z');
    const queue = new BullQueue(srv.url, prefix);
    try {
      const run = (job: RunJob) => runJob({ project: t.project, job, signal: new AbortController().signal, sink: () => undefined, stores: shared.stores, clock, enqueue: (j) => queue.enqueue(j) });
      const job = makeJob({ pipeline: 'p.yaml', inputs: {} }, new Date(clock.now()));
      const runId = runIdForJob(job);
      expect(await run(job)).toMatchObject({ status: 'waiting-slot', resumeAt: '2030-01-10T18:00:00.000Z' });
      const [delayed] = await queue.queue.getDelayed();
      expect((delayed!.data as RunJob).force).toBeUndefined();

      writeFileSync(join(t.root, 'p.yaml'), `${PIPELINE}# edited while the run waited\n`);
      clock.set('2030-01-10T18:00:00Z');
      // without --force the continuation stops, as a resume of a changed file does
      expect(await run(delayed!.data as RunJob)).toMatchObject({ status: 'failed', error: { code: 'E_PIPELINE_CHANGED' } });

      const q = await enqueueRunResume(t.project, (await shared.stores.journal.getRun(runId))!, { force: true });
      expect(q).toMatchObject({ added: false, job: { id: delayed!.id, force: true, runAt: '2030-01-10T18:00:00.000Z' } });
      const [again] = await queue.queue.getDelayed();
      expect(again!.data).toMatchObject({ id: delayed!.id, force: true });
      expect(await run(again!.data as RunJob)).toMatchObject({ status: 'succeeded' });
      expect(readFileSync(join(t.root, 'posts.log'), 'utf8').trim().split('\n')).toHaveLength(1);
    } finally {
      await queue.close();
    }
  });

  it('a failed run resumed with --force: its resume job carries the force', async () => {
    const run = (await shared.stores.journal.listRuns()).find((r) => r.status === 'succeeded')!;
    const failed = { ...run, status: 'failed' as const };
    const q = await enqueueRunResume(t.project, failed, { force: true });
    expect(q).toMatchObject({ added: true, job: { resume: run.id, force: true } });
    expect(q.job.runAt).toBeUndefined();
  });
});

describe('resume --force on the local queue', () => {
  it('a queued continuation is made forced; one already running or finished is left as it is', async () => {
    const t = await makeProject({ 'p.yaml': 'name: p\nsteps:\n  - id: s\n    uses: core.set\n    with: { v: 1 }\n' });
    try {
      const queue = new LocalQueue(t.project.state().kv);
      const job = makeTimedResumeJob({ runId: 'r1', pipeline: 'p.yaml', at: '2030-01-10T18:00:00.000Z' }, new Date('2030-01-10T10:00:00Z'));
      expect((await queue.enqueue(job)).added).toBe(true);
      const forced = makeTimedResumeJob({ runId: 'r1', pipeline: 'p.yaml', at: '2030-01-10T18:00:00.000Z', force: true }, new Date('2030-01-10T11:00:00Z'));
      expect(forced.id).toBe(job.id);
      expect(await queue.enqueue(forced)).toMatchObject({ added: false, job: { id: job.id, force: true } });
      expect((await queue.entries()).map((e) => e.job.force)).toEqual([true]);
      await queue.markRunning((await queue.entries())[0]!.job, 'r1');
      const other = makeTimedResumeJob({ runId: 'r2', pipeline: 'p.yaml', at: '2030-01-10T18:00:00.000Z' }, new Date('2030-01-10T10:00:00Z'));
      await queue.enqueue(other);
      await queue.markRunning(other, 'r2');
      expect(await queue.enqueue({ ...other, force: true })).toMatchObject({ added: false, status: 'running', job: { id: other.id } });
      expect((await queue.entries()).find((e) => e.job.id === other.id)!.job.force).toBeUndefined();
    } finally {
      t.close();
    }
  });
});
