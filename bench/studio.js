#!/usr/bin/env node
// npm run bench -- studio [--loads 5]: the web studio's first load on the loopback — the bytes of
// JavaScript (raw and gzipped, from the build) and what the browser transferred, and the time
// from navigation start until the pipelines catalogue is on screen and usable, in Debian's
// Chromium against a real `mpv2 serve` (cold: a fresh browser cache; warm: reloads).
// Target (issue 15): under 300 KB of JavaScript.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '..');
const dist = (p) => join(repo, 'dist', 'src', p);
const { values } = parseArgs({ options: { loads: { type: 'string', default: '5' } } });
const LOADS = Number(values.loads);

execFileSync(process.execPath, [join(repo, 'studio', 'build.mjs'), '--quiet'], { cwd: repo });
const build = JSON.parse(readFileSync(join(repo, 'dist', 'studio', 'build.json'), 'utf8'));

const { openProject } = await import(dist('engine/project.js'));
const { startServer } = await import(dist('serve/server.js'));
const { createBrowserFactory } = await import(dist('infra/browser/index.js'));

const root = mkdtempSync(join(tmpdir(), 'mpv2-bench-studio-'));
writeFileSync(join(root, 'package.json'), '{ "name": "bench", "private": true }\n');
mkdirSync(join(root, 'pipelines'));
writeFileSync(join(root, 'pipelines', 'hello.yaml'), 'name: hello\ninputs:\n  who: { type: string, default: world }\nsteps:\n  - id: s\n    uses: core.set\n    with: { text: "hi ${{ inputs.who }}" }\n');
const project = await openProject({ cwd: root, lazyPlugins: true });
const server = await startServer({ project, host: '127.0.0.1', port: 0, studioDir: join(repo, 'dist', 'studio') });
const factory = createBrowserFactory({ locksDir: join(root, 'locks'), log: { debug() {}, info() {}, warn() {} } });

// in the page: wait for the catalogue's first link, then report the time since navigation start
// and the bytes the page's resources took on the wire
const MEASURE = `
  const done = arguments[arguments.length - 1];
  const tick = () => {
    if (!document.querySelector('.cards a')) return requestAnimationFrame(tick);
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    done({ ms: performance.now(), bytes: nav.transferSize + res.reduce((n, r) => n + r.transferSize, 0),
      js: res.filter((r) => r.name.endsWith('.js')).reduce((n, r) => n + r.encodedBodySize, 0) });
  };
  tick();`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const session = await factory.open();
  const d = session.driver;
  await d.get(server.url);
  const cold = await d.executeAsyncScript(MEASURE);
  const warm = [];
  for (let i = 0; i < LOADS; i++) {
    await d.navigate().refresh();
    warm.push(await d.executeAsyncScript(MEASURE));
  }
  await session.close();
  console.log(`studio JavaScript: ${(build.jsBytes / 1024).toFixed(1)} KB (${(build.jsGzipBytes / 1024).toFixed(1)} KB gzip; budget 300 KB), CSS ${(build.cssBytes / 1024).toFixed(1)} KB`);
  console.log(`first load (cold cache): ${cold.ms.toFixed(0)} ms to the usable catalogue, ${(cold.bytes / 1024).toFixed(1)} KB transferred (${(cold.js / 1024).toFixed(1)} KB of it JavaScript)`);
  console.log(`reload (warm cache, median of ${LOADS}): ${median(warm.map((w) => w.ms)).toFixed(0)} ms, ${(median(warm.map((w) => w.bytes)) / 1024).toFixed(1)} KB transferred`);
} finally {
  await factory.closeAll();
  await server.close();
  project.close();
  rmSync(root, { recursive: true, force: true });
}
