#!/usr/bin/env node
// npm run bench -- queue [--runs 1000] [--concurrency 1] [--events 200000] [--events-only]: 1,000
// trivial queued runs through 1 and 2 worker processes on a real redis-server (started here on a
// free loopback port), and through the local (SQLite) queue, against the same pipeline run
// in-process. Prints jobs/s and the per-job overhead. Throughput is measured from the first run's
// start to the last run's end in the journal, so worker start-up is not counted.
// Then a worker's event sink with and without publishing to the run's Redis event stream
// (src/queue/redis/event-stream.ts): events/s the run can emit, and until Redis holds them all.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = (p) => join(here, '..', 'dist', 'src', p);
const { values } = parseArgs({ options: { runs: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '1' }, events: { type: 'string', default: '200000' }, 'events-only': { type: 'boolean', default: false } } });
const N = Number(values.runs);
const C = values.concurrency;

const { openProject } = await import(dist('engine/project.js'));
const { prepareRun, executePrepared } = await import(dist('engine/run.js'));
const { BullQueue } = await import(dist('queue/bull-queue.js'));
const { makeJob } = await import(dist('queue/job-id.js'));
const { openRedis } = await import(dist('queue/redis/connection.js'));
const { RedisJournal } = await import(dist('queue/redis/journal.js'));
const { LocalQueue } = await import(dist('queue/local-queue.js'));
const { RunEventPublisher } = await import(dist('queue/redis/event-stream.js'));

const root = mkdtempSync(join(tmpdir(), 'mpv2-bench-queue-'));
writeFileSync(join(root, 'package.json'), '{ "name": "bench", "private": true }\n');
writeFileSync(join(root, 'trivial.yaml'), 'name: trivial\ninputs:\n  n: { type: number }\nsteps:\n  - id: s\n    uses: core.set\n    with: { n: "${{ inputs.n }}" }\n');

const port = await new Promise((res) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
const redisProc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
const url = `redis://127.0.0.1:${port}`;
const redis = openRedis(url);
await redis.ping();

const span = (runs) => {
  const start = Math.min(...runs.map((r) => Date.parse(r.startedAt)));
  const end = Math.max(...runs.map((r) => Date.parse(r.finishedAt)));
  return (end - start) / 1000;
};

async function inProcess() {
  const project = await openProject({ cwd: root, lazyPlugins: true });
  const sink = () => undefined;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const req = { project, cwd: root, file: 'trivial.yaml', inputs: { n: i }, signal: new AbortController().signal, sink, concurrency: 1 };
    await executePrepared(req, await prepareRun(req));
  }
  const s = (performance.now() - t0) / 1000;
  project.close();
  return s;
}

function startWorker(env) {
  const child = spawn(process.execPath, [join(here, '..', 'bin', 'run.js'), 'worker', '--concurrency', C, '--poll-interval', '20'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  return child;
}

async function stop(children) {
  await Promise.all(children.map((c) => new Promise((res) => { c.once('exit', res); c.kill('SIGTERM'); })));
}

async function throughRedis(workers) {
  const prefix = `bench${workers}`;
  const q = new BullQueue(url, prefix);
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await q.enqueue(makeJob({ pipeline: 'trivial.yaml', inputs: { n: i } }, new Date()));
  const enqueueMs = (performance.now() - t0) / N;
  await q.close();
  const children = Array.from({ length: workers }, () => startWorker({ REDIS_URL: url, MPV2_QUEUE_PREFIX: prefix }));
  const journal = new RedisJournal(redis, prefix);
  for (;;) {
    const done = await redis.zcard(`${prefix}:runs`);
    const failed = await redis.zcard(`${prefix}:bull:runs:failed`);
    if (failed > 0) { await stop(children); throw new Error(`${failed} job(s) failed; see redis-cli -p ${port} zrange ${prefix}:bull:runs:failed 0 -1`); }
    if (done >= N) {
      const runs = await journal.listRuns({ limit: N });
      if (runs.every((r) => r.finishedAt)) { await stop(children); return { seconds: span(runs), enqueueMs }; }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function throughLocal() {
  const project = await openProject({ cwd: root, lazyPlugins: true });
  const q = new LocalQueue(project.state().kv);
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await q.enqueue(makeJob({ pipeline: 'trivial.yaml', inputs: { n: i }, key: 'local' }, new Date()));
  const enqueueMs = (performance.now() - t0) / N;
  const before = (await project.state().journal.listRuns({ limit: 100000 })).length;
  const child = startWorker({});
  for (;;) {
    const runs = await project.state().journal.listRuns({ limit: 100000 });
    if (runs.length - before >= N && runs.slice(0, N).every((r) => r.finishedAt)) { await stop([child]); project.close(); return { seconds: span(runs.slice(0, N)), enqueueMs }; }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A run's events through the worker's sink, 1,000 a turn of the event loop (as a busy render
 * reports progress), with a sink that only counts them and with one that also publishes them;
 * 10,000 events a run (one stream each, at its cap).
 */
async function publishing(n) {
  const ev = (i) => ({ event: 'step.progress', runId: `bench-${Math.floor(i / 10_000)}`, stepId: 'render', fraction: (i % 1000) / 1000, message: `frame ${i} of ${n}`, time: new Date().toISOString() });
  const drive = async (sink) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      sink(ev(i));
      if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
    }
    return (performance.now() - t0) / 1000;
  };
  let count = 0;
  const plain = await drive(() => { count++; });
  const publisher = new RunEventPublisher({ redis, prefix: 'benchev', root });
  const t0 = performance.now();
  const emitting = await drive((e) => { count++; publisher.publish(e); });
  await publisher.drain();
  const total = (performance.now() - t0) / 1000;
  const stored = await redis.xlen('benchev:events:bench-0');
  console.log(`run events (step.progress), ${n}: sink alone ${(n / plain).toFixed(0)} events/s; with Redis publishing ${(n / emitting).toFixed(0)} events/s emitted (${(emitting / plain).toFixed(1)}x the time, ${(((emitting - plain) / n) * 1e6).toFixed(1)} µs more an event), ${(n / total).toFixed(0)} events/s until all were in Redis (${publisher.published} published, ${publisher.dropped} dropped; ${stored} entries in the first run's stream)`);
}

try {
  if (!values['events-only']) await queues();
  await publishing(Number(values.events));
} finally {
  redis.disconnect();
  redisProc.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true });
}

async function queues() {
  const base = await inProcess();
  const perRun = (base / N) * 1000;
  console.log(`${N} trivial runs (core.set), worker concurrency ${C}`);
  console.log(`in-process, one after another: ${(N / base).toFixed(0)} runs/s, ${perRun.toFixed(2)} ms per run`);
  for (const w of [1, 2]) {
    const r = await throughRedis(w);
    const per = (r.seconds / N) * 1000;
    console.log(`Redis queue, ${w} worker(s): ${(N / r.seconds).toFixed(0)} jobs/s, ${per.toFixed(2)} ms per job (overhead ${(per * w * Number(C) - perRun).toFixed(2)} ms per job per slot over in-process); enqueue ${r.enqueueMs.toFixed(2)} ms/job`);
  }
  const l = await throughLocal();
  const per = (l.seconds / N) * 1000;
  console.log(`local queue (SQLite), 1 worker: ${(N / l.seconds).toFixed(0)} jobs/s, ${per.toFixed(2)} ms per job (overhead ${(per * Number(C) - perRun).toFixed(2)} ms); enqueue ${l.enqueueMs.toFixed(2)} ms/job`);
}
