/**
 * Approvals of runs done by workers live in the shared Redis stores: a job whose effect step
 * needs approval ends `waiting-approval` (nothing in the local state.db), the approval is
 * listed and decided through the project's approval stores, the decision queues one resume
 * job, and that job (as a worker would run it) acts exactly once, counted at a loopback server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJob } from '../../../src/queue/job-id.js';
import { decideProjectApproval, enqueueResume, listProjectApprovals, openApprovals } from '../../../src/queue/approvals.js';
import { openSharedStores, type SharedStores } from '../../../src/queue/redis/stores.js';
import { runJob } from '../../../src/queue/run-job.js';
import { startScriptedServer, type ScriptedServer } from '../../servers/http-scripted.js';
import { startRedis, type TestRedis } from '../../servers/redis.js';
import { makeProject, type TestProject } from '../engine/harness.js';

let srv: TestRedis;
let server: ScriptedServer;
let base: string;
/** The acts: POSTs that reached the loopback server. */
const posts = () => server.requests().filter((r) => r.method === 'POST').length;
let t: TestProject;
let shared: SharedStores;

beforeAll(async () => {
  srv = await startRedis();
  server = await startScriptedServer({ '/x': { status: 201, json: {} } });
  base = server.url;
  t = await makeProject({
    '.mpv2rc.json': JSON.stringify({ queue: { url: srv.url }, approvals: { 'http.request': 'required' } }),
    'p.yaml': 'name: p\ninputs:\n  url: { type: string }\nsteps:\n  - id: post\n    uses: http.request\n    with: { url: "${{ inputs.url }}/x", method: POST, json: { a: 1 } }\n',
  });
  shared = openSharedStores(srv.url);
});
afterAll(async () => {
  await shared.close();
  t.close();
  await server.close();
  await srv.close();
});

describe('approvals of worker runs (Redis)', () => {
  it('waits in Redis, the decision queues one resume, the resumed job acts once', async () => {
    const run = (job: ReturnType<typeof makeJob>) => runJob({ project: t.project, job, signal: new AbortController().signal, sink: () => undefined, stores: shared.stores });
    const job = makeJob({ pipeline: 'p.yaml', inputs: { url: base } }, new Date('2026-05-04T09:00:00.000Z'));
    const first = await run(job);
    expect(first.status).toBe('waiting-approval');
    expect(posts()).toBe(0);
    expect(await t.project.state().approvals.list()).toEqual([]);

    const stores = await openApprovals(t.project, { shared });
    try {
      const pending = await listProjectApprovals(stores);
      expect(pending.map((a) => [a.runId, a.stepId, a.source, a.status])).toEqual([[first.runId, 'post', 'redis', 'pending']]);
      // the run stopped again on resume while pending: still one approval
      expect((await run(job)).status).toBe('waiting-approval');
      expect(await listProjectApprovals(stores, { status: 'all' })).toHaveLength(1);

      // a note is journaled like everything else: a secret in it (here the queue URL) is redacted
      const decided = await decideProjectApproval(stores, pending[0]!.id, 'approve', { note: `checked; queue at ${srv.url}` });
      expect(decided.note).toBe('checked; queue at [REDACTED]');
      const queued = await enqueueResume(t.project, decided);
      expect(queued.added).toBe(true);
      expect(queued.job.resume).toBe(first.runId);
      expect((await enqueueResume(t.project, decided)).added).toBe(false);

      const resumed = await run(queued.job);
      expect(resumed).toMatchObject({ runId: first.runId, status: 'succeeded' });
      expect(posts()).toBe(1);
      expect((await run(queued.job)).status).toBe('succeeded');
      expect(posts()).toBe(1);
    } finally {
      await stores.close();
    }
  });
});
