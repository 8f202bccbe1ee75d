import { describe, expect, it } from 'vitest';
import { CEPS, HOP, RATE, cepstra, frameCount, mfcc, normalize, spectra } from '../../../plugins/captions/mfcc.js';

const tone = (hz: number, seconds: number, amp = 0.5) => Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / RATE));

describe('MFCC features', () => {
  it('frames 25 ms windows every 10 ms', () => {
    expect(frameCount(399)).toBe(0);
    expect(frameCount(400)).toBe(1);
    expect(frameCount(RATE)).toBe(1 + Math.floor((RATE - 400) / HOP));
    const s = spectra(tone(440, 1));
    expect(s.rows).toBe(frameCount(RATE));
    expect(cepstra(s).dims).toBe(CEPS);
  });

  it('measures frame energy in dB: a tone 20 dB quieter reads 20 dB lower, silence far below', () => {
    const loud = spectra(tone(440, 0.2, 0.5)).energyDb;
    const quiet = spectra(tone(440, 0.2, 0.05)).energyDb;
    const silent = spectra(new Float32Array(3200)).energyDb;
    expect(loud[5]! - quiet[5]!).toBeCloseTo(20, 1);
    expect(silent[5]!).toBeLessThan(-90);
  });

  it('tells a low tone from a high one, and a level change does not matter after normalization', () => {
    const low = tone(300, 0.5);
    const high = tone(2500, 0.5);
    const both = new Float32Array(low.length + high.length);
    both.set(low);
    both.set(high, low.length);
    const f = normalize(cepstra(spectra(both)));
    const quieter = normalize(cepstra(spectra(both.map((x) => x * 0.1))));
    const frame = (g: typeof f, i: number) => Array.from(g.data.subarray(i * g.dims, (i + 1) * g.dims));
    const dist = (a: number[], b: number[]) => Math.hypot(...a.map((x, k) => x - b[k]!));
    const a = frame(f, 10);
    const b = frame(f, f.frames - 10);
    expect(dist(a, b)).toBeGreaterThan(3);
    // a constant gain is a constant offset of c0, which the mean normalization removes
    expect(dist(a, frame(quieter, 10))).toBeLessThan(dist(a, b) / 10);
  });

  it('normalizes every dimension to mean 0 and variance 1', () => {
    const f = normalize(cepstra(spectra(Float32Array.from({ length: RATE }, (_, i) => Math.sin(i * 0.05 * (1 + i / RATE)) * 0.4))));
    for (let k = 0; k < f.dims; k++) {
      let m = 0;
      let v = 0;
      for (let i = 0; i < f.frames; i++) m += f.data[i * f.dims + k]!;
      m /= f.frames;
      for (let i = 0; i < f.frames; i++) v += (f.data[i * f.dims + k]! - m) ** 2;
      expect(Math.abs(m)).toBeLessThan(1e-4);
      expect(v / f.frames).toBeCloseTo(1, 3);
    }
  });

  it('a filterbank warped by 0.8 reads a voice as one 1.25× higher', () => {
    const a = cepstra(spectra(tone(1000, 0.3)));
    const b = cepstra(spectra(tone(800, 0.3)), 0.8);
    const c = cepstra(spectra(tone(800, 0.3)));
    const d = (x: typeof a, y: typeof a) => Math.hypot(...Array.from(x.data.subarray(10 * CEPS + 1, 11 * CEPS)).map((v, k) => v - y.data[10 * CEPS + 1 + k]!));
    expect(d(a, b)).toBeLessThan(d(a, c) / 2);
    // bands warped past the Nyquist frequency are empty, never NaN
    expect(cepstra(spectra(tone(1000, 0.1)), 1.4).data.every(Number.isFinite)).toBe(true);
  });

  it('averages power spectra over blocks of frames, keeping every frame\'s energy', () => {
    const pcm = tone(440, 1);
    const s = spectra(pcm);
    const c = spectra(pcm, 8);
    expect(c.rows).toBe(Math.ceil(s.rows / 8));
    expect(c.energyDb).toEqual(s.energyDb);
    let sum = 0;
    for (let f = 0; f < 8; f++) sum += s.power[f * 257 + 14]!;
    expect(c.power[14]! / (sum / 8)).toBeCloseTo(1, 5);
  });

  it('computes the same cepstra frame by frame as from stored spectra', () => {
    const pcm = tone(700, 0.5);
    const a = mfcc(pcm, 0.9, 3, 20);
    const b = cepstra(spectra(pcm), 0.9, 3, 20);
    expect(a.frames).toBe(17);
    a.data.forEach((v, i) => expect(v).toBeCloseTo(b.data[i]!, 3));
  });
});
