/**
 * The scheduler by tick ids and a fake clock: one run per tick, overlap prevention, the
 * missed-fire policy, time zones, pause/resume. No sleeping.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, SqliteKv } from '../../../src/infra/store/sqlite.js';
import { LocalQueue } from '../../../src/queue/local-queue.js';
import { Scheduler } from '../../../src/queue/scheduler.js';
import { ScheduleStore } from '../../../src/queue/schedules.js';
import type { JobStatus } from '../../../src/queue/types.js';

let schedules: ScheduleStore;
let queue: LocalQueue;
let logs: string[];
let busy: Map<string, JobStatus>;
let scheduler: Scheduler;
const at = (iso: string) => new Date(iso);

beforeEach(() => {
  const kv = new SqliteKv(openDatabase(':memory:'));
  schedules = new ScheduleStore(kv);
  queue = new LocalQueue(kv);
  logs = [];
  busy = new Map();
  scheduler = new Scheduler({ schedules, enqueue: (j) => queue.enqueue(j), busy: async () => busy, log: (_l, m) => logs.push(m) });
});

describe('one run per tick', () => {
  it('queues each fire once, by tick id, however often it is asked', async () => {
    await schedules.add({ pipeline: 'p.yaml', cron: '*/5 * * * *', inputs: { n: 1 } }, at('2026-05-04T09:00:00Z'));
    expect(await scheduler.tick(at('2026-05-04T09:04:59Z'))).toEqual([]);
    const first = await scheduler.tick(at('2026-05-04T09:05:00.400Z'));
    expect(first).toEqual([{ schedule: 'p', tick: '2026-05-04T09:05:00.000Z', status: 'queued', jobId: expect.stringMatching(/^r-[0-9a-f]{20}$/) }]);
    expect(await scheduler.tick(at('2026-05-04T09:05:01Z'))).toEqual([]);
    expect(await scheduler.tick(at('2026-05-04T09:09:59Z'))).toEqual([]);
    const second = await scheduler.tick(at('2026-05-04T09:10:00Z'));
    expect(second.map((a) => a.tick)).toEqual(['2026-05-04T09:10:00.000Z']);
    expect(second[0]!.jobId).not.toBe(first[0]!.jobId);
    const q = await queue.queued();
    expect(q.map((e) => [e.job.schedule, e.job.tick, e.job.inputs])).toEqual([['p', '2026-05-04T09:05:00.000Z', { n: 1 }], ['p', '2026-05-04T09:10:00.000Z', { n: 1 }]]);
    expect((await schedules.ticks('p')).map((t) => t.status)).toEqual(['queued', 'queued']);
  });

  it('a tick already recorded is not queued again (a second scheduler, or a restart before checkedUntil moved)', async () => {
    await schedules.add({ pipeline: 'p.yaml', cron: '0 * * * *' }, at('2026-05-04T09:30:00Z'));
    await scheduler.tick(at('2026-05-04T10:00:01Z'));
    const s = (await schedules.get('p'))!;
    await (schedules as unknown as { kv: SqliteKv }).kv.set('schedules', 'p', { ...s, checkedUntil: '2026-05-04T09:30:00.000Z' });
    expect(await scheduler.tick(at('2026-05-04T10:00:02Z'))).toEqual([]);
    expect(await queue.queued()).toHaveLength(1);
  });

  it('honours the time zone (09:00 Berlin is 07:00Z in summer, 08:00Z in winter)', async () => {
    await schedules.add({ pipeline: 'p.yaml', cron: '0 9 * * *', tz: 'Europe/Berlin', name: 'summer' }, at('2026-07-01T00:00:00Z'));
    expect((await scheduler.tick(at('2026-07-01T07:00:05Z'))).map((a) => a.tick)).toEqual(['2026-07-01T07:00:00.000Z']);
    await schedules.add({ pipeline: 'p.yaml', cron: '0 9 * * *', tz: 'Europe/Berlin', name: 'winter' }, at('2026-12-01T00:00:00Z'));
    expect((await scheduler.tick(at('2026-12-01T08:00:05Z'))).filter((a) => a.schedule === 'winter').map((a) => a.tick)).toEqual(['2026-12-01T08:00:00.000Z']);
  });

  it('seconds are optional (six fields)', async () => {
    await schedules.add({ pipeline: 'p.yaml', cron: '*/20 * * * * *' }, at('2026-05-04T09:00:00Z'));
    expect((await scheduler.tick(at('2026-05-04T09:00:40Z'))).map((a) => a.tick)).toEqual(['2026-05-04T09:00:20.000Z', '2026-05-04T09:00:40.000Z']);
  });
});

describe('overlap', () => {
  it('skip (default): a fire while the previous run is going is recorded as skipped and logged', async () => {
    await schedules.add({ pipeline: 'p.yaml', cron: '0 * * * *' }, at('2026-05-04T09:30:00Z'));
    busy.set('p', 'running');
    expect(await scheduler.tick(at('2026-05-04T10:00:00Z'))).toEqual([{ schedule: 'p', tick: '2026-05-04T10:00:00.000Z', status: 'skipped-overlap' }]);
    expect(await queue.queued()).toEqual([]);
    expect(logs.join('\n')).toMatch(/fire of 2026-05-04T10:00:00.000Z skipped, the previous run is still running/);
    busy.clear();
    expect((await scheduler.tick(at('2026-05-04T11:00:00Z')))[0]!.status).toBe('queued');
  });

  it('queue: the fire is queued behind the running one', async () => {
    await schedules.add({ pipeline: 'p.yaml', cron: '0 * * * *', overlap: 'queue' }, at('2026-05-04T09:30:00Z'));
    busy.set('p', 'running');
    expect((await scheduler.tick(at('2026-05-04T10:00:00Z')))[0]!.status).toBe('queued');
    expect(await queue.queued()).toHaveLength(1);
  });
});

describe('missed fires after downtime', () => {
  it('run-once: of three missed fires only the latest runs, once', async () => {
    await schedules.add({ pipeline: 'p.yaml', cron: '0 * * * *' }, at('2026-05-04T09:30:00Z'));
    const a = await scheduler.tick(at('2026-05-04T12:30:00Z'));
    expect(a).toEqual([{ schedule: 'p', tick: '2026-05-04T12:00:00.000Z', status: 'queued', jobId: expect.any(String) }]);
    expect(logs.join('\n')).toMatch(/2 fire\(s\) missed.*skipped/);
    expect(logs.join('\n')).toMatch(/running the missed fire of 2026-05-04T12:00:00.000Z once/);
    expect(await scheduler.tick(at('2026-05-04T12:30:01Z'))).toEqual([]);
  });

  it('run-once: an on-time fire runs instead of an extra missed one', async () => {
    await schedules.add({ pipeline: 'p.yaml', cron: '0 * * * *' }, at('2026-05-04T09:30:00Z'));
    expect((await scheduler.tick(at('2026-05-04T12:00:10Z'))).filter((x) => x.status === 'queued').map((x) => x.tick)).toEqual(['2026-05-04T12:00:00.000Z']);
    expect(await queue.queued()).toHaveLength(1);
  });

  it('skip: missed fires do not run; the next on-time fire does', async () => {
    await schedules.add({ pipeline: 'p.yaml', cron: '0 * * * *', missed: 'skip' }, at('2026-05-04T09:30:00Z'));
    expect(await scheduler.tick(at('2026-05-04T12:30:00Z'))).toEqual([{ schedule: 'p', tick: '2026-05-04T12:00:00.000Z', status: 'skipped-missed' }]);
    expect(await queue.queued()).toEqual([]);
    expect((await scheduler.tick(at('2026-05-04T13:00:00Z')))[0]!.status).toBe('queued');
  });
});

describe('pause / resume', () => {
  it('a paused schedule does not fire; resuming does not count the pause as missed', async () => {
    await schedules.add({ pipeline: 'p.yaml', cron: '0 * * * *' }, at('2026-05-04T09:30:00Z'));
    await schedules.setPaused('p', true, at('2026-05-04T09:40:00Z'));
    expect(await scheduler.tick(at('2026-05-04T10:00:00Z'))).toEqual([]);
    await schedules.setPaused('p', false, at('2026-05-04T11:30:00Z'));
    expect(await scheduler.tick(at('2026-05-04T11:30:01Z'))).toEqual([]);
    expect((await scheduler.tick(at('2026-05-04T12:00:00Z')))[0]!.tick).toBe('2026-05-04T12:00:00.000Z');
  });
});

describe('schedule store', () => {
  it('refuses bad patterns, zones, names and duplicates with a hint', async () => {
    const now = at('2026-05-04T09:00:00Z');
    await expect(schedules.add({ pipeline: 'p.yaml', cron: 'every day' }, now)).rejects.toMatchObject({ code: 'E_USAGE', message: /not a valid cron pattern/ });
    await expect(schedules.add({ pipeline: 'p.yaml', cron: '0 9 * * *', tz: 'Mars/Olympus' }, now)).rejects.toMatchObject({ code: 'E_USAGE', message: /unknown time zone/ });
    await expect(schedules.add({ pipeline: 'p.yaml', cron: '0 9 * * *', name: 'a b' }, now)).rejects.toMatchObject({ code: 'E_USAGE' });
    await schedules.add({ pipeline: 'p.yaml', cron: '0 9 * * *' }, now);
    await expect(schedules.add({ pipeline: 'p.yaml', cron: '0 9 * * *' }, now)).rejects.toMatchObject({ message: /already exists/ });
    await expect(schedules.remove('nope')).rejects.toMatchObject({ code: 'E_NOT_FOUND', hint: /schedules: p/ });
  });
});
