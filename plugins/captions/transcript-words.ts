/**
 * Transcripts as words in order, never overlapping: an OpenAI-style `verbose_json` answer, or
 * timed sub-word pieces (whisper.cpp's tokens). Word timestamps are used as given; a server that
 * gives only segments gets its words spread over each segment by their length, and says so.
 */
import type { TimedWord } from './transcriber.js';

export interface VerboseAnswer {
  text: string;
  language?: string;
  words?: Array<{ word: string; start: number; end: number }>;
  segments?: Array<{ start: number; end: number; text: string }>;
}

export const SPREAD_WARNING = 'the transcription server gave no word timestamps, only segments: each segment\'s words are spread over it by their length, so word times are estimates';

/** Whether `x` has the fields this module reads, with the types it reads them as. */
export function isVerboseAnswer(x: unknown): x is VerboseAnswer {
  const a = x as VerboseAnswer | null;
  if (!a || typeof a !== 'object' || typeof a.text !== 'string') return false;
  const timed = (t: { start?: unknown; end?: unknown }) => Number.isFinite(t.start) && Number.isFinite(t.end);
  if (a.words !== undefined && !(Array.isArray(a.words) && a.words.every((w) => typeof w?.word === 'string' && timed(w)))) return false;
  if (a.segments !== undefined && !(Array.isArray(a.segments) && a.segments.every((s) => typeof s?.text === 'string' && timed(s)))) return false;
  return true;
}

/** The answer's words, or undefined when it holds text but no times at all. */
export function answerWords(a: VerboseAnswer): { words: TimedWord[]; warning?: string } | undefined {
  if (a.words?.length) return { words: ordered(a.words.map((w) => ({ text: w.word.trim(), start: w.start, end: w.end }))) };
  if (a.segments?.length) {
    const words = a.segments.flatMap((s) => spread(s.text, s.start, s.end));
    return words.length ? { words: ordered(words), warning: SPREAD_WARNING } : { words: [] };
  }
  return a.text.trim() === '' ? { words: [] } : undefined;
}

/** A piece of a transcript with its times, in seconds: a whisper.cpp token, `" Hel"` or `"lo"`. */
export interface TimedPiece {
  text: string;
  start: number;
  end: number;
}

/**
 * Words from sub-word pieces: a word is a run of non-space characters of the pieces put end to
 * end (so `" Hel"` + `"lo,"` is `Hello,`); it starts when the piece holding its first character
 * starts and ends when the piece holding its last character ends. Byte-level tokens may split a
 * character between two pieces, which then each hold U+FFFD instead of their half: `whole`, the
 * same transcript decoded in one piece, spells the words then (its whitespace is the same).
 */
export function pieceWords(pieces: TimedPiece[], whole: string): TimedWord[] {
  const joined = pieces.map((p) => p.text).join('');
  // the piece that holds each UTF-16 unit of `joined`
  const owner: number[] = [];
  pieces.forEach((p, i) => { for (let k = 0; k < p.text.length; k++) owner.push(i); });
  const runs = [...joined.matchAll(/\S+/g)];
  const spelled = whole.match(/\S+/g) ?? [];
  const words = runs.map((m, i) => ({
    text: spelled.length === runs.length ? spelled[i]! : m[0],
    start: pieces[owner[m.index]!]!.start,
    end: pieces[owner[m.index + m[0].length - 1]!]!.end,
  }));
  return ordered(words);
}

/** A segment's words, each given a share of its time in proportion to its length (a space counts as one). */
function spread(text: string, start: number, end: number): TimedWord[] {
  const tokens = text.split(/\s+/).filter(Boolean);
  const total = tokens.reduce((n, t) => n + [...t].length + 1, 0);
  const span = Math.max(0, end - start);
  let at = start;
  return tokens.map((t) => {
    const len = span * (([...t].length + 1) / total);
    const w = { text: t, start: at, end: at + len * ([...t].length / ([...t].length + 1)) };
    at += len;
    return w;
  });
}

/** Drops empty words and makes times run forward: a word never starts before the previous one ends. */
function ordered(words: TimedWord[]): TimedWord[] {
  const out: TimedWord[] = [];
  let prevEnd = 0;
  for (const w of words) {
    if (!w.text) continue;
    const start = Math.max(w.start, prevEnd);
    const end = Math.max(w.end, start);
    out.push({ text: w.text, start: round(start), end: round(end) });
    prevEnd = end;
  }
  return out;
}

const round = (s: number): number => Math.round(s * 1000) / 1000;
