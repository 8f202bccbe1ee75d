/**
 * With `queue.url`, runs, effects and approvals of the workers live in Redis: `mpv2 runs
 * list|show`, `mpv2 effects list|resolve` and `mpv2 resume` reach them there (an effect a worker
 * left in doubt could be neither listed nor settled from the CLI before).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunEvent } from '../../src/engine/events.js';
import { openProject, type Project } from '../../src/engine/project.js';
import { openSharedStores, type SharedStores } from '../../src/queue/redis/stores.js';
import { startWorker, type RunningWorker } from '../../src/queue/service.js';
import type { EffectRecord } from '../../src/infra/store/types.js';
import { startRedis, type TestRedis } from '../servers/redis.js';
import { ensureBuilt, json, makeProject, mpv2 } from './cli-harness.js';

const NEEDS_FLAG = 'name: needs-flag\nsteps:\n  - id: flag\n    uses: file.read\n    with: { path: flag.txt }\n';

let redis: TestRedis;
let root: string;
let shared: SharedStores;
let workerProject: Project;
let worker: RunningWorker;
const finished: Array<(e: RunEvent) => void> = [];
const nextFinish = () => new Promise<RunEvent>((resolve) => finished.push(resolve));
const cli = (args: string[]) => mpv2(args, { cwd: root, env: { REDIS_URL: redis.url } });

beforeAll(async () => {
  await ensureBuilt();
  redis = await startRedis();
  root = makeProject({ 'pipelines/needs-flag.yaml': NEEDS_FLAG });
  shared = openSharedStores(redis.url);
  workerProject = await openProject({ cwd: root, env: { REDIS_URL: redis.url }, lazyPlugins: true });
  worker = await startWorker({ project: workerProject, log: () => undefined, onEvent: (e) => { if (e.event === 'run.finished') finished.shift()?.(e); } });
}, 120_000);
afterAll(async () => {
  await worker?.stop(1000);
  workerProject?.close();
  await shared?.close();
  await redis?.close();
});

it('lists, shows and resumes a worker\'s run, and settles the effect it left in doubt', async () => {
  const failed = nextFinish();
  expect((await cli(['enqueue', 'pipelines/needs-flag.yaml'])).code).toBe(0);
  const end = await failed;
  expect(end).toMatchObject({ status: 'failed' });
  const runId = (end as { runId: string }).runId;

  const runs = json<Array<{ id: string; status: string }>>(await cli(['runs', 'list', '--json']));
  expect(runs).toEqual([expect.objectContaining({ id: runId, status: 'failed' })]);
  const shown = await cli(['runs', 'show', runId]);
  expect(shown.code, shown.stderr).toBe(0);
  expect(shown.stdout).toMatch(/flag\s+file\.read\s+failed/);

  // a worker that died mid-act leaves its effect pending: in doubt
  await shared.stores.effects.claim({ key: 'demo.post:abc123', runId, stepId: 'flag', plugin: 'demo.post' }, { takeOver: false });
  const pending = json<EffectRecord[]>(await cli(['effects', 'list', '--status', 'pending', '--json']));
  expect(pending.map((e) => e.key)).toEqual(['demo.post:abc123']);
  const settled = await cli(['effects', 'resolve', 'demo.post:abc123', '--done']);
  expect(settled.code, settled.stderr).toBe(0);
  expect((await shared.stores.effects.get('demo.post:abc123'))?.status).toBe('done');

  writeFileSync(join(root, 'pipelines', 'flag.txt'), 'up'); // file.read's path is relative to the pipeline
  const resumed = nextFinish();
  const r = await cli(['resume', runId]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toContain('queued its resume');
  expect(await resumed).toMatchObject({ runId, status: 'succeeded' });
  expect(json<{ status: string }>(await cli(['runs', 'show', runId, '--json'])).status).toBe('succeeded');
  // a run that succeeded has nothing to resume
  const again = await cli(['resume', runId]);
  expect(again.code).toBe(2);
  expect(again.stderr).toContain('already succeeded');

  // the worker's step results are cached in Redis: stats count them, clear removes them
  const inRedis = (await shared.stores.keyvStore.stats()).entries;
  expect(inRedis).toBeGreaterThan(0);
  const stats = json<{ entries: number; shared: { entries: number } }>(await cli(['cache', 'stats', '--json']));
  expect(stats.shared.entries).toBe(inRedis);
  expect(stats.entries).toBeGreaterThanOrEqual(inRedis);
  expect((await cli(['cache', 'clear'])).code).toBe(0);
  expect((await shared.stores.keyvStore.stats()).entries).toBe(0);
}, 180_000);
