#!/usr/bin/env node
/**
 * Demo benchmark (`npm run bench -- demo`; needs `npm run build`): the embedded default
 * `pipelines/demo-short.yaml` through the CLI in a fresh project folder, timed
 *   - cold: nothing cached (TTS, generated images, render, all of it),
 *   - fully cached: the same command again (median of 5), against `mpv2 --version` measured in
 *     the same run, the start-up floor every command pays.
 * Each run is under /usr/bin/time: wall, CPU (user + sys), peak RSS. Target: cached under 1 s.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(REPO, 'bin', 'run.js');

const root = mkdtempSync(join(tmpdir(), 'mpv2-bench-demo-'));
writeFileSync(join(root, 'package.json'), '{ "name": "bench-demo", "private": true }\n');
for (const dir of ['pipelines', 'assets']) cpSync(join(REPO, dir), join(root, dir), { recursive: true });

function timed(args) {
  const log = join(root, 'time.log');
  const r = spawnSync('/usr/bin/time', ['-o', log, '-f', '%e %U %S %M', process.execPath, BIN, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  if (r.status !== 0) throw new Error(`mpv2 ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
  const [e, u, s, m] = readFileSync(log, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { wall: e, cpu: u + s, rssMb: m / 1024 };
}
const median = (runs) => [...runs].sort((a, b) => a.wall - b.wall)[Math.floor(runs.length / 2)];
const show = (name, r, base) => console.log(`${name.padEnd(30)} wall ${r.wall.toFixed(2).padStart(6)} s  cpu ${r.cpu.toFixed(2).padStart(6)} s  rss ${r.rssMb.toFixed(0).padStart(4)} MB${base ? `   ×start-up ${(r.wall / base.wall).toFixed(2)}` : ''}`);

try {
  console.log(`demo pipeline through the CLI; ${availableParallelism()} cores, load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const run = ['run', 'pipelines/demo-short.yaml'];
  const cold = timed(run);
  const cached = median(Array.from({ length: 5 }, () => timed(run)));
  const version = median(Array.from({ length: 5 }, () => timed(['--version'])));
  show('mpv2 --version (start-up)', version);
  show('cold (nothing cached)', cold, version);
  show('fully cached re-run (median)', cached, version);
  console.log(`cached re-run: ${cached.wall.toFixed(2)} s (target < 1 s: ${cached.wall < 1 ? 'met' : 'MISSED'})`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
