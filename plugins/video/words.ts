/**
 * Word timings (tts.speak's `words`) cleaned up and grouped into short caption lines.
 */
import { displayWidth, joinWords } from './segment.js';
export interface Word {
  text: string;
  start: number;
  end: number;
}

/** Drops empty words, sorts by start, clamps to [0, duration] and makes ends ≥ starts. */
export function cleanWords(words: readonly Word[], durationSec: number): Word[] {
  const out = words
    .filter((w) => w && typeof w.text === 'string' && w.text.trim() !== '' && Number.isFinite(w.start) && Number.isFinite(w.end))
    .map((w) => ({ text: w.text.trim(), start: Math.max(0, w.start), end: Math.max(w.start, w.end) }))
    .filter((w) => w.start < durationSec)
    .sort((a, b) => a.start - b.start);
  for (let i = 0; i < out.length; i++) {
    const w = out[i]!;
    w.end = Math.min(w.end, durationSec);
    const next = out[i + 1];
    if (next && w.end > next.start) w.end = Math.max(w.start, next.start);
  }
  return out;
}

export interface Group {
  words: Word[];
  start: number;
  end: number;
  text: string;
}

export interface GroupOptions {
  /** Most words in a group. */
  maxWords: number;
  /** Most characters in a group (a single longer word still gets its own group). */
  maxChars: number;
  /** A pause at least this long (seconds) starts a new group. @default 0.6 */
  breakGap?: number;
}

/** Groups words into caption lines: by count, by length, at pauses and after sentence ends. */
export function groupWords(words: readonly Word[], opts: GroupOptions): Group[] {
  const { maxWords, maxChars, breakGap = 0.6 } = opts;
  const groups: Group[] = [];
  let cur: Word[] = [];
  const flush = () => {
    if (cur.length === 0) return;
    groups.push({ words: cur, start: cur[0]!.start, end: cur[cur.length - 1]!.end, text: joinWords(cur.map((w) => w.text)) });
    cur = [];
  };
  for (const w of words) {
    const prev = cur[cur.length - 1];
    // widths, not UTF-16 lengths: a CJK character sets about twice as wide as a Latin one
    const len = displayWidth(joinWords([...cur, w].map((x) => x.text)));
    if (prev && (cur.length >= maxWords || len > maxChars || w.start - prev.end >= breakGap || /[.!?…:;。！？]$/.test(prev.text))) flush();
    cur.push(w);
  }
  flush();
  return groups;
}
