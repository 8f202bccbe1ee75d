#!/usr/bin/env node
// Builds the web studio (studio/src) into dist/studio: one minified bundle of preact + the views
// and one stylesheet, both with content-hashed names (served with long cache lifetimes), and an
// index.html that names them. Nothing is fetched at run time from anywhere but the server.
// `npm run build` runs it, so `npm ci` (prepare) builds the studio of a fresh clone.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist', 'studio');
/** The budget of the issue: the studio's JavaScript stays under this. */
const MAX_JS_BYTES = 300 * 1024;

// A server may be serving dist/studio while it is rebuilt (a test, `npm run build` beside a
// running `mpv2 serve`): every file is written whole under a temporary name and renamed into
// place, index.html last, and only then are the assets of the previous build removed.
const assets = join(out, 'assets');
mkdirSync(assets, { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { app: 'studio/src/main.tsx' },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: assets,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  write: false,
  legalComments: 'none',
  logLevel: 'warning',
});

const writeWhole = (file, data) => {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
};
const files = result.outputFiles.map((f) => f.path);
for (const f of result.outputFiles) writeWhole(f.path, f.contents);
const js = files.filter((f) => f.endsWith('.js'));
const css = files.filter((f) => f.endsWith('.css'));
const template = readFileSync(join(root, 'studio', 'index.html'), 'utf8');
const html = template
  .replace('<!--styles-->', css.map((f) => `<link rel="stylesheet" href="/assets/${basename(f)}">`).join(''))
  .replace('<!--scripts-->', js.map((f) => `<script type="module" src="/assets/${basename(f)}"></script>`).join(''));
writeWhole(join(out, 'index.html'), html);
const current = new Set(files.map((f) => basename(f)));
for (const name of readdirSync(assets)) if (!current.has(name)) rmSync(join(assets, name), { force: true });

const jsBytes = js.reduce((n, f) => n + readFileSync(f).length, 0);
const gzBytes = js.reduce((n, f) => n + gzipSync(readFileSync(f)).length, 0);
const report = { jsBytes, jsGzipBytes: gzBytes, cssBytes: css.reduce((n, f) => n + readFileSync(f).length, 0) };
writeWhole(join(out, 'build.json'), `${JSON.stringify(report)}\n`);
if (jsBytes > MAX_JS_BYTES) {
  console.error(`studio: ${jsBytes} bytes of JavaScript is over the ${MAX_JS_BYTES}-byte budget`);
  process.exit(1);
}
if (!process.argv.includes('--quiet')) console.log(`studio: dist/studio, ${(jsBytes / 1024).toFixed(1)} KB JS (${(gzBytes / 1024).toFixed(1)} KB gzip), ${(report.cssBytes / 1024).toFixed(1)} KB CSS`);
