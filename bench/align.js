// Alignment benchmark (npm run bench -- align [--quick]): captions' aligner against known truth.
// Plain ESM importing the built code from ../dist (bench/run.js builds it when missing; set
// BENCH_BUILD=1 after changing the source). Each case: a text narrated by espeak-ng in a voice
// that is not the reference's, with its exact word events as the truth, changed by ffmpeg in a
// way whose effect on the times is known (bench/align-cases.js), then aligned against the
// reference narration (the language's default espeak-ng voice) exactly as captions.align does.
// Reports the median and 95th percentile word-start error per case, pooled per language, and
// the time to align 60 s of speech. Targets: median ≤ 50 ms, p95 ≤ 150 ms, 60 s in ≤ 2 s.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasFilter, makeCase, startErrors, TEXTS, VARIANTS } from './align-cases.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = resolve(here, '../dist');
const { referenceSpeech } = await import(join(dist, 'plugins/tts/reference.js'));
const { alignToReference } = await import(join(dist, 'plugins/captions/aligner.js'));
const { decodeFile, decodePcm16 } = await import(join(dist, 'plugins/captions/pcm.js'));
const { findFfmpeg } = await import(join(dist, 'src/infra/ffmpeg.js'));

const quick = process.argv.includes('--quick');
const root = resolve(process.env.MPV2_BENCH_DIR ?? join(tmpdir(), 'mpv2-bench'), 'align');
mkdirSync(root, { recursive: true });
const { ffmpeg } = await findFfmpeg();
const { configSection } = await import(join(dist, 'src/sdk/testing.js'));
const { ttsConfigSchema } = await import(join(dist, 'plugins/tts/config.js'));
// the tts section as the config loader fills it
const ctx = { config: configSection(ttsConfigSchema, {}) };
const TRUTH_VOICE = { en: 'en-us+f3', es: 'es+f2', de: 'de+m3', fr: 'fr+f4' };
const langs = quick ? ['en', 'es'] : ['en', 'es', 'de', 'fr'];
const variants = Object.keys(VARIANTS).filter((v) => !VARIANTS[v].needs || hasFilter(ffmpeg, VARIANTS[v].needs));
const skipped = Object.keys(VARIANTS).filter((v) => !variants.includes(v));
if (skipped.length) console.log(`(this ffmpeg has no ${[...new Set(skipped.map((v) => VARIANTS[v].needs))].join(', ')}: skipping ${skipped.join(', ')})`);

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]); };
const results = [];

async function run(lang, text, variant, name) {
  const truth = await referenceSpeech(ctx, { text, voice: TRUTH_VOICE[lang], rate: 1.1 });
  const ref = await referenceSpeech(ctx, { text, voice: lang });
  const c = makeCase(ffmpeg, truth, variant, root, name);
  const t0 = performance.now();
  const [reference, recording] = await Promise.all([decodePcm16(ref.pcm, ref.sampleRate, root), decodeFile(c.file, root)]);
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const a = alignToReference(reference, ref.words, recording);
  const cpu = process.cpuUsage(cpu0);
  const t2 = performance.now();
  const errors = a.words.map((w, i) => Math.abs(w.start - c.words[i].start) * 1000);
  return { lang, variant, words: a.words.length, seconds: +(recording.length / 16000).toFixed(1), ...startErrors(a.words, c.words), confidence: a.confidence, decodeMs: Math.round(t1 - t0), alignMs: Math.round(t2 - t1), alignCpuMs: Math.round((cpu.user + cpu.system) / 1000), errors };
}

console.log('case            words    s  median   p95   max  conf  align ms (cpu)');
for (const lang of langs) {
  for (const variant of quick ? ['voice', 'all'] : variants) {
    const r = await run(lang, TEXTS[lang], variant, `${lang}-${variant}`);
    results.push(r);
    console.log(`${`${lang} ${variant}`.padEnd(15)} ${String(r.words).padStart(5)} ${String(r.seconds).padStart(5)} ${String(r.median).padStart(6)} ${String(r.p95).padStart(5)} ${String(r.max).padStart(5)} ${r.confidence.toFixed(2).padStart(5)} ${String(r.alignMs).padStart(6)} (${r.alignCpuMs})`);
  }
}

console.log('\npooled per language (every word of every case)');
const summary = {};
for (const lang of langs) {
  const errs = results.filter((r) => r.lang === lang).flatMap((r) => r.errors);
  summary[lang] = { words: errs.length, median: pct(errs, 0.5), p95: pct(errs, 0.95) };
  console.log(`  ${lang}: ${errs.length} words, median ${summary[lang].median} ms, p95 ${summary[lang].p95} ms`);
}
const worst = { median: Math.max(...results.map((r) => r.median)), p95: Math.max(...results.map((r) => r.p95)) };
console.log(`  worst case: median ${worst.median} ms, p95 ${worst.p95} ms (targets 50 / 150)`);

// 60 s of speech: the English paragraph, slowed, padded and with noise (the hardest variant)
const paragraph = readFileSync(join(here, '../test/fixtures/tts/paragraph.txt'), 'utf8');
const long = await run('en', paragraph, 'all', 'en-long');
console.log(`\n60 s: ${long.seconds} s of audio, ${long.words} words: aligned in ${long.alignMs} ms wall, ${long.alignCpuMs} ms CPU (target ≤ 2000 ms); decoding both audios took ${long.decodeMs} ms; median ${long.median} ms, p95 ${long.p95} ms`);

const out = join(root, 'results.json');
writeFileSync(out, `${JSON.stringify({ cases: results.map(({ errors, ...r }) => r), summary, worst, long: (({ errors, ...r }) => r)(long) }, null, 2)}\n`);
console.log(`results: ${out}`);
const pass = worst.median <= 50 && worst.p95 <= 150 && long.alignMs <= 2000;
console.log(pass ? 'all targets met' : 'some targets missed (see above)');
