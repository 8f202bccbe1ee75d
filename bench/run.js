#!/usr/bin/env node
// npm run bench [-- <name> [flags]]: builds dist/ if needed, then runs bench/<name>.js, or every
// benchmark in BENCHES when no name is given. Benchmarks are plain ESM importing the compiled
// code, so they need no TypeScript loader. Helper modules (render-inputs.js) are not benchmarks.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every benchmark, by file name without `.js`. */
const BENCHES = ['engine', 'scale', 'render', 'demo', 'llm', 'queue', 'serve', 'studio', 'align'];

const here = fileURLToPath(new URL('.', import.meta.url));
const argv = process.argv.slice(2);
const name = argv[0] && !argv[0].startsWith('-') ? argv.shift() : undefined;
const names = name ? [name] : BENCHES;
for (const n of names) {
  if (!existsSync(join(here, `${n}.js`))) {
    console.error(`no benchmark "${n}" in bench/ (have: ${BENCHES.join(', ')})`);
    process.exit(2);
  }
}
const built = ['../dist/src/engine/run.js', '../dist/plugins/video/render.js'].every((f) => existsSync(join(here, f)));
if (!built || process.env.BENCH_BUILD === '1') {
  const b = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', cwd: join(here, '..') });
  if (b.status !== 0) console.warn('build reported errors; running with what was emitted');
}
let failed = 0;
for (const n of names) {
  if (names.length > 1) console.log(`\n=== bench/${n}.js`);
  const r = spawnSync(process.execPath, [join(here, `${n}.js`), ...argv], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
