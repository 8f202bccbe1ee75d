import { describe, expect, it } from 'vitest';
import { createFft } from '../../../plugins/captions/fft.js';

function naivePower(x: Float64Array): number[] {
  const n = x.length;
  return Array.from({ length: n / 2 + 1 }, (_, k) => {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      re += x[t]! * Math.cos((2 * Math.PI * k * t) / n);
      im -= x[t]! * Math.sin((2 * Math.PI * k * t) / n);
    }
    return re * re + im * im;
  });
}

describe('createFft', () => {
  it('gives the power spectrum of a real frame, as the DFT does', () => {
    for (const n of [4, 16, 512]) {
      const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + 0.5 * Math.cos(i * 1.91) + ((i * 7919) % 13) / 13 - 0.5);
      const out = new Float64Array(n / 2 + 1);
      createFft(n).power(x, out);
      const want = naivePower(x);
      want.forEach((v, k) => expect(out[k]).toBeCloseTo(v, 6));
    }
  });

  it('puts a pure tone in its bin', () => {
    const x = Float64Array.from({ length: 512 }, (_, i) => Math.cos((2 * Math.PI * 32 * i) / 512));
    const out = new Float64Array(257);
    createFft(512).power(x, out);
    expect(out.indexOf(Math.max(...out))).toBe(32);
    expect(out[32]).toBeCloseTo(256 * 256, 3);
  });

  it('refuses a size that is not a power of two', () => {
    expect(() => createFft(500)).toThrow(RangeError);
  });
});
