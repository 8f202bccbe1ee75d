/**
 * A worker whose Redis goes away: the outage is told once and the recovery once, with no
 * stack traces however many reconnect attempts there are (counted on /metrics, not timed),
 * and SIGTERM stops it at once when nothing runs, even while Redis is unreachable and the
 * grace period is long; a worker holding a run stops at the end of its grace, and the run,
 * which could not journal its end on the unreachable Redis, is taken over by the next worker
 * (its effect not repeated). Waits are for lines and counters, never for time: the test
 * timeouts are the only clocks.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullQueue } from '../../src/queue/bull-queue.js';
import { makeJob, runIdForJob } from '../../src/queue/job-id.js';
import { openRedis } from '../../src/queue/redis/connection.js';
import { RedisJournal } from '../../src/queue/redis/journal.js';
import { startRedis, type TestRedis } from '../servers/redis.js';
import { ensureBuilt } from './cli-harness.js';
import type { Running, TempProject } from './engine-helpers.js';
import { queueProject, readLog, until } from './queue-helpers.js';

let srv: TestRedis;
let p: TempProject;
let w: Running | undefined;
const others: Running[] = [];

beforeAll(async () => {
  await ensureBuilt();
  srv = await startRedis({ appendonly: true }); // the journal outlives a restart, as a real Redis with its AOF
  p = queueProject();
}, 240_000);

afterAll(async () => {
  for (const r of [w, ...others]) if (r && r.child.exitCode === null) r.child.kill('SIGKILL');
  await srv?.close();
  p?.remove();
});

interface LogLine { event: string; level: string; message: string; healthPort?: number }
const logs = (r: Running): LogLine[] => r.lines.map((l) => JSON.parse(l) as LogLine).filter((l) => l.event === 'worker.log');
const says = (text: string) => (line: string) => line.includes('"worker.log"') && line.includes(text);

async function reconnectAttempts(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^mpv2_redis_reconnect_attempts_total (\d+)/m.exec(text)?.[1] ?? 0);
}

describe('a worker whose Redis goes away', () => {
  it('tells the outage once and the recovery once, with no stack traces, and stops at once on SIGTERM while Redis is away', async () => {
    // a grace far longer than the test's timeout: only a stop that does not wait out the grace passes
    w = p.start(['worker', '--json', '--grace', '10m', '--health-port', '0', '--health-host', '127.0.0.1'], { REDIS_URL: srv.url, MPV2_QUEUE_PREFIX: 'outage' });
    const ready = JSON.parse(await w.waitForLine(says('worker ready'))) as LogLine;
    const port = ready.healthPort!;

    await srv.stop();
    await w.waitForLine(says('Redis unreachable'));
    await until('6 reconnect attempts', async () => (await reconnectAttempts(port)) >= 6, 60_000);
    expect(logs(w).filter((l) => l.message.includes('Redis unreachable'))).toHaveLength(1);
    expect(logs(w).filter((l) => l.level === 'error')).toEqual([]);

    await srv.start();
    await w.waitForLine(says('Redis reachable again'));
    expect(logs(w).filter((l) => l.message.includes('Redis reachable again'))).toHaveLength(1);
    expect(logs(w).filter((l) => l.message.includes('Redis unreachable'))).toHaveLength(1);

    await srv.stop();
    await until('the second outage line', () => logs(w!).filter((l) => l.message.includes('Redis unreachable')).length === 2, 60_000);
    w.child.kill('SIGTERM');
    const done = await w.done;
    expect(done.code).toBe(0); // nothing was running: nothing to abort
    expect(done.stderr).not.toMatch(/^\s+at /m); // no stack trace, from mpv2 or a library
    expect(done.stderr).toBe('');
    expect(logs(w).filter((l) => l.level === 'error')).toEqual([]);
    expect(logs(w).at(-1)!.message).toBe('stopped');
    await srv.start();
  }, 90_000);

  it('holding a run, it stops when the grace is over; the run, left running in the unreachable journal, is taken over and its effect not repeated', async () => {
    const env = { REDIS_URL: srv.url, MPV2_QUEUE_PREFIX: 'held' };
    const fast = ['--lock-duration', '1500', '--stalled-interval', '1000'];
    const a = p.start(['worker', '--json', '--grace', '3s', ...fast], env);
    others.push(a);
    await a.waitForLine(says('worker ready'));
    const q = new BullQueue(srv.url, 'held');
    const { job } = await q.enqueue(makeJob({ pipeline: 'killme.yaml', inputs: { n: 8000 } }, new Date()));
    await q.close();
    await until('the hold step to start', () => readLog(p, 'executions.log').some((l) => l.kind === 'hold' && l.n === 8000));
    await srv.stop();
    await a.waitForLine(says('Redis unreachable'));
    a.child.kill('SIGTERM');
    const stopped = await a.done;
    expect(stopped.code).toBe(143); // a run was aborted
    expect(stopped.stderr).toBe('');
    expect(logs(a).map((l) => l.message)).toContainEqual(expect.stringMatching(/1 run\(s\) could not record their end before the grace ran out/));

    await srv.start();
    const redis = openRedis(srv.url);
    try {
      const journal = new RedisJournal(redis, 'held');
      const runId = runIdForJob(job);
      expect((await journal.getRun(runId))?.status).toBe('running'); // left for takeover
      writeFileSync(join(p.root, 'release'), '');
      const b = p.start(['worker', '--json', ...fast], env);
      others.push(b);
      await until('the run to succeed on the next worker', async () => (await journal.getRun(runId))?.status === 'succeeded', 60_000);
      b.child.kill('SIGTERM');
      expect((await b.done).code).toBe(0);
      expect(readLog(p, 'effects.log').filter((l) => l.n === 8000).map((l) => l.pid)).toEqual([a.child.pid]); // posted once, by the first worker
    } finally {
      redis.disconnect();
    }
  }, 120_000);
});
