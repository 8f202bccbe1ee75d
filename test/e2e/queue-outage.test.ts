/**
 * A worker whose Redis goes away: the outage is told once and the recovery once, with no
 * stack traces however many reconnect attempts there are (counted on /metrics, not timed),
 * and SIGTERM stops it at once when nothing runs, even while Redis is unreachable and the
 * grace period is long. Waits are for lines and counters, never for time: the test timeouts
 * are the only clocks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../servers/redis.js';
import { ensureBuilt } from './cli-harness.js';
import type { Running, TempProject } from './engine-helpers.js';
import { queueProject, until } from './queue-helpers.js';

let srv: TestRedis;
let p: TempProject;
let w: Running | undefined;

beforeAll(async () => {
  await ensureBuilt();
  srv = await startRedis();
  p = queueProject();
}, 240_000);

afterAll(async () => {
  if (w && w.child.exitCode === null) w.child.kill('SIGKILL');
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
});
