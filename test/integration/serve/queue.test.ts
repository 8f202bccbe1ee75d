/**
 * With `queue.url` (a real redis-server): POST /api/runs queues the run for the workers instead
 * of running it; the API shows it `queued` until a worker (another project instance, as
 * `mpv2 worker` would be) journals it in Redis; its events, view and files then come from the
 * shared journal and the shared project folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject, type Project } from '../../../src/engine/project.js';
import { startWorker, type RunningWorker } from '../../../src/queue/service.js';
import { startRedis, type TestRedis } from '../../servers/redis.js';
import { FAST_PIPELINE, sseReader, startHarness, type ServeHarness } from './harness.js';

/** Fails until pipelines/flag.txt exists: a run to resume. */
const NEEDS_FLAG = 'name: needs-flag\nsteps:\n  - id: flag\n    uses: file.read\n    with: { path: flag.txt }\n';

let redis: TestRedis;
let h: ServeHarness;
let workerProject: Project | undefined;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  redis = await startRedis();
  h = await startHarness({ 'pipelines/fast.yaml': FAST_PIPELINE, 'pipelines/needs-flag.yaml': NEEDS_FLAG }, { env: { REDIS_URL: redis.url }, serve: { pollMs: 50 } });
}, 60_000);
afterAll(async () => {
  await worker?.stop(1000);
  workerProject?.close();
  await h?.close();
  await redis?.close();
});

describe('serve: runs on the workers (queue.url)', () => {
  it('queues the run, shows it queued, then follows the worker\'s run through the shared journal to the end', async () => {
    const res = await h.call('POST', '/api/runs', { body: { pipeline: 'fast', inputs: { greeting: 'queued' } } });
    expect(res.status).toBe(202);
    const { runId, where } = await res.json() as { runId: string; where: string };
    expect(where).toBe('queue');
    expect(await (await h.call('GET', `/api/runs/${runId}`)).json()).toMatchObject({ runId, status: 'queued', pipeline: 'pipelines/fast.yaml', inputs: { greeting: 'queued' }, steps: [] });
    expect((await (await h.call('GET', '/api/runs?status=queued')).json() as Array<{ runId: string }>).map((r) => r.runId)).toEqual([runId]);
    const cancel = await h.call('POST', `/api/runs/${runId}/cancel`);
    expect(cancel.status).toBe(409);

    const stream = sseReader(await h.call('GET', `/api/runs/${runId}/events`));
    workerProject = await openProject({ cwd: h.root, env: { REDIS_URL: redis.url }, lazyPlugins: true });
    worker = await startWorker({ project: workerProject, log: () => undefined });
    const evs = (await stream.all()).map((m) => JSON.parse(m.data) as Record<string, unknown>);
    expect(evs[0]).toMatchObject({ event: 'run.started', runId, inputs: { greeting: 'queued' } });
    expect(evs.at(-1)).toMatchObject({ event: 'run.finished', status: 'succeeded' });
    expect(evs.filter((e) => e.event === 'step.finished').map((e) => e.stepId)).toEqual(['a', 'write']);

    const view = await (await h.call('GET', `/api/runs/${runId}`)).json() as { status: string; steps: Array<{ stepId: string }> };
    expect(view.status).toBe('succeeded');
    expect(view.steps.map((s) => s.stepId)).toEqual(['a', 'write']);
    const file = await h.call('GET', `/api/runs/${runId}/files/out/hello.txt`);
    expect(await file.text()).toBe('queued world, 0123456789');
    const listed = await (await h.call('GET', '/api/runs')).json() as Array<{ runId: string; status: string }>;
    expect(listed.find((r) => r.runId === runId)?.status).toBe('succeeded');
    const done = await h.call('POST', `/api/runs/${runId}/resume`);
    expect(done.status).toBe(409);
  }, 90_000);

  it('resume of a failed run of the workers queues its resume; a worker continues the same run', async () => {
    const res = await h.call('POST', '/api/runs', { body: { pipeline: 'needs-flag' } });
    const { runId } = await res.json() as { runId: string };
    const first = (await sseReader(await h.call('GET', `/api/runs/${runId}/events`)).all()).map((m) => JSON.parse(m.data) as Record<string, unknown>);
    expect(first.at(-1)).toMatchObject({ event: 'run.finished', status: 'failed' });
    h.write('pipelines/flag.txt', 'go');
    const resumed = await h.call('POST', `/api/runs/${runId}/resume`);
    expect(resumed.status).toBe(202);
    expect(await resumed.json()).toEqual({ runId, where: 'queue' });
    // the journal's run is the same; wait (by reading the journal through the API) for the worker to finish it
    for (;;) {
      const evs = (await sseReader(await h.call('GET', `/api/runs/${runId}/events`)).all()).map((m) => JSON.parse(m.data) as Record<string, unknown>);
      if (evs.at(-1)?.status === 'succeeded') break;
    }
    expect(await (await h.call('GET', `/api/runs/${runId}`)).json()).toMatchObject({ status: 'succeeded', steps: [{ stepId: 'flag', status: 'succeeded' }] });
  }, 90_000);
});
