#!/usr/bin/env node
/**
 * Scale benchmark (`npm run bench -- scale`; needs `npm run build`): a chain of core.set steps,
 * each reading the previous one, at 5,000 and 20,000 steps (BENCH_SCALE_SIZES=5000,20000),
 * each size in its own process. Reports milliseconds per step to load and validate the file
 * and to run it (journal, events and plain output included), and the ratio of the per-step
 * times of the largest size to the smallest: about 1 when the engine is linear in the step
 * count (it was 10 before the ready queue: 5,000 steps 3.9 s, 10,000 steps 39 s).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = (process.env.BENCH_SCALE_SIZES ?? '5000,20000').split(',').map(Number);

function chainYaml(n) {
  const lines = ['name: chain', 'steps:', '  - id: s0', '    uses: core.set', '    with: { v: 0 }'];
  for (let i = 1; i < n; i++) lines.push(`  - id: s${i}`, '    uses: core.set', `    with: { v: "\${{ steps.s${i - 1}.outputs.v }}", i: ${i} }`);
  return `${lines.join('\n')}\n`;
}

/** Child mode: one size in-process, one JSON line out. */
async function scenario(n) {
  const { openProject } = await import(join(REPO, 'dist/src/engine/project.js'));
  const { prepareRun, executePrepared } = await import(join(REPO, 'dist/src/engine/run.js'));
  const { plainSink } = await import(join(REPO, 'dist/src/cli/output/plain.js'));
  const root = mkdtempSync(join(tmpdir(), 'mpv2-bench-scale-'));
  writeFileSync(join(root, 'package.json'), '{ "name": "bench-scale", "private": true }\n');
  writeFileSync(join(root, 'chain.yaml'), chainYaml(n));
  try {
    const project = await openProject({ cwd: root, env: {}, lazyPlugins: true });
    let bytes = 0;
    const out = plainSink((s) => { bytes += s.length; });
    const req = { project, cwd: root, file: 'chain.yaml', signal: new AbortController().signal, sink: out.sink, concurrency: 4, noCache: true };
    const t0 = performance.now();
    const prep = await prepareRun(req);
    const t1 = performance.now();
    const outcome = await executePrepared(req, prep);
    const t2 = performance.now();
    if (outcome.result.status !== 'succeeded') throw new Error(`run ${outcome.result.status}: ${outcome.result.error?.message}`);
    project.close();
    console.log(JSON.stringify({ n, validateMs: t1 - t0, runMs: t2 - t1, outputBytes: bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function child(n) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--scenario', String(n)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`scenario ${n} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function main() {
  // wall times on a busy machine are inflated: say how busy it was
  console.log(`chain of core.set steps; ${availableParallelism()} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const rows = SIZES.map(child);
  for (const r of rows) {
    const per = (ms) => (ms / r.n).toFixed(3).padStart(7);
    console.log(`${String(r.n).padStart(7)} steps  validate ${per(r.validateMs)} ms/step  run ${per(r.runMs)} ms/step  total ${per(r.validateMs + r.runMs)} ms/step  (${((r.validateMs + r.runMs) / 1000).toFixed(1)} s, ${r.maxRssMb.toFixed(0)} MB peak RSS)`);
  }
  const [small, large] = [rows[0], rows[rows.length - 1]];
  const ratio = (f) => (f(large) / large.n / (f(small) / small.n)).toFixed(2);
  console.log(`per-step time ${large.n} vs ${small.n} steps: validate ×${ratio((r) => r.validateMs)}, run ×${ratio((r) => r.runMs)}, total ×${ratio((r) => r.validateMs + r.runMs)} (linear: ≈ 1)`);
}

const i = process.argv.indexOf('--scenario');
if (i >= 0) await scenario(Number(process.argv[i + 1]));
else main();
