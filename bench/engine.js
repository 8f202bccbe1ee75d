#!/usr/bin/env node
/**
 * Engine benchmark (`npm run bench` or `node bench/engine.js`; needs `npm run build`):
 *   - 1,000 core.set steps in a chain and 1,000 independent ones: wall time, engine overhead
 *     per step, peak RSS (each scenario in its own process so peaks do not mix)
 *   - a fully cached re-run of a 20-step pipeline through the CLI (wall, start-up included)
 *   - `mpv2 --version` start-up (median of 5)
 * Targets: 2 ms/step, 1 s, 300 ms.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..');
const BIN = join(REPO, 'bin', 'run.js');
const N = Number(process.env.BENCH_STEPS ?? 1000);

function project(files) {
  const root = mkdtempSync(join(tmpdir(), 'mpv2-bench-'));
  writeFileSync(join(root, 'package.json'), '{ "name": "bench", "private": true }\n');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

function chainYaml(n) {
  const lines = ['name: chain', 'steps:', '  - id: s0', '    uses: core.set', '    with: { v: 0 }'];
  for (let i = 1; i < n; i++) lines.push(`  - id: s${i}`, '    uses: core.set', `    with: { v: "\${{ steps.s${i - 1}.outputs.v }}", i: ${i} }`);
  return `${lines.join('\n')}\n`;
}

function parallelYaml(n) {
  const lines = ['name: parallel', 'steps:'];
  for (let i = 0; i < n; i++) lines.push(`  - id: s${i}`, '    uses: core.set', `    with: { i: ${i} }`);
  return `${lines.join('\n')}\n`;
}

/** Child mode: runs one scenario in-process and prints one JSON line. */
async function scenario(kind, noCache) {
  const { openProject } = await import(join(REPO, 'dist/src/engine/project.js'));
  const { prepareRun, executePrepared } = await import(join(REPO, 'dist/src/engine/run.js'));
  const root = project({ 'p.yaml': kind === 'chain' ? chainYaml(N) : parallelYaml(N) });
  try {
    const proj = await openProject({ cwd: root, env: {} });
    let events = 0;
    const req = { project: proj, cwd: root, file: 'p.yaml', signal: new AbortController().signal, sink: () => { events++; }, concurrency: kind === 'chain' ? 1 : 16, noCache };
    const t0 = performance.now();
    const prep = await prepareRun(req);
    const t1 = performance.now();
    const cpu0 = process.cpuUsage();
    const out = await executePrepared(req, prep);
    const t2 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    if (out.result.status !== 'succeeded') throw new Error(`run ${out.result.status}: ${out.result.error?.message}`);
    proj.close();
    console.log(JSON.stringify({ prepareMs: t1 - t0, executeMs: t2 - t1, cpuMs: (cpu.user + cpu.system) / 1000, events, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function child(kind, noCache) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--scenario', kind, noCache ? '--no-cache' : ''], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scenario ${kind} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function timeCli(args, cwd) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`mpv2 ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return { ms, stdout: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  // wall times on a busy machine are inflated: say how busy it was
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`);
  const rows = [];
  const verdict = (value, target) => `${(value / target).toFixed(2)}× ${value <= target ? 'ok' : 'MISS'}`;
  for (const kind of ['chain', 'parallel']) {
    for (const noCache of [false, true]) {
      const r = child(kind, noCache);
      const perStep = r.executeMs / N;
      rows.push([`${N} core.set, ${kind}${noCache ? ', --no-cache' : ''}`, `${(r.executeMs / 1000).toFixed(2)} s run (${(r.cpuMs / 1000).toFixed(2)} s CPU) + ${Math.round(r.prepareMs)} ms validate`, `${perStep.toFixed(2)} ms/step`, `${r.maxRssMb.toFixed(0)} MB peak RSS`, verdict(perStep, 2)]);
    }
  }

  const lines = ['name: twenty', 'steps:', '  - id: s0', '    uses: core.set', '    with: { v: 0 }'];
  for (let i = 1; i < 20; i++) lines.push(`  - id: s${i}`, '    uses: core.set', `    with: { v: "\${{ steps.s${i - 1}.outputs.v }}", i: ${i} }`);
  const root = project({ 'p.yaml': `${lines.join('\n')}\n` });
  try {
    timeCli(['run', 'p.yaml', '--json'], root); // fills the cache
    const times = [];
    for (let i = 0; i < 3; i++) {
      const { ms, stdout } = timeCli(['run', 'p.yaml', '--json'], root);
      const fin = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.event === 'step.finished');
      if (fin.length !== 20 || !fin.every((e) => e.cached)) throw new Error('the re-run was not fully cached');
      times.push(ms);
    }
    rows.push(['cached re-run, 20 steps, CLI', `${Math.round(median(times))} ms wall (median of 3)`, '', '', verdict(median(times), 1000)]);
    const v = [];
    for (let i = 0; i < 5; i++) v.push(timeCli(['--version'], root).ms);
    rows.push(['mpv2 --version', `${Math.round(median(v))} ms (median of 5)`, '', '', verdict(median(v), 300)]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }

  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
  console.log('targets: engine overhead 2 ms/step; cached 20-step re-run 1 s; --version 300 ms');
}

const i = process.argv.indexOf('--scenario');
if (i >= 0) await scenario(process.argv[i + 1], process.argv.includes('--no-cache'));
else await main();
