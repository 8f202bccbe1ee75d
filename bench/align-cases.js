// Truth-known alignment cases, shared by bench/align.js and test/*/captions: a narration whose
// word times are exact (espeak-ng's word events) is turned into a variant with ffmpeg by a
// change whose effect on the times is known — a stretch by a known factor (asetrate+aresample
// resamples the whole signal, so every onset scales exactly; rubberband keeps onsets in place
// up to its hop), a pitch shift (times unchanged), leading silence (times shift), quiet noise
// or a tone bed under the voice (times unchanged). Blocking calls are fine here: these build
// inputs before anything is measured.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The variants, by name: the ffmpeg filter after the input and what it does to the times. */
export const VARIANTS = {
  voice: { about: 'another voice and speed, unchanged', filter: '', scale: 1, shift: 0 },
  slower: { about: 'resampled 0.85× (asetrate+aresample): slower and lower', rate: 0.85, filter: '', scale: 1, shift: 0 },
  faster: { about: 'resampled 1.15× (asetrate+aresample): faster and higher', rate: 1.15, filter: '', scale: 1, shift: 0 },
  stretched: { about: 'rubberband tempo 0.8 (pitch kept)', filter: 'rubberband=tempo=0.8', scale: 1 / 0.8, shift: 0, needs: 'rubberband' },
  repitched: { about: 'rubberband pitch ×1.25 (time kept)', filter: 'rubberband=pitch=1.25', scale: 1, shift: 0, needs: 'rubberband' },
  padded: { about: '1.5 s of silence before, 2 s after', filter: 'adelay=1500:all=1,apad=pad_dur=2', scale: 1, shift: 1.5 },
  noise: { about: 'pink noise 26 dB under the voice', mix: 'anoisesrc=color=pink:amplitude=0.05:sample_rate=16000', scale: 1, shift: 0 },
  music: { about: 'a pulsing three-tone bed 20 dB under the voice', mix: "aevalsrc='0.04*sin(2*PI*220*t)+0.03*sin(2*PI*277.2*t)+0.03*sin(2*PI*329.6*t)*(0.6+0.4*sin(2*PI*2*t))':s=16000", scale: 1, shift: 0 },
  all: { about: 'slower, padded and with noise', rate: 0.85, filter: 'adelay=1500:all=1,apad=pad_dur=2', mix: 'anoisesrc=color=pink:amplitude=0.04:sample_rate=16000', scale: 1, shift: 1.5 },
};

function wavHeader(bytes, sampleRate) {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii'); h.writeUInt32LE(36 + bytes, 4); h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii'); h.writeUInt32LE(16, 16); h.writeUInt16LE(1, 20); h.writeUInt16LE(1, 22);
  h.writeUInt32LE(sampleRate, 24); h.writeUInt32LE(sampleRate * 2, 28); h.writeUInt16LE(2, 32); h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii'); h.writeUInt32LE(bytes, 40);
  return h;
}

/** Whether this ffmpeg has a filter. */
export function hasFilter(ffmpeg, name) {
  const r = spawnSync(ffmpeg, ['-hide_banner', '-filters'], { encoding: 'utf8' });
  return new RegExp(`\\s${name}\\s`).test(r.stdout ?? '');
}

/**
 * Writes `name`.m4a in `dir`: `speech` ({ pcm, sampleRate, words }, the truth narration) with
 * the variant applied (its noise from `seed`); returns the file and the words with their true
 * times in it.
 */
export function makeCase(ffmpeg, speech, variant, dir, name, seed = 1) {
  const v = VARIANTS[variant];
  if (!v) throw new Error(`no variant "${variant}"`);
  const src = join(dir, `${name}.src.wav`);
  writeFileSync(src, Buffer.concat([wavHeader(speech.pcm.length, speech.sampleRate), speech.pcm]));
  const out = join(dir, `${name}.m4a`);
  // asetrate plays the samples at another rate: every time scales by exactly sampleRate / newRate
  const newRate = v.rate ? Math.round(speech.sampleRate * v.rate) : speech.sampleRate;
  const scale = v.scale * (speech.sampleRate / newRate);
  const chain = [v.rate && `asetrate=${newRate},aresample=16000`, v.filter, 'aresample=16000'].filter(Boolean).join(',');
  const args = ['-hide_banner', '-nostdin', '-y', '-i', src];
  // the noise is seeded: the same case is the same recording on every machine and run
  const mix = v.mix?.startsWith('anoisesrc=') ? `${v.mix}:seed=${seed}` : v.mix;
  if (mix) args.push('-filter_complex', `[0:a]${chain}[s];${mix}[b];[s][b]amix=inputs=2:duration=first:normalize=0[m]`, '-map', '[m]');
  else args.push('-af', chain);
  args.push('-ac', '1', '-c:a', 'aac', '-b:a', '96k', out);
  const r = spawnSync(ffmpeg, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg failed for ${variant}: ${r.stderr.slice(-400)}`);
  const words = speech.words.map((w) => ({ text: w.text, start: w.start * scale + v.shift, end: w.end * scale + v.shift }));
  return { file: out, words };
}

/** Median and 95th percentile of |aligned start − true start|, in ms. */
export function startErrors(aligned, truth) {
  if (aligned.length !== truth.length) throw new Error(`${aligned.length} words aligned, ${truth.length} expected`);
  const e = aligned.map((w, i) => Math.abs(w.start - truth[i].start) * 1000).sort((a, b) => a - b);
  const at = (p) => e[Math.min(e.length - 1, Math.floor(p * e.length))];
  return { median: Math.round(at(0.5)), p95: Math.round(at(0.95)), max: Math.round(e[e.length - 1]) };
}

/** Texts for the cases, by language. */
export const TEXTS = {
  en: 'The keeper climbed the steps to polish the lens. Ships no longer needed his light, yet he lit it every night. One evening a small boat drifted toward the rocks, and he rang the bell until dawn.',
  es: 'El farero subía cada mañana los escalones para limpiar la lente. Los barcos ya no necesitaban su luz, pero la encendía cada noche. Una tarde, un pequeño bote se acercó a las rocas.',
  de: 'Jeden Morgen stieg der alte Wärter die Stufen hinauf, um die Linse zu putzen. Die Schiffe brauchten sein Licht nicht mehr, doch er zündete es jede Nacht an. Eines Abends trieb ein Boot auf die Felsen zu.',
  fr: 'Chaque matin, le vieux gardien montait les marches pour nettoyer la lentille. Les navires n’avaient plus besoin de sa lumière, mais il l’allumait chaque nuit. Un soir, un petit bateau dériva vers les rochers.',
};
