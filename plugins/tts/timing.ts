/**
 * Word timings for one chunk: from the engine's marks where it reports them, otherwise
 * estimated — words placed in proportion to their spoken length between the speech start
 * and end, with the pauses that silence detection found assigned to the word gaps they
 * most likely are (punctuation gaps preferred), by a small dynamic-programming alignment.
 */
import type { Mark } from './provider.js';
import type { Span } from './text.js';

export interface Word {
  text: string;
  /** Seconds. */
  start: number;
  end: number;
}

export interface Interval {
  start: number;
  end: number;
}

/** Where speech starts and ends inside a chunk, given its silences. */
export function speechBounds(duration: number, silences: Interval[]): Interval {
  let start = 0;
  let end = duration;
  for (const s of silences) {
    if (s.start <= 0.02 && s.end < duration) start = Math.max(start, s.end);
    if (s.end >= duration - 0.02 && s.start > 0) end = Math.min(end, s.start);
  }
  return end > start ? { start, end } : { start: 0, end: duration };
}

/** A proxy for how long a word takes to say: letters 1, digits 2.5, symbols/emoji 3, plus 1 per word. */
export function spokenWeight(word: string): number {
  let n = 0;
  for (const ch of word) {
    if (/\p{L}|\p{M}/u.test(ch)) n += 1;
    else if (/\p{N}/u.test(ch)) n += 2.5;
    else if (/[\p{S}\p{Extended_Pictographic}]/u.test(ch)) n += 3;
  }
  return Math.max(n, 1) + 1;
}

/** How likely a pause follows the word: 2 after a sentence end, 1 after a clause mark, else 0. */
function pauseAfter(word: string): number {
  if (/[.!?…。！？]["'”’)\]]*$/u.test(word)) return 2;
  if (/[,;:،؛、，—–-]["'”’)\]]*$/u.test(word)) return 1;
  return 0;
}

/** Lays `words` out over [from, to] in proportion to their weights, contiguously. */
function layout(words: Span[], from: number, to: number, out: Word[]): void {
  const w = words.map((x) => spokenWeight(x.text));
  const total = w.reduce((a, b) => a + b, 0) || 1;
  let t = from;
  words.forEach((x, i) => {
    const d = ((to - from) * w[i]!) / total;
    out.push({ text: x.text, start: t, end: t + d });
    t += d;
  });
}

/** Pauses inside speech (between `bounds`), at least `minGap` long. */
function innerPauses(silences: Interval[], bounds: Interval, minGap: number): Interval[] {
  return silences.filter((s) => s.start > bounds.start + 0.01 && s.end < bounds.end - 0.01 && s.end - s.start >= minGap).sort((a, b) => a.start - b.start);
}

/**
 * Assigns pauses to word gaps (gap k = after word k), keeping order; a pause may stay
 * unassigned (a pause inside a word). Minimizes distance to the proportional estimate,
 * discounted at punctuation.
 */
function alignPauses(pauses: Interval[], gapTimes: number[], gapBonus: number[], skipCost: number): Array<number | undefined> {
  const J = pauses.length;
  const K = gapTimes.length;
  // D[j][k]: best cost for the first j pauses using gaps < k
  const D: number[][] = Array.from({ length: J + 1 }, () => new Array<number>(K + 1).fill(Infinity));
  const how: number[][] = Array.from({ length: J + 1 }, () => new Array<number>(K + 1).fill(0));
  for (let k = 0; k <= K; k++) D[0]![k] = 0;
  for (let j = 1; j <= J; j++) {
    const mid = (pauses[j - 1]!.start + pauses[j - 1]!.end) / 2;
    for (let k = 0; k <= K; k++) {
      let best = D[j - 1]![k]! + skipCost; // pause j-1 left unassigned
      let choice = 0;
      if (k > 0 && D[j]![k - 1]! < best) { best = D[j]![k - 1]!; choice = 1; } // gap k-1 unused
      if (k > 0) {
        const c = D[j - 1]![k - 1]! + Math.abs(gapTimes[k - 1]! - mid) - gapBonus[k - 1]!;
        if (c < best) { best = c; choice = 2; }
      }
      D[j]![k] = best;
      how[j]![k] = choice;
    }
  }
  const assigned: Array<number | undefined> = new Array(J).fill(undefined);
  for (let j = J, k = K; j > 0;) {
    const c = how[j]![k]!;
    if (c === 2) { assigned[j - 1] = k - 1; j--; k--; } else if (c === 1) k--; else j--;
  }
  return assigned;
}

/** Estimated word times in a chunk of `duration` seconds with the given silences. */
export function estimateWords(words: Span[], duration: number, silences: Interval[], minGap = 0.08): Word[] {
  if (!words.length) return [];
  const bounds = speechBounds(duration, silences);
  const pauses = innerPauses(silences, bounds, minGap);
  const rough: Word[] = [];
  layout(words, bounds.start, bounds.end, rough);
  const gapTimes = rough.slice(0, -1).map((w) => w.end);
  const span = bounds.end - bounds.start;
  const gapBonus = words.slice(0, -1).map((w) => (pauseAfter(w.text) * span) / Math.max(words.length, 4));
  const assigned = alignPauses(pauses, gapTimes, gapBonus, span / 4);
  const out: Word[] = [];
  let from = bounds.start;
  let first = 0;
  assigned.forEach((k, j) => {
    if (k === undefined) return;
    layout(words.slice(first, k + 1), from, pauses[j]!.start, out);
    from = pauses[j]!.end;
    first = k + 1;
  });
  layout(words.slice(first), from, bounds.end, out);
  return out;
}

/**
 * Word times from engine marks: a word starts at the first mark inside it; its end is the
 * mark's end when given, else the next word's start, cut at a pause in between. Words the
 * engine skipped (emoji, symbols) share the time around them in proportion to their length.
 */
export function wordsFromMarks(words: Span[], marks: Mark[], duration: number, silences: Interval[], minGap = 0.08): Word[] {
  const sorted = [...marks].sort((a, b) => a.index - b.index);
  const starts: Array<number | undefined> = [];
  const ends: Array<number | undefined> = [];
  let m = 0;
  for (const w of words) {
    while (m < sorted.length && sorted[m]!.index < w.start) m++;
    let s: number | undefined;
    let e: number | undefined;
    for (let i = m; i < sorted.length && sorted[i]!.index < w.end; i++) {
      s ??= sorted[i]!.start;
      if (sorted[i]!.end !== undefined) e = Math.max(e ?? 0, sorted[i]!.end!);
    }
    starts.push(s === undefined ? undefined : Math.min(Math.max(0, s), duration));
    ends.push(e);
  }
  const bounds = speechBounds(duration, silences);
  // fill words without a mark between their neighbours; keep starts monotonic
  for (let i = 0; i < words.length; i++) {
    if (starts[i] !== undefined) {
      if (i > 0 && starts[i]! < starts[i - 1]!) starts[i] = starts[i - 1];
      continue;
    }
    let j = i;
    while (j < words.length && starts[j] === undefined) j++;
    const from = i > 0 ? (ends[i - 1] ?? starts[i - 1]!) : bounds.start;
    const to = j < words.length ? starts[j]! : bounds.end;
    const tmp: Word[] = [];
    layout(words.slice(i > 0 && ends[i - 1] === undefined ? i - 1 : i, j), Math.min(from, to), Math.max(from, to), tmp);
    const shift = i > 0 && ends[i - 1] === undefined ? 1 : 0;
    for (let x = i; x < j; x++) starts[x] = tmp[x - i + shift]!.start;
    i = j - 1;
  }
  const pauses = innerPauses(silences, bounds, minGap);
  return words.map((w, i) => {
    const start = starts[i]!;
    const next = i + 1 < words.length ? starts[i + 1]! : Math.max(bounds.end, start);
    let end = ends[i] !== undefined ? Math.min(ends[i]!, Math.max(next, start)) : next;
    const gap = pauses.find((p) => p.start > start && p.start < end);
    if (ends[i] === undefined && gap) end = gap.start;
    return { text: w.text, start, end: Math.max(start, Math.min(end, duration)) };
  });
}
