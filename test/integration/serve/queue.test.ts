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

let redis: TestRedis;
let h: ServeHarness;
let workerProject: Project | undefined;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  redis = await startRedis();
  h = await startHarness({ 'pipelines/fast.yaml': FAST_PIPELINE }, { env: { REDIS_URL: redis.url }, serve: { pollMs: 50 } });
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
  }, 90_000);
});
