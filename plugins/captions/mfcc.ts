/**
 * MFCC features for alignment: pre-emphasis, 25 ms Hann-windowed frames every 10 ms, a
 * 512-point power spectrum, a 40-band mel filterbank (optionally frequency-warped), log, DCT-II to 13 cepstra, then
 * cepstral mean and variance normalization over the span aligned, so another voice, level or
 * a steady noise floor moves the features less. Also each frame's energy, for voice activity.
 */
import { createFft } from './fft.js';

/** Features are computed on 16 kHz mono audio. */
export const RATE = 16_000;
/** 10 ms between frames. */
export const HOP = 160;
const WIN = 400;
const NFFT = 512;
const MELS = 40;
export const CEPS = 13;
const FMIN = 60;
const FMAX = 7600;

export interface Features {
  /** Frames × CEPS, row-major. */
  data: Float32Array;
  frames: number;
  dims: number;
}

const hz2mel = (f: number) => 2595 * Math.log10(1 + f / 700);
const mel2hz = (m: number) => 700 * (10 ** (m / 2595) - 1);
const BINS = NFFT / 2 + 1;

/**
 * Triangular mel filters over the FFT bins, each band's first bin and weights. `warp` scales
 * the band frequencies (vocal tract length normalization): a voice whose formants sit `warp`
 * times higher than the reference's is read `warp` times higher up, and the bands line up.
 */
function melBank(warp: number): Array<{ from: number; w: Float64Array }> {
  const lo = hz2mel(FMIN);
  const hi = hz2mel(FMAX);
  const bin = (m: number) => Math.min(NFFT / 2, (mel2hz(m) * warp * NFFT) / RATE);
  const edges = Array.from({ length: MELS + 2 }, (_, i) => bin(lo + ((hi - lo) * i) / (MELS + 1)));
  return Array.from({ length: MELS }, (_, b) => {
    const [l, c, r] = [edges[b]!, edges[b + 1]!, edges[b + 2]!];
    const from = Math.ceil(l);
    const to = Math.floor(r);
    const w = new Float64Array(Math.max(0, to - from + 1));
    // bands pushed against the Nyquist bin by a warp may have no width: weight 1 there, not NaN
    for (let k = from; k <= to; k++) w[k - from] = k <= c ? (c > l ? (k - l) / (c - l) : 1) : (r > c ? (r - k) / (r - c) : 1);
    return { from, w };
  });
}

const banks = new Map<number, ReturnType<typeof melBank>>();
let dct: Float64Array | undefined;
let hann: Float64Array | undefined;

/** Number of whole frames in `samples` samples. */
export function frameCount(samples: number): number {
  return samples < WIN ? 0 : 1 + Math.floor((samples - WIN) / HOP);
}

/**
 * Power spectra, `block` frames averaged into each row (rows × 257), and every frame's energy
 * in dB (full scale 0 dB). Averaged rows keep long recordings small: 49 minutes at 8 frames a
 * row is 38 MB instead of 300.
 */
export interface Spectra {
  power: Float32Array;
  rows: number;
  block: number;
  energyDb: Float32Array;
}

/** Calls `fn` with the power spectrum and energy of every frame in [from, to) (buffers reused). */
function eachFrame(pcm: Float32Array, from: number, to: number, fn: (f: number, spec: Float64Array, energy: number) => void): void {
  hann ??= Float64Array.from({ length: WIN }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (WIN - 1)));
  const fft = createFft(NFFT);
  const frame = new Float64Array(NFFT);
  const spec = new Float64Array(BINS);
  for (let f = from; f < to; f++) {
    const at = f * HOP;
    let energy = 0;
    for (let i = 0; i < WIN; i++) {
      const x = pcm[at + i]!;
      energy += x * x;
      // pre-emphasis (0.97) inside the frame: the sample before the frame is the previous input
      const prev = at + i > 0 ? pcm[at + i - 1]! : 0;
      frame[i] = (x - 0.97 * prev) * hann[i]!;
    }
    frame.fill(0, WIN);
    fft.power(frame, spec);
    fn(f, spec, energy);
  }
}

export function spectra(pcm: Float32Array, block = 1): Spectra {
  const frames = frameCount(pcm.length);
  const rows = Math.ceil(frames / block);
  const power = new Float32Array(rows * BINS);
  const energyDb = new Float32Array(frames);
  eachFrame(pcm, 0, frames, (f, spec, energy) => {
    energyDb[f] = 10 * Math.log10(energy / WIN + 1e-10);
    const row = Math.floor(f / block);
    const n = Math.min(block, frames - row * block);
    for (let k = 0; k < BINS; k++) power[row * BINS + k] += spec[k]! / n;
  });
  return { power, rows, block, energyDb };
}

/** Turns one power spectrum (`power` at `at`) into cepstra at `out`[`o`..]. */
function toCepstra(power: ArrayLike<number>, at: number, bank: ReturnType<typeof melBank>, logMel: Float64Array, out: Float32Array, o: number): void {
  dct ??= Float64Array.from({ length: CEPS * MELS }, (_, i) => {
    const k = Math.floor(i / MELS);
    const n = i % MELS;
    return Math.cos((Math.PI * k * (n + 0.5)) / MELS) * Math.sqrt((k === 0 ? 1 : 2) / MELS);
  });
  for (let b = 0; b < MELS; b++) {
    const { from: k0, w } = bank[b]!;
    let sum = 0;
    for (let k = 0; k < w.length; k++) sum += w[k]! * power[at + k0 + k]!;
    logMel[b] = Math.log(sum + 1e-8);
  }
  for (let k = 0; k < CEPS; k++) {
    let sum = 0;
    for (let n = 0; n < MELS; n++) sum += dct[k * MELS + n]! * logMel[n]!;
    out[o + k] = sum;
  }
}

function bankFor(warp: number): ReturnType<typeof melBank> {
  let bank = banks.get(warp);
  if (!bank) banks.set(warp, (bank = melBank(warp)));
  return bank;
}

/** Raw (not normalized) MFCCs of frames [from, to) of `pcm`, computed frame by frame (nothing else kept). */
export function mfcc(pcm: Float32Array, warp = 1, from = 0, to = frameCount(pcm.length)): Features {
  const bank = bankFor(warp);
  const frames = Math.max(0, to - from);
  const data = new Float32Array(frames * CEPS);
  const logMel = new Float64Array(MELS);
  eachFrame(pcm, from, to, (f, spec) => toCepstra(spec, 0, bank, logMel, data, (f - from) * CEPS));
  return { data, frames, dims: CEPS };
}

/** Raw (not normalized) MFCCs of rows [from, to) of `s`, with the filterbank warped by `warp`. */
export function cepstra(s: Spectra, warp = 1, from = 0, to = s.rows): Features {
  const bank = bankFor(warp);
  const rows = Math.max(0, to - from);
  const data = new Float32Array(rows * CEPS);
  const logMel = new Float64Array(MELS);
  for (let r = 0; r < rows; r++) toCepstra(s.power, (from + r) * BINS, bank, logMel, data, r * CEPS);
  return { data, frames: rows, dims: CEPS };
}

/** Each dimension shifted to mean 0 and scaled to variance 1 (cepstral mean and variance normalization). */
export function normalize(f: Features): Features {
  const n = f.frames;
  const d = f.dims;
  const out = new Float32Array(n * d);
  for (let k = 0; k < d; k++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += f.data[i * d + k]!;
    mean /= n || 1;
    let v = 0;
    for (let i = 0; i < n; i++) v += (f.data[i * d + k]! - mean) ** 2;
    const sd = Math.sqrt(v / (n || 1)) || 1;
    for (let i = 0; i < n; i++) out[i * d + k] = (f.data[i * d + k]! - mean) / sd;
  }
  return { data: out, frames: n, dims: d };
}
