/**
 * Workers in separate processes on one real redis-server: 50 runs each run exactly once;
 * a 10/second limit holds across two workers; a worker killed with SIGKILL mid-job has its
 * job finished by the other with the effect done once; a Redis restart loses nothing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullQueue } from '../../src/queue/bull-queue.js';
import { makeJob, runIdForJob } from '../../src/queue/job-id.js';
import { openRedis, type Redis } from '../../src/queue/redis/connection.js';
import { RedisEffects } from '../../src/queue/redis/effects.js';
import { RedisJournal } from '../../src/queue/redis/journal.js';
import { startRedis, type TestRedis } from '../servers/redis.js';
import { ensureBuilt } from './cli-harness.js';
import type { Running, TempProject } from './engine-helpers.js';
import { queueProject, readLog, ready, until } from './queue-helpers.js';

let srv: TestRedis;
let redis: Redis;
let p: TempProject;
const workers: Running[] = [];
let prefixN = 0;

beforeAll(async () => {
  await ensureBuilt();
  srv = await startRedis({ appendonly: true });
  redis = openRedis(srv.url);
  p = queueProject();
}, 240_000);

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  redis?.disconnect();
  await srv?.close();
  p?.remove();
});

function startWorkers(prefix: string, n: number, extra: string[] = []): Running[] {
  const env = { REDIS_URL: srv.url, MPV2_QUEUE_PREFIX: prefix };
  const ws = Array.from({ length: n }, () => p.start(['worker', '--json', '--concurrency', '4', ...extra], env));
  workers.push(...ws);
  return ws;
}

async function enqueue(prefix: string, pipeline: string, ns: number[], extra: Record<string, unknown> = {}) {
  const q = new BullQueue(srv.url, prefix);
  try {
    const results = [];
    for (const n of ns) results.push(await q.enqueue(makeJob({ pipeline, inputs: { n, sleepMs: 0, ...extra } }, new Date())));
    return results;
  } finally {
    await q.close();
  }
}

const succeeded = async (prefix: string) => (await new RedisJournal(redis, prefix).listRuns({ limit: 1000 })).filter((r) => r.status === 'succeeded');

const says = (text: string) => (line: string) => line.includes('"worker.log"') && line.includes(text);

async function stopAll(ws: Running[]) {
  for (const w of ws) w.child.kill('SIGTERM');
  return Promise.all(ws.map((w) => w.done));
}

describe('two workers, one queue', () => {
  it('50 enqueued runs (each enqueued twice) each run exactly once', async () => {
    const prefix = `q${++prefixN}`;
    const ns = Array.from({ length: 50 }, (_, i) => 1000 + i);
    // the jobs wait at a gate until both workers hold some: else the worker that came up first
    // could run all 50 before the other was ready (a second of start-up on a loaded machine)
    const gate = `gate-${prefix}`;
    const first = await enqueue(prefix, 'work.yaml', ns, { gate });
    const again = await enqueue(prefix, 'work.yaml', ns, { gate });
    expect(first.filter((r) => r.added)).toHaveLength(50);
    expect(again.filter((r) => r.added)).toHaveLength(0);
    const ws = startWorkers(prefix, 2);
    await Promise.all(ws.map(ready));
    await until('both workers to hold jobs', () => new Set(readLog(p, 'executions.log').filter((l) => ns.includes(l.n)).map((l) => l.pid)).size === 2);
    writeFileSync(join(p.root, gate), '');
    await until('50 succeeded runs', async () => (await succeeded(prefix)).length >= 50);
    const done = await stopAll(ws);
    expect(done.map((d) => d.code)).toEqual([0, 0]);
    const runs = await succeeded(prefix);
    expect(runs).toHaveLength(50);
    expect(new Set(runs.map((r) => r.id)).size).toBe(50);
    const exec = readLog(p, 'executions.log').filter((l) => ns.includes(l.n));
    expect(exec).toHaveLength(50);
    expect(new Set(exec.map((l) => l.n)).size).toBe(50);
    expect(new Set(exec.map((l) => l.pid)).size).toBe(2); // both workers took jobs
  }, 240_000);

  it('a 10/second limit holds across both workers', async () => {
    const prefix = `q${++prefixN}`;
    const ns = Array.from({ length: 30 }, (_, i) => 2000 + i);
    const ws = startWorkers(prefix, 2);
    await Promise.all(ws.map(ready));
    await enqueue(prefix, 'limited.yaml', ns);
    await until('30 succeeded runs', async () => (await succeeded(prefix)).length >= 30);
    await stopAll(ws);
    const at = readLog(p, 'executions.log').filter((l) => ns.includes(l.n)).map((l) => l.at).sort((a, b) => a - b);
    expect(at).toHaveLength(30);
    // count executions in every 1-second window: 10 + the burst of 1 by the tokens, but a line is
    // logged when the step starts, after its token, its journal writes and a loaded machine's
    // scheduling: lines of tokens 100 ms apart may land up to ~0.4 s closer. A limit each worker
    // kept for itself would let ~21 through in a second, no limit all 30.
    const maxInWindow = Math.max(...at.map((t) => at.filter((u) => u >= t && u < t + 1000).length));
    expect(maxInWindow).toBeLessThanOrEqual(15);
    expect(at.at(-1)! - at[0]!).toBeGreaterThanOrEqual(2500); // 30 tokens at 10/s need ~2.9 s
    const log = ws.map((w) => w.lines.join('\n')).join('\n');
    expect(log).toMatch(/"event":"step.waiting"/);
  }, 240_000);
});

describe('schedules on the shared queue', () => {
  it('a BullMQ job scheduler fires each tick once across two workers', async () => {
    const prefix = `q${++prefixN}`;
    const env = { REDIS_URL: srv.url, MPV2_QUEUE_PREFIX: prefix };
    const add = await p.cli(['schedule', 'add', 'work.yaml', '--cron', '*/1 * * * * *', '--name', 'sec', '--input', 'n=5000', '--json'], env);
    expect(add.code).toBe(0);
    const ws = startWorkers(prefix, 2);
    await Promise.all(ws.map(ready));
    await until('4 ticks', () => readLog(p, 'executions.log').filter((l) => l.n === 5000).length >= 4, 60_000);
    const q = new BullQueue(srv.url, prefix);
    expect(await q.nextFire('sec')).toBeGreaterThan(Date.now() - 5000); // a BullMQ job scheduler drives it
    expect((await p.cli(['schedule', 'pause', 'sec'], env)).code).toBe(0);
    expect(await q.nextFire('sec')).toBeUndefined(); // pausing removed the job scheduler
    await q.close();
    await stopAll(ws);
    const runs = (await new RedisJournal(redis, prefix).listRuns({ limit: 100 })).filter((r) => r.inputs.n === 5000);
    const exec = readLog(p, 'executions.log').filter((l) => l.n === 5000);
    expect(exec).toHaveLength(runs.length);
    expect(new Set(runs.map((r) => r.id)).size).toBe(runs.length); // one run per tick
    const list = JSON.parse((await p.cli(['schedule', 'list', '--json'], env)).stdout) as Array<{ name: string; paused: boolean; lastTick?: { status: string } }>;
    expect(list).toEqual([expect.objectContaining({ name: 'sec', paused: true, lastTick: expect.objectContaining({ status: 'queued' }) })]);
  }, 240_000);
});

describe('a worker killed mid-job', () => {
  it('another worker finishes the job; the effect is done once, finished steps are not repeated', async () => {
    const prefix = `q${++prefixN}`;
    const fast = ['--lock-duration', '1500', '--stalled-interval', '1000'];
    const [a] = startWorkers(prefix, 1, fast);
    await ready(a!);
    const [job] = await enqueue(prefix, 'killme.yaml', [3000]);
    await until('the hold step to start', () => readLog(p, 'executions.log').some((l) => l.kind === 'hold' && l.n === 3000));
    a!.child.kill('SIGKILL');
    expect((await a!.done).signal).toBe('SIGKILL');
    writeFileSync(join(p.root, 'release'), '');
    const [b] = startWorkers(prefix, 1, fast);
    await ready(b!);
    const runId = runIdForJob(job!.job);
    await until('the run to succeed on the other worker', async () => (await new RedisJournal(redis, prefix).getRun(runId))?.status === 'succeeded', 60_000);
    await stopAll([b!]);
    const posts = readLog(p, 'effects.log').filter((l) => l.n === 3000);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.pid).toBe(a!.child.pid);
    const effects = await new RedisEffects(redis, prefix).list();
    expect(effects.map((e) => [e.key, e.status])).toEqual([['qtest.post:' + effects[0]!.key.split(':')[1], 'done']]);
    const holds = readLog(p, 'executions.log').filter((l) => l.kind === 'hold' && l.n === 3000);
    expect(holds.map((h) => h.pid)).toEqual([a!.child.pid, b!.child.pid]);
    expect(b!.lines.join('\n')).toMatch(/"event":"step.finished","stepId":"post".*"reused":true|"reused":true.*"stepId":"post"/);
  }, 240_000);
});

describe('Redis restarted mid-run', () => {
  it('workers reconnect and every run completes once', async () => {
    const prefix = `q${++prefixN}`;
    const ns = Array.from({ length: 20 }, (_, i) => 4000 + i);
    await enqueue(prefix, 'work.yaml', ns, { sleepMs: 150 });
    const ws = startWorkers(prefix, 2, ['--lock-duration', '10000']);
    await Promise.all(ws.map(ready));
    await until('a few runs', () => readLog(p, 'executions.log').filter((l) => ns.includes(l.n)).length >= 4);
    await srv.stop();
    await Promise.all(ws.map((w) => w.waitForLine(says('Redis unreachable')))); // every worker saw the connection drop
    await srv.start();
    await Promise.all(ws.map((w) => w.waitForLine(says('Redis reachable again')))); // and reconnected
    await until('20 succeeded runs', async () => (await succeeded(prefix)).length >= 20);
    await stopAll(ws);
    const exec = readLog(p, 'executions.log').filter((l) => ns.includes(l.n));
    expect(new Set(exec.map((l) => l.n)).size).toBe(20);
    expect(exec).toHaveLength(20);
    expect(await succeeded(prefix)).toHaveLength(20);
  }, 240_000);
});
