/**
 * The aligner on synthetic "speech": each word a chord of its own two tones, so a recording
 * and its reference share sounds but not voices (the recording's tones are 10 % higher), with
 * another speed, other pauses and leading silence. The true starts are known exactly.
 */
import { describe, expect, it } from 'vitest';
import { alignToReference, confidenceOf, stretchReference } from '../../../plugins/captions/aligner.js';
import { RATE } from '../../../plugins/captions/mfcc.js';

const WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'];
const TONES = [[300, 1900], [520, 1100], [410, 2600], [700, 1500], [350, 2200], [900, 1300], [460, 3000], [620, 1700]];

/** Words spoken at `speed` (word length 0.3 s / speed) with `pauses[i]` s of silence before word i, `lead` s first. */
function say(order: number[], { speed = 1, pitch = 1, lead = 0.2, pauses = [] as number[] } = {}) {
  const parts: Float32Array[] = [];
  const words: Array<{ text: string; start: number; end: number }> = [];
  let t = 0;
  const push = (a: Float32Array) => { parts.push(a); t += a.length / RATE; };
  push(new Float32Array(Math.round(lead * RATE)));
  order.forEach((w, i) => {
    if (pauses[i]) push(new Float32Array(Math.round(pauses[i]! * RATE)));
    const n = Math.round((0.3 / speed) * RATE);
    const [f1, f2] = TONES[w]!.map((f) => f * pitch);
    words.push({ text: WORDS[i]!, start: t, end: t + n / RATE });
    push(Float32Array.from({ length: n }, (_, k) => 0.3 * Math.sin((2 * Math.PI * f1! * k) / RATE) + 0.2 * Math.sin((2 * Math.PI * f2! * k) / RATE)));
  });
  push(new Float32Array(Math.round(0.3 * RATE)));
  const pcm = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { pcm.set(p, o); o += p.length; }
  return { pcm, words };
}

const all = WORDS.map((_, i) => i);

describe('alignToReference', () => {
  it('carries word starts through the warp, slower, higher, padded, with other pauses', () => {
    const ref = say(all, { pauses: [0, 0, 0, 0.25] });
    const rec = say(all, { speed: 0.8, pitch: 1.1, lead: 1.5, pauses: [0, 0, 0.3, 0, 0, 0.4] });
    const a = alignToReference(ref.pcm, ref.words, rec.pcm);
    expect(a.words.map((w) => w.text)).toEqual(WORDS);
    a.words.forEach((w, i) => expect(Math.abs(w.start - rec.words[i]!.start)).toBeLessThan(0.05));
    // a word ends where the next begins, or where a pause starts
    expect(a.words[1]!.end).toBeCloseTo(rec.words[1]!.end, 1);
    expect(a.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it('has low confidence for a recording of other words', () => {
    const ref = say(all);
    const rec = say([7, 3, 5, 1, 6, 0, 4, 2], { pitch: 1.1 });
    expect(alignToReference(ref.pcm, ref.words, rec.pcm).confidence).toBeLessThan(0.5);
  });

  it('gives every word, with confidence 0, for a recording without speech', () => {
    const ref = say(all);
    const a = alignToReference(ref.pcm, ref.words, new Float32Array(RATE * 2));
    expect(a.confidence).toBe(0);
    expect(a.words).toHaveLength(WORDS.length);
  });

  it('stretches the reference over the recording\'s speech as the fallback estimate', () => {
    const ref = say(all);
    const rec = say(all, { speed: 0.5, lead: 1 });
    const words = stretchReference(ref.pcm, ref.words, rec.pcm);
    words.forEach((w, i) => expect(Math.abs(w.start - rec.words[i]!.start)).toBeLessThan(0.1));
  });
});

describe('confidenceOf', () => {
  it('is 1 for a clear match, 0 for unrelated speech or a speed no narration has, and falls with missed pauses', () => {
    expect(confidenceOf(0.7, 1, 1)).toBe(1);
    expect(confidenceOf(0.99, 1, 1)).toBe(0);
    expect(confidenceOf(0.7, 1, 3)).toBe(0);
    expect(confidenceOf(0.7, 0, 1)).toBe(0.5);
    expect(confidenceOf(0.7, undefined, 1)).toBe(1);
    expect(confidenceOf(0.9, 1, 1)).toBeLessThan(confidenceOf(0.85, 1, 1));
  });
});
