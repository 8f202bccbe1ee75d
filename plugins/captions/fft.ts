/**
 * Power spectra of real frames (512 points for 25 ms at 16 kHz): a radix-2 complex FFT of
 * half the size over the even and odd samples packed as one complex signal, then split into
 * the real signal's spectrum — half the work of a complex FFT of the frame. Tables are built
 * once per size.
 */

export interface Fft {
  readonly size: number;
  /** Power spectrum |X[k]|² for k = 0..size/2 of the real frame `input` (length `size`), written to `out`. */
  power(input: Float64Array, out: Float64Array): void;
}

export function createFft(size: number): Fft {
  if (size < 4 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two of at least 4, got ${size}`);
  const m = size / 2;
  const bits = Math.log2(m);
  const rev = new Uint32Array(m);
  for (let i = 0; i < m; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  // twiddles of the full size: index 2j serves the half-size FFT, j the final split
  const cos = Float64Array.from({ length: m }, (_, i) => Math.cos((2 * Math.PI * i) / size));
  const sin = Float64Array.from({ length: m }, (_, i) => -Math.sin((2 * Math.PI * i) / size));
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  return {
    size,
    power(input, out) {
      for (let i = 0; i < m; i++) { re[rev[i]!] = input[2 * i]!; im[rev[i]!] = input[2 * i + 1]!; }
      for (let len = 2; len <= m; len <<= 1) {
        const half = len >> 1;
        const step = (2 * m) / len;
        for (let i = 0; i < m; i += len) {
          for (let j = 0; j < half; j++) {
            const wr = cos[j * step]!;
            const wi = sin[j * step]!;
            const a = i + j;
            const b = a + half;
            const tr = re[b]! * wr - im[b]! * wi;
            const ti = re[b]! * wi + im[b]! * wr;
            re[b] = re[a]! - tr;
            im[b] = im[a]! - ti;
            re[a] = re[a]! + tr;
            im[a] = im[a]! + ti;
          }
        }
      }
      // X[k] = E[k] + W^k O[k], with E and O the spectra of the even and odd samples
      for (let k = 0; k <= m; k++) {
        const zr = re[k % m]!;
        const zi = im[k % m]!;
        const cr = re[(m - k) % m]!;
        const ci = -im[(m - k) % m]!;
        const er = (zr + cr) / 2;
        const ei = (zi + ci) / 2;
        const or = (zi - ci) / 2;
        const oi = -(zr - cr) / 2;
        const wr = k < m ? cos[k]! : -1;
        const wi = k < m ? sin[k]! : 0;
        const xr = er + wr * or - wi * oi;
        const xi = ei + wr * oi + wi * or;
        out[k] = xr * xr + xi * xi;
      }
    },
  };
}
