#!/usr/bin/env node
// npm run bench -- serve [--runs 200]: what `mpv2 serve` adds to a run. The same trivial pipeline
// (two core.set steps) is run N times the way `mpv2 run` runs it (prepareRun + executePrepared in
// this process) and N times through the API (POST /api/runs, then the SSE stream until
// run.finished), on a real server on 127.0.0.1. Prints the median and p95 of each and the
// difference (target: under 50 ms), and the SSE latency: the time from the engine's event
// (its `time`, stamped when emitted) to the client reading it, for every event of every run
// (target: under 20 ms). One process, one clock.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = (p) => join(here, '..', 'dist', 'src', p);
const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const N = Number(values.runs);

const { openProject } = await import(dist('engine/project.js'));
const { prepareRun, executePrepared } = await import(dist('engine/run.js'));
const { startServer } = await import(dist('serve/server.js'));

const root = mkdtempSync(join(tmpdir(), 'mpv2-bench-serve-'));
writeFileSync(join(root, 'package.json'), '{ "name": "bench", "private": true }\n');
mkdirSync(join(root, 'pipelines'));
// paced: its events come while the client listens (core.wait between steps), for the SSE latency
writeFileSync(join(root, 'pipelines', 'paced.yaml'), 'name: paced\nsteps:\n  - id: w1\n    uses: core.wait\n    with: { seconds: 0.05 }\n  - id: a\n    uses: core.set\n    needs: w1\n    with: { v: 1 }\n  - id: w2\n    uses: core.wait\n    needs: a\n    with: { seconds: 0.05 }\n  - id: b\n    uses: core.set\n    needs: w2\n    with: { v: 2 }\n');
writeFileSync(join(root, 'pipelines', 'trivial.yaml'), 'name: trivial\ninputs:\n  n: { type: number }\nsteps:\n  - id: a\n    uses: core.set\n    with: { n: "${{ inputs.n }}" }\n  - id: b\n    uses: core.set\n    with: { m: "${{ steps.a.outputs.n }}" }\n');

const project = await openProject({ cwd: root, lazyPlugins: true });
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const fmt = (ms) => `${ms.toFixed(1)} ms`;

async function cliWay(i) {
  const t0 = performance.now();
  const req = { project, cwd: root, file: 'pipelines/trivial.yaml', inputs: { n: i }, signal: new AbortController().signal, sink: () => undefined };
  await executePrepared(req, await prepareRun(req));
  return performance.now() - t0;
}

const server = await startServer({ project, host: '127.0.0.1', port: 0, studioDir: join(root, 'none') });
const base = server.url.replace(/\/$/, '');
const latencies = [];

async function apiWay(i, pipeline = 'trivial') {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pipeline, inputs: pipeline === 'trivial' ? { n: i } : {} }) });
  const { runId } = await res.json();
  const stream = await fetch(`${base}/api/runs/${runId}/events`);
  const subscribed = Date.now();
  const reader = stream.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    const now = Date.now();
    buf += decoder.decode(r.value, { stream: true });
    let k;
    while ((k = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, k);
      buf = buf.slice(k + 2);
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (!data) continue;
      const e = JSON.parse(data.slice(6));
      // events from before the client subscribed are replayed: only live ones measure latency
      if (Date.parse(e.time) >= subscribed) latencies.push(now - Date.parse(e.time));
    }
  }
  return performance.now() - t0;
}

// warm both paths (plugin loading, SQLite statements, JIT) before measuring
for (let i = 0; i < 10; i++) { await cliWay(-i); await apiWay(-i); }
latencies.length = 0;
const cli = [];
const api = [];
for (let i = 0; i < N; i++) {
  cli.push(await cliWay(i));
  api.push(await apiWay(i));
}
latencies.length = 0;
for (let i = 0; i < Math.max(10, N / 5); i++) await apiWay(i, 'paced');
await server.close();
project.close();
rmSync(root, { recursive: true, force: true });

console.log(`runs: ${N} each, alternating; pipeline: 2 core.set steps`);
console.log(`CLI way (prepareRun + executePrepared)   median ${fmt(pct(cli, 0.5))}  p95 ${fmt(pct(cli, 0.95))}`);
console.log(`API way (POST /api/runs + SSE to the end) median ${fmt(pct(api, 0.5))}  p95 ${fmt(pct(api, 0.95))}`);
console.log(`API overhead: median ${fmt(pct(api, 0.5) - pct(cli, 0.5))} (target < 50 ms)`);
console.log(`SSE latency (engine event → client; live events of ${Math.max(10, N / 5)} paced runs), ${latencies.length} events: median ${fmt(pct(latencies, 0.5))}  p95 ${fmt(pct(latencies, 0.95))}  max ${fmt(Math.max(...latencies))} (target < 20 ms)`);
