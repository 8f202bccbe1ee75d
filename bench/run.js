// npm run bench [-- <name> [flags]]: builds dist/ if needed, then runs bench/<name>.js (default: render).
// Benchmarks are plain ESM importing the compiled code, so they need no TypeScript loader.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const argv = process.argv.slice(2);
const name = argv[0] && !argv[0].startsWith('-') ? argv.shift() : 'render';
const script = join(here, `${name}.js`);
const flags = argv;
if (!existsSync(join(here, '../dist/plugins/video/render.js')) || process.env.BENCH_BUILD === '1') {
  const b = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', cwd: join(here, '..') });
  if (b.status !== 0) console.warn('build reported errors; running with what was emitted');
}
const r = spawnSync(process.execPath, [script, ...flags], { stdio: 'inherit' });
process.exit(r.status ?? 1);
