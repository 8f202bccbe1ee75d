#!/usr/bin/env node
// `npm run bench`: runs every bench/*.js except this one, or only the one named: `node bench/run.js engine`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv[2]?.replace(/\.js$/, '');
const all = readdirSync(here).filter((f) => f.endsWith('.js') && f !== 'run.js').sort();
const files = wanted ? all.filter((f) => f === `${wanted}.js`) : all;
if (files.length === 0) {
  console.error(`no benchmark ${wanted ? `"${wanted}" ` : ''}in bench/ (have: ${all.map((f) => f.replace(/\.js$/, '')).join(', ') || 'none'})`);
  process.exit(2);
}
let failed = 0;
for (const f of files) {
  console.log(`\n=== bench/${f}`);
  const r = spawnSync(process.execPath, [join(here, f), ...process.argv.slice(3)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
