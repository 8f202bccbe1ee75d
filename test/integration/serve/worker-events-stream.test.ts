/**
 * The run event stream on a real redis-server, below the API: the publisher's ids, paths and
 * its behaviour while Redis is away; the follower's reading of a stream that holds an earlier
 * run of the same id (waited for approval, then resumed) and of one whose run.finished never
 * arrived (the journal closes it); the counts of published and dropped events on the worker's
 * Prometheus metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../../../src/engine/events.js';
import { openRedis, type Redis } from '../../../src/queue/redis/connection.js';
import { EventStreamReader, eventStreamKey, RunEventPublisher } from '../../../src/queue/redis/event-stream.js';
import { RedisJournal } from '../../../src/queue/redis/journal.js';
import { WorkerMetrics } from '../../../src/queue/metrics.js';
import { RunFollower } from '../../../src/serve/run-follower.js';
import type { NumberedEvent } from '../../../src/serve/event-log.js';
import { startRedis, type TestRedis } from '../../servers/redis.js';

let redis: TestRedis;
let conn: Redis;
const root = mkdtempSync(join(tmpdir(), 'mpv2-events-'));
const time = '2026-01-01T00:00:00.000Z';
const ev = (runId: string, body: Record<string, unknown>) => ({ runId, time, ...body }) as RunEvent;
const started = (runId: string): RunEvent => ev(runId, { event: 'run.started', pipeline: 'p.yaml', name: 'p', inputs: {} });
const log = (runId: string, message: string): RunEvent => ev(runId, { event: 'step.log', stepId: 's', level: 'info', message });
const finished = (runId: string, status = 'succeeded'): RunEvent => ev(runId, { event: 'run.finished', status, durationMs: 1 });

beforeAll(async () => {
  redis = await startRedis();
  conn = openRedis(redis.url);
}, 60_000);
afterAll(async () => {
  conn?.disconnect();
  await redis?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A sample's value in Prometheus text (undefined when absent). */
const sample = (text: string, name: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
};

/** Every event the follower logs until run.finished. */
function collect(f: RunFollower): Promise<NumberedEvent[]> {
  const got: NumberedEvent[] = [];
  return new Promise((resolve) => f.log.subscribe(undefined, (n) => { got.push(n); if (n.event.event === 'run.finished') resolve(got); }));
}

describe('run event stream', () => {
  it('ids grow across batches and across publishers (a worker taking the run over); paths in the project are stored root-relative', async () => {
    const a = new RunEventPublisher({ redis: conn, prefix: 't1', root });
    a.begin('r1');
    a.publish(started('r1'));
    a.publish(ev('r1', { event: 'step.finished', stepId: 's', cached: false, durationMs: 1, outputs: { file: join(root, '.mpv2', 'runs', 'r1', 'x.txt') } }));
    await a.drain();
    const b = new RunEventPublisher({ redis: conn, prefix: 't1', root: '/elsewhere' });
    b.begin('r1');
    b.publish(log('r1', 'second worker'));
    await b.drain();
    const rows = await conn.xrange(eventStreamKey('t1', 'r1'), '-', '+');
    const ids = rows.map(([id]) => Number(id.split('-')[0]));
    expect(ids).toHaveLength(5);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe(ids[i - 1]! + 1);
    expect(rows.map(([, f]) => f[0])).toEqual(['b', 'e', 'e', 'b', 'e']);
    expect(JSON.stringify(rows)).not.toContain(root);
    // read back under another root (the server's mount of the shared project)
    const entries = await new EventStreamReader(conn, 't1', '/srv/project').range('r1');
    expect(entries.map((x) => x.n)).toEqual(ids);
    expect((entries[2]!.event as { outputs: unknown }).outputs).toEqual({ file: join('/srv/project', '.mpv2', 'runs', 'r1', 'x.txt') });
    expect(a.published + b.published).toBe(3);
  });

  it('while Redis is away events are dropped, never thrown or queued; publishing resumes when it is back', async () => {
    const own = openRedis(redis.url);
    await own.ping();
    const metrics = new WorkerMetrics(false);
    const p = new RunEventPublisher({ redis: own, prefix: 't2', root, counts: metrics });
    await redis.stop();
    await new Promise<void>((resolve) => (own.status === 'ready' ? own.once('close', () => resolve()) : resolve()));
    expect(() => { p.begin('r2'); p.publish(started('r2')); p.publish(log('r2', 'lost')); }).not.toThrow();
    await p.drain();
    expect(p.dropped).toBe(2);
    await redis.start();
    await new Promise<void>((resolve) => (own.status === 'ready' ? resolve() : own.once('ready', () => resolve())));
    p.publish(log('r2', 'after the outage'));
    await p.drain();
    expect(p.published).toBe(1);
    const rows = await own.xrange(eventStreamKey('t2', 'r2'), '-', '+');
    expect(rows.map(([, f]) => JSON.parse(f[1]!).message)).toEqual(['after the outage']);
    // the worker's /metrics says how many were lost in the outage, and how many went out
    const text = await metrics.text();
    expect(sample(text, 'mpv2_run_events_dropped_total{reason="redis-away"}')).toBe(2);
    expect(sample(text, 'mpv2_run_events_dropped_total{reason="backlog"}')).toBe(0);
    expect(sample(text, 'mpv2_run_events_published_total')).toBe(1);
    own.disconnect();
    await conn.ping();
  }, 60_000);

  it('past the backlog cap (Redis too slow) new events are dropped and counted as backlog', async () => {
    const metrics = new WorkerMetrics(false);
    const p = new RunEventPublisher({ redis: conn, prefix: 'tb', root, counts: metrics });
    // all in one turn of the event loop: nothing is sent before the backlog is full
    for (let i = 0; i < 10_005; i++) p.publish(log('rb', `line ${i}`));
    await p.drain();
    expect(p.dropped).toBe(5);
    const text = await metrics.text();
    expect(sample(text, 'mpv2_run_events_dropped_total{reason="backlog"}')).toBe(5);
    expect(sample(text, 'mpv2_run_events_published_total')).toBe(10_000);
  }, 60_000);

  it('a follower gives the run as it goes now: after the run.finished of its earlier part (waiting for approval)', async () => {
    const journal = new RedisJournal(conn, 't3');
    await journal.createRun({ id: 'r3', pipeline: 'p.yaml', pipelineHash: '', name: 'p', status: 'running', inputs: {}, startedAt: time });
    const p = new RunEventPublisher({ redis: conn, prefix: 't3', root });
    p.begin('r3');
    for (const e of [started('r3'), log('r3', 'first part'), finished('r3', 'waiting-approval')]) p.publish(e);
    p.begin('r3');
    for (const e of [{ ...started('r3'), resumed: true } as RunEvent, log('r3', 'resumed')]) p.publish(e);
    await p.drain();
    const f = new RunFollower('r3', { lookup: async () => ({ run: (await journal.getRun('r3'))!, journal }), openStreams: () => EventStreamReader.open(redis.url, 't3', root), pollMs: 20 });
    const got = collect(f);
    p.publish(finished('r3'));
    const evs = await got;
    expect(evs.map((n) => (n.event.event === 'step.log' ? n.event.message : n.event.event))).toEqual(['run.started', 'resumed', 'run.finished']);
    await f.done;
  });

  it('a stream whose run.finished was lost ends with the journal\'s end once the stream stays quiet', async () => {
    const journal = new RedisJournal(conn, 't4');
    await journal.createRun({ id: 'r4', pipeline: 'p.yaml', pipelineHash: '', name: 'p', status: 'running', inputs: {}, startedAt: time });
    const p = new RunEventPublisher({ redis: conn, prefix: 't4', root });
    p.begin('r4');
    p.publish(started('r4'));
    await p.drain();
    // the run ends in the journal; its run.finished never reaches the stream (Redis was away for it)
    await journal.updateRun('r4', { status: 'failed', finishedAt: '2026-01-01T00:00:02.000Z', error: { code: 'E_PLUGIN_FAILED', message: 'boom' } });
    const f = new RunFollower('r4', { lookup: async () => ({ run: (await journal.getRun('r4'))!, journal }), openStreams: () => EventStreamReader.open(redis.url, 't4', root), pollMs: 20, journalEndAfterMs: 40 });
    const evs = await collect(f);
    expect(evs.map((n) => n.event.event)).toEqual(['run.started', 'run.finished']);
    expect(evs[1]!.event).toMatchObject({ status: 'failed', durationMs: 2000, error: { code: 'E_PLUGIN_FAILED' } });
    expect(evs[1]!.id).toBeGreaterThan(evs[0]!.id);
    await f.done;
  });

  it('a stream that holds only a worker\'s mark, for a run that ended, is followed through the journal', async () => {
    const journal = new RedisJournal(conn, 't5');
    await journal.createRun({ id: 'r5', pipeline: 'p.yaml', pipelineHash: '', name: 'p', status: 'succeeded', inputs: {}, startedAt: time, finishedAt: time });
    const p = new RunEventPublisher({ redis: conn, prefix: 't5', root });
    p.begin('r5');
    await p.drain();
    expect(await conn.xlen(eventStreamKey('t5', 'r5'))).toBe(1);
    // journalEndAfterMs far away: only the journal path can end this follow
    const f = new RunFollower('r5', { lookup: async () => ({ run: (await journal.getRun('r5'))!, journal }), openStreams: () => EventStreamReader.open(redis.url, 't5', root), pollMs: 20, journalEndAfterMs: 3_600_000 });
    const evs = await collect(f);
    expect(evs.map((n) => [n.id, n.event.event])).toEqual([[0, 'run.started'], [1, 'run.finished']]);
    await f.done;
  });
});
