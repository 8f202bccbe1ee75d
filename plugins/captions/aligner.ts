/**
 * Aligns a recording to a reference narration of the same text whose word times are known
 * (espeak-ng's word events): both trimmed to their speech, MFCCs, multi-resolution DTW, each
 * reference word start carried through the warp path, then refined at pauses — a start that
 * lands in or next to a silence of the recording moves to the energy onset after it, and a
 * word ends where the next starts or where a silence begins. Pure: samples in, words out.
 */
import { warp, type Warp } from './dtw.js';
import { HOP, RATE, cepstra, mfcc, normalize, spectra, type Features, type Spectra } from './mfcc.js';
import { detectSpeech, silentRuns, speechSpan, type Run } from './vad.js';

export interface TimedWord {
  text: string;
  /** Seconds. */
  start: number;
  end: number;
}

export interface Alignment {
  words: TimedWord[];
  /** 0..1: how well the recording matched the reference (see `confidenceOf`). */
  confidence: number;
  /** Share of the reference's pauses found in the recording where the path put them. */
  pauseAgreement: number;
  /** Speech length of the recording over the reference's. */
  speedRatio: number;
  /** Warp cost over the cost of the recording played backwards (unrelated speech scores near 1). */
  orderRatio: number;
}

const FRAME_SEC = HOP / RATE;
/** A frame's time is its window's centre. */
const CENTRE = 200 / RATE;
const toFrame = (t: number) => Math.round((t - CENTRE) / FRAME_SEC);
const toTime = (f: number) => Math.max(0, f * FRAME_SEC + CENTRE);
/** Silences of at least 80 ms count as pauses. */
const PAUSE_FRAMES = 8;
/** How near (frames) a carried start must be to a pause's end to be snapped to it. */
const SNAP_FRAMES = 15;
/** Frames of margin kept around the speech when trimming. */
const MARGIN = 5;

/** Frames averaged into one when choosing the warp. */
const COARSE = 8;

interface Side {
  pcm: Float32Array;
  /** Power spectra, COARSE frames a row, and every frame's energy. */
  spectra: Spectra;
  /** First and last speech frame + 1. */
  speech: Run;
  /** The speech with MARGIN frames around it (inside the audio): what is aligned. */
  span: Run;
  pauses: Run[];
}

function analyse(pcm: Float32Array): Side | undefined {
  const s = spectra(pcm, COARSE);
  const act = detectSpeech(s.energyDb);
  const span = speechSpan(act.speech);
  if (!span || span.end - span.start < 5) return undefined;
  const from = Math.max(0, span.start - MARGIN);
  const to = Math.min(s.energyDb.length, span.end + MARGIN);
  const pauses = silentRuns(act.speech, PAUSE_FRAMES).filter((r) => r.start > span.start && r.end < span.end);
  return { pcm, spectra: s, speech: span, span: { start: from, end: to }, pauses };
}

const featuresOf = (side: Side, w: number): Features => normalize(mfcc(side.pcm, w, side.span.start, side.span.end));
/** The coarse rows over the speech, under warp `w`. */
const coarseOf = (side: Side, w: number): Features => normalize(cepstra(side.spectra, w, Math.floor(side.span.start / COARSE), Math.ceil(side.span.end / COARSE)));

/**
 * Frequency warps tried: the recording's formants from ~20 % lower to ~40 % higher than the
 * reference voice's. Above 1 the reference is read lower instead of the recording higher, so
 * no band passes the 8 kHz Nyquist limit.
 */
const WARPS = [0.8, 0.89, 1, 1.12, 1.25, 1.4];

/**
 * Both sides' features under the warp that matches best, judged by the cost of a coarse warp
 * (power spectra averaged eight frames at a time), so trying six costs little.
 */
function bestWarp(ref: Side, rec: Side): { refF: Features; recF: Features; orderRatio: number } {
  let best: { a: number; coarseRef: Features; c: Features; cost: number; ratio: number } | undefined;
  for (const a of WARPS) {
    const coarseRef = coarseOf(ref, a > 1 ? 1 / a : 1);
    const c = coarseOf(rec, a > 1 ? 1 : a);
    const cost = warp(coarseRef, c).cost;
    const ratio = cost / unrelatedCost(coarseRef, c);
    if (!best || ratio < best.ratio) best = { a, coarseRef, c, cost, ratio };
  }
  const { a, coarseRef, c, cost } = best!;
  // the same recording played backwards has the same sounds in the wrong order: what the best
  // warp of unrelated speech costs. A recording of the text costs clearly less than that.
  const orderRatio = cost / warp(coarseRef, reversed(c)).cost;
  return { refF: featuresOf(ref, a > 1 ? 1 / a : 1), recF: featuresOf(rec, a > 1 ? 1 : a), orderRatio };
}

function reversed(f: Features): Features {
  const out = new Float32Array(f.data.length);
  for (let i = 0; i < f.frames; i++) out.set(f.data.subarray((f.frames - 1 - i) * f.dims, (f.frames - i) * f.dims), i * f.dims);
  return { data: out, frames: f.frames, dims: f.dims };
}

/** Mean distance of frame pairs taken evenly across both spans: what an unrelated match costs. */
function unrelatedCost(x: Features, y: Features): number {
  const pairs = 1500;
  let s = 0;
  const d = x.dims;
  for (let p = 0; p < pairs; p++) {
    const i = Math.floor(((p * 7919) % pairs) * (x.frames / pairs));
    const j = Math.floor(((p * 104729) % pairs) * (y.frames / pairs));
    let t = 0;
    for (let k = 0; k < d; k++) t += (x.data[i * d + k]! - y.data[j * d + k]!) ** 2;
    s += Math.sqrt(t);
  }
  return s / pairs;
}

/** For each frame of a, the first frame of b the path pairs with it. */
function firstMatch(w: Warp, n: number): Int32Array {
  const out = new Int32Array(n).fill(-1);
  for (let p = 0; p < w.a.length; p++) if (out[w.a[p]!] === -1) out[w.a[p]!] = w.b[p]!;
  return out;
}

/**
 * Confidence in 0..1 from the order ratio (a recording of the text warps at ≤ 0.84 of what the
 * same recording played backwards costs; unrelated speech near 1), the share of the
 * reference's pauses found where the path put them (when it has two or more) and whether the
 * speaking rates are within 2.5× of each other.
 */
export function confidenceOf(orderRatio: number, pauseAgreement: number | undefined, speedRatio: number): number {
  const order = Math.min(1, Math.max(0, (0.96 - orderRatio) / 0.12));
  const pauses = pauseAgreement === undefined ? 1 : 0.5 + 0.5 * pauseAgreement;
  const speed = speedRatio < 0.4 || speedRatio > 2.5 ? 0 : 1;
  return round(order * pauses * speed);
}

/**
 * Moves starts to the onset after a pause: a start inside a pause always, a start near a
 * pause's end when the reference paused there too; then sets the ends. Frames are absolute.
 */
function placeWords(texts: string[], starts: number[], pauses: Run[], speechEnd: number, snapAfterPause: boolean[]): TimedWord[] {
  const s = starts.slice();
  for (let i = 0; i < s.length; i++) {
    const reach = snapAfterPause[i] ? SNAP_FRAMES : 0;
    const p = pauses.find((r) => s[i]! >= r.start - reach && s[i]! < r.end + reach);
    if (p) s[i] = p.end;
    if (i > 0 && s[i]! < s[i - 1]! + 1) s[i] = s[i - 1]! + 1;
  }
  return texts.map((text, i) => {
    const next = i + 1 < s.length ? s[i + 1]! : Math.max(speechEnd, s[i]! + 1);
    const cut = pauses.find((r) => r.start > s[i]! && r.start < next);
    return { text, start: round(toTime(s[i]!)), end: round(toTime(cut ? cut.start : next)) };
  });
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Words spread evenly over `seconds`: all there is to say about audio without speech. */
const evenly = (texts: string[], seconds: number): TimedWord[] =>
  texts.map((text, i) => ({ text, start: round((seconds * i) / texts.length), end: round((seconds * (i + 1)) / texts.length) }));

/** Reference words that follow one of the reference's pauses. */
function afterPause(ref: TimedWord[], pauses: Run[]): boolean[] {
  return ref.map((w, i) => i > 0 && pauses.some((p) => Math.abs(p.end - toFrame(w.start)) <= 4));
}

/**
 * The alignment of `recording` (16 kHz mono) to `reference` (16 kHz mono) whose words are
 * `refWords`. With no speech in either, confidence is 0 and words are laid out evenly.
 */
export function alignToReference(reference: Float32Array, refWords: TimedWord[], recording: Float32Array): Alignment {
  const ref = analyse(reference);
  const rec = analyse(recording);
  const texts = refWords.map((w) => w.text);
  if (!ref || !rec) return { words: evenly(texts, recording.length / RATE), confidence: 0, pauseAgreement: 0, speedRatio: 0, orderRatio: 1 };
  const { refF, recF, orderRatio } = bestWarp(ref, rec);
  const w = warp(refF, recF);
  const first = firstMatch(w, refF.frames);
  const carried = refWords.map((x) => {
    const f = Math.min(refF.frames - 1, Math.max(0, toFrame(x.start) - ref.span.start));
    return first[f]! + rec.span.start;
  });
  const refAfter = afterPause(refWords, ref.pauses);
  let asked = 0;
  let agreed = 0;
  refAfter.forEach((yes, i) => {
    if (!yes) return;
    asked++;
    if (rec.pauses.some((p) => Math.abs(p.end - carried[i]!) <= 10)) agreed++;
  });
  const speedRatio = (rec.span.end - rec.span.start) / (ref.span.end - ref.span.start);
  const pauseAgreement = asked ? agreed / asked : 1;
  return {
    words: placeWords(texts, carried, rec.pauses, rec.speech.end, refAfter),
    confidence: confidenceOf(orderRatio, asked >= 2 ? pauseAgreement : undefined, speedRatio),
    pauseAgreement: round(pauseAgreement),
    speedRatio: round(speedRatio),
    orderRatio: round(orderRatio),
  };
}

/**
 * The fallback when the alignment is poor: the reference's word times stretched linearly
 * from its speech onto the recording's speech, then refined at the recording's pauses.
 */
export function stretchReference(reference: Float32Array, refWords: TimedWord[], recording: Float32Array): TimedWord[] {
  const ref = analyse(reference);
  const rec = analyse(recording);
  const texts = refWords.map((w) => w.text);
  if (!ref || !rec) return evenly(texts, recording.length / RATE);
  const [a0, a1] = [ref.speech.start, ref.speech.end];
  const [b0, b1] = [rec.speech.start, rec.speech.end];
  const k = (b1 - b0) / Math.max(1, a1 - a0);
  const starts = refWords.map((x) => Math.round(b0 + (toFrame(x.start) - a0) * k));
  return placeWords(texts, starts, rec.pauses, b1, afterPause(refWords, ref.pauses));
}
