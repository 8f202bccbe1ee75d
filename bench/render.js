// Render benchmark (npm run bench -- render [--quick] [--brand] [--long] [--skip-naive]).
// Plain ESM importing the built plugin from ../dist (run `npm run build` first; bench/run.js does).
// Every ffmpeg run is measured with /usr/bin/time: wall, CPU (user+sys) and peak RSS.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { makeNarration, makeStills } from './render-inputs.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = resolve(here, '../dist');
const { default: render } = await import(join(dist, 'plugins/video/render.js'));
const { resolveInside } = await import(join(dist, 'src/infra/paths.js'));
const { findFfmpeg } = await import(join(dist, 'src/infra/ffmpeg.js'));
const { planEncoder } = await import(join(dist, 'plugins/video/encoder.js'));

const args = new Set(process.argv.slice(2));
// the plugin's own defaults, so the benchmark measures what users get
const props = render.input.properties;
const DEF = { crf: props.crf.default, preset: props.preset.default };
// inputs are cached between runs in the temp folder; results.json lands there too
const root = resolve(process.env.MPV2_BENCH_DIR ?? join(tmpdir(), 'mpv2-bench'));
mkdirSync(join(root, 'inputs'), { recursive: true });
const info = await findFfmpeg();
const real = info.ffmpeg;
const log = join(root, 'time.log');

// a wrapper that runs the real ffmpeg under /usr/bin/time, so the plugin's own command is measured
const wrapper = join(root, 'ffmpeg-timed');
writeFileSync(wrapper, `#!/bin/sh\nexec /usr/bin/time -a -o "${log}" -f '@@ %e %U %S %M %C' "${real}" "$@"\n`);
chmodSync(wrapper, 0o755);

function parseTimes() {
  // one record per run; the command line itself may span lines (the filter graph has newlines)
  const runs = `\n${readFileSync(log, 'utf8')}`.split('\n@@ ').slice(1).map((l) => {
    const [e, u, s, m, ...cmd] = l.split(' ');
    return { wall: +e, cpu: +u + +s, rssMb: +m / 1024, cmd: cmd.join(' ') };
  });
  rmSync(log, { force: true });
  return runs;
}

function timed(ffArgs) {
  rmSync(log, { force: true });
  const r = spawnSync(wrapper, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...ffArgs], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr.slice(-2000)}`);
  return parseTimes()[0];
}

function ctxFor(stepId, config = {}) {
  const workdir = join(root, 'runs', stepId);
  rmSync(workdir, { recursive: true, force: true });
  mkdirSync(workdir, { recursive: true });
  const noop = () => {};
  return {
    runId: 'bench', stepId, log: { debug: noop, info: noop, warn: (m) => console.warn(`  warn: ${m}`), error: noop },
    signal: new AbortController().signal, limit: (_n, fn) => fn(), cache: { wrap: (_k, _t, fn) => fn() },
    secrets: {}, config: { ffmpeg: { path: wrapper }, ...config }, workdir, root,
    resolvePath: (p) => resolveInside({ root }, root, p), store: {}, progress: noop, skip: (r) => { throw new Error(r); },
    dryRun: false, effect: (_k, act) => act(),
  };
}

async function renderRun(stepId, input, config) {
  rmSync(log, { force: true });
  const t0 = process.hrtime.bigint();
  const out = await render.run(ctxFor(stepId, config), {
    aspect: '9:16', fps: 30, crf: DEF.crf, preset: DEF.preset, kenBurns: 1.12, transition: 'crossfade', transitionSec: 0.5,
    thumbnail: true, contactSheet: true, output: 'video.mp4', ...input,
  });
  const total = Number(process.hrtime.bigint() - t0) / 1e9;
  const runs = parseTimes();
  const main = runs.filter((r) => r.cmd.includes('+faststart')).pop();
  // the soundtrack is mixed by its own ffmpeg while the stills are prepared, before the main pass
  const soundtrack = runs.find((r) => r !== main && /soundtrack\.m4a\s*$/.test(r.cmd));
  const extras = runs.filter((r) => r !== main).reduce((a, r) => ({ wall: a.wall + r.wall, cpu: a.cpu + r.cpu }), { wall: 0, cpu: 0 });
  return { ...main, pluginWall: total, extras, soundtrack, out };
}

function ssim(a, b) {
  const r = spawnSync(real, ['-hide_banner', '-nostdin', '-i', a, '-i', b, '-lavfi', '[0:v][1:v]ssim', '-f', 'null', '-'], { encoding: 'utf8' });
  return Number(/All:([\d.]+)/.exec(r.stderr)?.[1]);
}

const line = (name, r, base) => console.log(
  `${name.padEnd(34)} wall ${r.wall.toFixed(1).padStart(6)} s  cpu ${r.cpu.toFixed(1).padStart(6)} s  rss ${r.rssMb.toFixed(0).padStart(5)} MB` +
  (base ? `   ×floor wall ${(r.wall / base.wall).toFixed(2)} cpu ${(r.cpu / base.cpu).toFixed(2)} rss ${(r.rssMb / base.rssMb).toFixed(2)}` : ''));

console.log(`ffmpeg: ${real}; ${(await import('node:os')).cpus().length} cores; load ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
const stills = await makeStills(join(root, 'inputs'));
const narr = makeNarration(join(root, 'inputs'), 60);
const common = { images: stills, audio: narr.file, captions: narr.words, captionStyle: { style: 'karaoke' }, title: 'The ocean is still a mystery', music: { file: 'builtin:music/calm-pads.m4a', volume: 0.12, duck: true, fadeIn: 1.5, fadeOut: 2.5 } };
const results = {};

if (args.has('--quick')) {
  const q = await renderRun('quick', { ...common, quality: 'draft' });
  line('quick render (540x960, draft)', q);
  console.log(`  plugin wall incl. image prep, probes, thumbnail, sheet: ${q.pluginWall.toFixed(1)} s (other ffmpeg calls: ${q.extras.cpu.toFixed(1)} s cpu) -> ${q.out.file}`);
  process.exit(0);
}

if (args.has('--brand')) {
  // the brand kit's cost: the same 20-second 1080x1920 render (music, karaoke captions) without
  // the brand, with a logo and brand colours, and with the whole kit (logo, an intro card and an
  // outro card of 1.5 s each, branded captions and title font), alternated and repeated (the least
  // of each counts: the machine is shared). The intro and outro add 3 s of video, so the full
  // kit is given as a raw ratio and as a ratio per second of output.
  const { default: sharp } = await import('sharp');
  const logo = join(root, 'inputs', 'brand-logo.png');
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><circle cx="200" cy="200" r="190" fill="#e11d48"/><text x="200" y="250" font-size="150" text-anchor="middle" fill="#fff" font-family="sans-serif">MP</text></svg>';
  await sharp(Buffer.from(svg)).png().toFile(logo);
  const short = makeNarration(join(root, 'inputs'), 20);
  const base = { ...common, audio: short.file, captions: short.words, thumbnail: false, contactSheet: false };
  const kit = { logo: { file: logo, position: 'top-right', size: 0.16, opacity: 0.85 }, colors: { text: '#FFFFFF', highlight: '#22D3EE', title: '#22D3EE' }, titleFont: 'Montserrat ExtraBold' };
  const full = { ...kit, intro: { text: 'Ocean Facts', background: '#0B1E3F', duration: 1.5 }, outro: { text: 'Subscribe for more', background: '#0B1E3F', duration: 1.5 } };
  const runs = { without: [], logo: [], full: [] };
  for (let i = 0; i < 3; i++) {
    runs.without.push(await renderRun('brand-without', base));
    runs.logo.push(await renderRun('brand-logo', { ...base, brand: kit }));
    runs.full.push(await renderRun('brand-full', { ...base, brand: full }));
  }
  const best = (rs, k) => Math.min(...rs.map((r) => r[k]));
  for (const [name, rs] of Object.entries(runs)) console.log(`  ${name.padEnd(8)} runs, main pass wall/cpu: ${rs.map((r) => `${r.wall.toFixed(1)}/${r.cpu.toFixed(1)}`).join('  ')}`);
  const secs = (rs) => rs[0].out.durationSec;
  console.log(`output: without ${secs(runs.without).toFixed(2)} s, logo ${secs(runs.logo).toFixed(2)} s, full kit ${secs(runs.full).toFixed(2)} s of video`);
  for (const k of ['wall', 'cpu', 'pluginWall']) {
    const [a, l, f] = [best(runs.without, k), best(runs.logo, k), best(runs.full, k)];
    const perSec = (f / secs(runs.full)) / (a / secs(runs.without));
    console.log(`brand kit, 20 s 1080x1920, ${k === 'pluginWall' ? 'whole step wall' : `main pass ${k}`}: without ${a.toFixed(2)} s; logo+colours ${l.toFixed(2)} s (ratio ${(l / a).toFixed(3)}); full kit ${f.toFixed(2)} s (ratio ${(f / a).toFixed(3)}, per output second ${perSec.toFixed(3)})`);
  }
  process.exit(0);
}

const def = await renderRun('default', common);
results.default = def;
// exactly the plugin's libx264 arguments, so the baselines pay the same encoder cost
const codec = planEncoder(info, 'libx264', { crf: DEF.crf, preset: DEF.preset, fps: 30 }).args;
// (a) encode floor: decode the render and encode exactly its frames again, no filters
results.floor = timed(['-i', def.out.file, '-map', '0:v', ...codec, join(root, 'floor.mp4')]);
// (b) stills slideshow: the same 12 stills for equal durations, no motion, captions or mixing
const per = 60 / stills.length;
const slideIn = stills.flatMap((s) => ['-framerate', '30', '-i', s]);
const slideGraph = stills.map((_, i) => `[${i}:v]scale=1080:1920,format=yuv420p,loop=loop=${per * 30 - 1}:size=1,setpts=N/30/TB[v${i}]`).join(';') + `;${stills.map((_, i) => `[v${i}]`).join('')}concat=n=${stills.length}:v=1:a=0[v]`;
results.slideshow = timed([...slideIn, '-i', narr.file, '-filter_complex', slideGraph, '-map', '[v]', '-map', `${stills.length}:a`, ...codec, '-c:a', 'aac', '-b:a', '160k', '-movflags', '+faststart', join(root, 'slideshow.mp4')]);
// (c) naive pass: zoompan Ken Burns + xfade + captions + music in one command, x264 default preset
if (!args.has('--skip-naive')) {
  const d = 60 / stills.length + 0.5;
  const naiveIn = stills.flatMap((s) => ['-loop', '1', '-t', String(d), '-framerate', '30', '-i', s]);
  let g = stills.map((_, i) => `[${i}:v]zoompan=z='min(zoom+0.0008,1.2)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=1080x1920:fps=30,format=yuv420p[v${i}]`).join(';');
  let prev = 'v0';
  for (let i = 1; i < stills.length; i++) { g += `;[${prev}][v${i}]xfade=transition=fade:duration=0.5:offset=${(i * (d - 0.5)).toFixed(3)}[x${i}]`; prev = `x${i}`; }
  const ass = join(def.out.file, '..', 'captions.ass');
  const fonts = readFileSync(ass, 'utf8') && join(root, '.mpv2', 'fonts');
  const fontDir = execFileSync('ls', [fonts], { encoding: 'utf8' }).trim().split('\n')[0];
  g += `;[${prev}]ass=${ass}:fontsdir=${join(fonts, fontDir)}[v];[${stills.length}:a]aformat=sample_rates=48000:channel_layouts=stereo,asplit[n][k];[${stills.length + 1}:a]aformat=sample_rates=48000:channel_layouts=stereo,volume=0.12[m];[m][k]sidechaincompress[d];[n][d]amix=inputs=2:duration=first[a]`;
  const music = resolve(here, '../assets/music/calm-pads.m4a');
  results.naive = timed([...naiveIn, '-i', narr.file, '-stream_loop', '-1', '-i', music, '-filter_complex', g, '-map', '[v]', '-map', '[a]', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-t', '60', join(root, 'naive.mp4')]);
}
// (d) quality reference: the same timeline at preset slow, crf 16
const ref = await renderRun('reference', { ...common, preset: 'slow', crf: 16 });
results.reference = ref;
results.ssim = ssim(def.out.file, ref.out.file);

console.log(`\n60-second 1080x1920 short (x264 ${DEF.preset}, crf ${DEF.crf}), 12 stills, narration, music, karaoke captions, Ken Burns, crossfades`);
line('default render (one pass)', def, results.floor);
if (def.soundtrack) {
  line('  + soundtrack mix (during prep)', def.soundtrack);
  console.log(`  render CPU incl. soundtrack ×floor ${((def.cpu + def.soundtrack.cpu) / results.floor.cpu).toFixed(2)}`);
}
line('(a) encode floor (decode+encode)', results.floor, results.floor);
line('(b) stills slideshow', results.slideshow, results.floor);
if (results.naive) line('(c) naive zoompan+xfade, medium', results.naive, results.floor);
line('(d) quality reference slow/crf16', ref, results.floor);
if (results.naive) console.log(`default vs naive: ${(results.naive.wall / def.wall).toFixed(2)}× faster (wall), ${(results.naive.cpu / def.cpu).toFixed(2)}× less CPU`);
console.log(`SSIM default vs reference: ${results.ssim.toFixed(4)}   plugin wall incl. image prep and probes: ${def.pluginWall.toFixed(1)} s`);

if (args.has('--long')) {
  const long = makeNarration(join(root, 'inputs'), 600);
  const l = await renderRun('long', { ...common, audio: long.file, captions: long.words });
  line('10-minute variant', l);
  console.log(`10-min / 1-min peak RSS: ${(l.rssMb / def.rssMb).toFixed(2)}   wall ratio ${(l.wall / def.wall).toFixed(1)}`);
  results.long = l;
}
writeFileSync(join(root, 'results.json'), JSON.stringify(results, (k, v) => (k === 'out' ? undefined : v), 2));
