/**
 * A worker's run streamed live (queue.url, a real redis-server, a real in-process worker): the
 * worker publishes every `--json` event to the run's Redis stream and the server follows it,
 * so step.progress and step.log reach SSE subscribers as they happen, with the stream's ids;
 * a late subscriber gets the same sequence, Last-Event-ID resumes, a secret is redacted before
 * it reaches Redis, the stream expires after the run, and the journal answers once it has.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject, type Project } from '../../../src/engine/project.js';
import { openRedis, type Redis } from '../../../src/queue/redis/connection.js';
import { eventStreamKey } from '../../../src/queue/redis/event-stream.js';
import { startWorker, type RunningWorker } from '../../../src/queue/service.js';
import { startRedis, type TestRedis } from '../../servers/redis.js';
import { sseReader, startHarness, type ServeHarness, type SseMessage } from './harness.js';

const SECRET = 'c0ffee42'.repeat(8);
const TTL_SECONDS = 120;

/** A log line holding a secret, a wait that reports progress, a second log line. */
const CHATTY = `name: chatty
steps:
  - id: say
    uses: core.log
    with: { message: "token \${{ secrets.MPV2_MASTER_KEY }} in a log line" }
  - id: pause
    uses: core.wait
    needs: say
    with: { seconds: 0.01 }
  - id: after
    uses: core.log
    needs: pause
    with: { message: done waiting }
`;

const EXPECTED = [
  'run.started',
  'step.started:say', 'step.log:say', 'step.finished:say',
  'step.started:pause', 'step.progress:pause', 'step.finished:pause',
  'step.started:after', 'step.log:after', 'step.finished:after',
  'run.finished',
];

let redis: TestRedis;
let client: Redis;
let h: ServeHarness;
let workerProject: Project;
let worker: RunningWorker;
const prefix = 'mpv2';

const env = () => ({ REDIS_URL: redis.url, MPV2_MASTER_KEY: SECRET });
const parsed = (ms: SseMessage[]) => ms.map((m) => ({ id: Number(m.id), event: JSON.parse(m.data) as Record<string, unknown> }));
/** Event names (`event:stepId`); a repeated progress report counts once (a loaded machine may tick the wait's 1 s timer within its 10 ms). */
const names = (evs: Array<{ event: Record<string, unknown> }>) => evs.map(({ event: e }) => String(e.stepId ? `${e.event}:${e.stepId}` : e.event)).filter((n, i, all) => !(n.startsWith('step.progress') && all[i - 1] === n));

async function queueRun(): Promise<string> {
  const res = await h.call('POST', '/api/runs', { body: { pipeline: 'chatty' } });
  expect(res.status).toBe(202);
  return (await res.json() as { runId: string }).runId;
}

async function events(runId: string, lastEventId?: number) {
  return parsed(await sseReader(await h.call('GET', `/api/runs/${runId}/events`, { headers: lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) } })).all());
}

beforeAll(async () => {
  redis = await startRedis();
  client = openRedis(redis.url);
  h = await startHarness({ 'pipelines/chatty.yaml': CHATTY }, { env: env(), serve: { pollMs: 50 } });
}, 60_000);
afterAll(async () => {
  await worker?.stop(1000);
  workerProject?.close();
  await h?.close();
  client?.disconnect();
  await redis?.close();
});

describe('serve: a worker\'s run streamed from its Redis event stream', () => {
  let runId: string;
  let live: Array<{ id: number; event: Record<string, unknown> }>;

  it('a subscriber waiting for a queued run gets every event of the worker, progress and logs in order, ids increasing', async () => {
    runId = await queueRun();
    const stream = sseReader(await h.call('GET', `/api/runs/${runId}/events`));
    workerProject = await openProject({ cwd: h.root, env: env(), lazyPlugins: true });
    worker = await startWorker({ project: workerProject, log: () => undefined, eventStreamTtlSeconds: TTL_SECONDS });
    live = parsed(await stream.all());
    expect(names(live)).toEqual(EXPECTED);
    expect(live.at(-1)!.event).toMatchObject({ event: 'run.finished', status: 'succeeded', runId });
    // the wait ends at 1; a loaded machine may report a tick on the way (fractions only grow)
    const fractions = live.filter((e) => e.event.event === 'step.progress').map((e) => e.event.fraction as number);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    for (let i = 1; i < live.length; i++) expect(live[i]!.id).toBeGreaterThan(live[i - 1]!.id);
    // the secret was masked by the worker, before Redis
    expect(live.find((e) => e.event.event === 'step.log' && e.event.stepId === 'say')!.event.message).toBe('token [REDACTED] in a log line');
  }, 90_000);

  it('the worker\'s metrics count the events it published, none dropped', async () => {
    const sample = (text: string, name: string) => Number(text.split('\n').find((l) => l.startsWith(`${name} `))?.slice(name.length + 1));
    // the worker hears Redis' answer to its last write on its own connection: wait for it, not for a time
    let text = await worker.metrics.text();
    while (sample(text, 'mpv2_run_events_published_total') < live.length) {
      await new Promise((r) => setImmediate(r));
      text = await worker.metrics.text();
    }
    expect(sample(text, 'mpv2_run_events_published_total')).toBe(live.length);
    expect(text).toMatch(/^mpv2_run_events_dropped_total\{reason="redis-away"\} 0$/m);
  });

  it('the raw stream in Redis holds no secret in any encoding', async () => {
    const raw = JSON.stringify(await client.xrange(eventStreamKey(prefix, runId), '-', '+'));
    expect(raw).toContain('[REDACTED]');
    for (const form of [SECRET, Buffer.from(SECRET).toString('base64'), Buffer.from(SECRET).toString('hex'), encodeURIComponent(SECRET)]) expect(raw).not.toContain(form);
  });

  it('a late subscriber gets the same sequence with the same ids', async () => {
    expect(await events(runId)).toEqual(live);
  });

  it('Last-Event-ID resumes after that event', async () => {
    const cut = 4;
    expect(await events(runId, live[cut]!.id)).toEqual(live.slice(cut + 1));
  });

  it('a client that saw run.finished and reconnects with its id gets an ended stream, not a wait forever', async () => {
    const res = await h.call('GET', `/api/runs/${runId}/events`, { headers: { 'last-event-id': String(live.at(-1)!.id) } });
    expect(await sseReader(res).all()).toEqual([]);
  });

  it('…and for a run in the server itself (a dry run), a 204, which tells EventSource not to reconnect', async () => {
    const res = await h.call('POST', '/api/runs', { body: { pipeline: 'chatty', dryRun: true } });
    const { runId: dry, where } = await res.json() as { runId: string; where: string };
    expect(where).toBe('process');
    const all = await events(dry);
    expect(all.at(-1)!.event).toMatchObject({ event: 'run.finished' });
    const again = await h.call('GET', `/api/runs/${dry}/events`, { headers: { 'last-event-id': String(all.at(-1)!.id) } });
    expect(again.status).toBe(204);
    // one before the end still gets the end
    expect(await events(dry, all.at(-2)!.id)).toEqual(all.slice(-1));
  });

  it('the stream is kept for the injected TTL after run.finished (not the week-long TTL of a running run)', async () => {
    const ttl = await client.pttl(eventStreamKey(prefix, runId));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TTL_SECONDS * 1000);
  });

  it('once the stream is gone, the run\'s events come from the journal (no logs or progress), ending with run.finished', async () => {
    const key = eventStreamKey(prefix, runId);
    // wait for Redis to expire the stream (keyspace notification), not for a time
    await client.config('SET', 'notify-keyspace-events', 'Ex');
    const sub = openRedis(redis.url);
    const expired = new Promise<void>((resolve) => sub.on('message', (_ch: string, k: string) => { if (k === key) resolve(); }));
    await sub.subscribe('__keyevent@0__:expired');
    await client.pexpire(key, 1);
    await expired;
    sub.disconnect();
    expect(await client.exists(key)).toBe(0);
    const fromJournal = await events(runId);
    expect(names(fromJournal)).toEqual(EXPECTED.filter((n) => !n.startsWith('step.log') && !n.startsWith('step.progress')));
    expect(fromJournal.map((e) => e.id)).toEqual(fromJournal.map((_, i) => i));
    expect(fromJournal.at(-1)!.event).toMatchObject({ event: 'run.finished', status: 'succeeded' });
  });

  it('a client that followed the stream and reconnects with its Last-Event-ID after the stream expired gets the journal\'s events, to run.finished', async () => {
    expect(await client.exists(eventStreamKey(prefix, runId))).toBe(0);
    const fromJournal = await events(runId);
    // a stream id from before the expiry says nothing about the journal's numbering: everything again
    expect(await events(runId, live[4]!.id)).toEqual(fromJournal);
    expect(await events(runId, live.at(-1)!.id)).toEqual(fromJournal);
    // a journal id still resumes after it
    expect(await events(runId, 1)).toEqual(fromJournal.slice(2));
  });

  it('a run the worker began after the subscriber connected (run already journaled) streams live too', async () => {
    const second = await queueRun();
    // wait, through the API, until the worker has journaled it; then subscribe
    for (;;) {
      const v = await (await h.call('GET', `/api/runs/${second}`)).json() as { status: string };
      if (v.status !== 'queued') break;
      await new Promise((r) => setImmediate(r));
    }
    expect(names(await events(second))).toEqual(EXPECTED);
  }, 90_000);
});
