// Synthesises assets/music/calm-pads.m4a: a 32-second seamless loop of soft chord pads and a
// gentle plucked arpeggio (C – Am – F – G), written by this script, so it is CC0.
// Run: node assets/music/make-music.mjs  (needs ffmpeg on PATH for the AAC encode)
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const SR = 44100, BAR = 4, BARS = 8, LEN = BAR * BARS, N = SR * LEN;
const hz = (midi) => 440 * 2 ** ((midi - 69) / 12);
// one chord per bar (two passes of C Am F G), voiced around middle C
const chords = [[48, 55, 60, 64], [45, 52, 57, 60], [41, 48, 57, 60], [43, 50, 55, 59]];
const L = new Float32Array(N), R = new Float32Array(N);
const wrap = (i) => ((i % N) + N) % N;

// pads: detuned sines with a few soft harmonics, slow attack/release, wrapping around the loop end
for (let bar = 0; bar < BARS; bar++) {
  const notes = chords[bar % 4];
  const start = bar * BAR * SR, dur = (BAR + 1.2) * SR;
  for (const [k, m] of notes.entries()) {
    for (const det of [-0.06, 0.06]) {
      const f = hz(m) * 2 ** (det / 12);
      const pan = 0.5 + (k - 1.5) * 0.15 + det;
      for (let i = 0; i < dur; i++) {
        const t = i / SR;
        const env = Math.min(1, t / 1.2) * Math.min(1, (dur / SR - t) / 1.6);
        const s = (Math.sin(2 * Math.PI * f * t) + 0.25 * Math.sin(4 * Math.PI * f * t) + 0.08 * Math.sin(6 * Math.PI * f * t)) * env * 0.035;
        const j = wrap(start + i);
        L[j] += s * (1 - pan); R[j] += s * pan;
      }
    }
  }
}
// arpeggio: eighth notes up the chord an octave higher, plucked (fast attack, exponential decay)
for (let bar = 0; bar < BARS; bar++) {
  const notes = chords[bar % 4];
  for (let step = 0; step < 8; step++) {
    const m = notes[[0, 1, 2, 3, 2, 1, 2, 3][step]] + 12;
    const f = hz(m), start = (bar * BAR + step * 0.5) * SR, pan = step % 2 ? 0.35 : 0.65;
    for (let i = 0; i < 2.5 * SR; i++) {
      const t = i / SR;
      const env = Math.min(1, t / 0.005) * Math.exp(-t * 2.8);
      const s = (Math.sin(2 * Math.PI * f * t) + 0.3 * Math.sin(4 * Math.PI * f * t) * Math.exp(-t * 6)) * env * 0.05;
      const j = wrap(start + i);
      L[j] += s * (1 - pan); R[j] += s * pan;
    }
  }
}
// a simple stereo echo for space (wraps, so the loop stays seamless)
const d = Math.round(0.375 * SR);
for (let pass = 0; pass < 2; pass++) for (let i = 0; i < N; i++) { const j = wrap(i - d); L[i] += R[j] * 0.22; R[i] += L[j] * 0.22; }
let peak = 0;
for (let i = 0; i < N; i++) peak = Math.max(peak, Math.abs(L[i]), Math.abs(R[i]));
const wav = Buffer.alloc(44 + N * 4);
wav.write('RIFF', 0); wav.writeUInt32LE(36 + N * 4, 4); wav.write('WAVEfmt ', 8);
wav.writeUInt32LE(16, 16); wav.writeUInt16LE(1, 20); wav.writeUInt16LE(2, 22); wav.writeUInt32LE(SR, 24);
wav.writeUInt32LE(SR * 4, 28); wav.writeUInt16LE(4, 32); wav.writeUInt16LE(16, 34); wav.write('data', 36); wav.writeUInt32LE(N * 4, 40);
for (let i = 0; i < N; i++) {
  wav.writeInt16LE(Math.round((L[i] / peak) * 0.7 * 32767), 44 + i * 4);
  wav.writeInt16LE(Math.round((R[i] / peak) * 0.7 * 32767), 46 + i * 4);
}
const here = dirname(fileURLToPath(import.meta.url));
const tmp = join(here, 'calm-pads.tmp.wav');
writeFileSync(tmp, wav);
execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', tmp, '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', join(here, 'calm-pads.m4a')]);
execFileSync('rm', [tmp]);
console.log('wrote', join(here, 'calm-pads.m4a'));
