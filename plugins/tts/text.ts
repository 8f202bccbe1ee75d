/**
 * Text handling for tts.speak: sentences, chunks within an engine's limit, and the words
 * that get timings. Offsets are UTF-16 indexes into the original text so words keep their
 * exact text (emoji, right-to-left scripts, punctuation).
 */

export interface Span {
  text: string;
  /** Start offset (UTF-16) in the text the span was taken from. */
  start: number;
  end: number;
}

export interface Chunk extends Span {
  /** Words of the chunk, offsets relative to the chunk's own text. */
  words: Span[];
}

/** A whitespace-separated token counts as a word when it holds a letter, digit, symbol (emoji included) or a spoken sign (& % # @ §). */
const WORDLIKE = /[\p{L}\p{N}\p{S}\p{Extended_Pictographic}&%#@§]/u;

/** The words of `text`: whitespace-separated tokens that are not punctuation only. */
export function tokenize(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(/\S+/gu)) {
    if (WORDLIKE.test(m[0])) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Sentences (trimmed, non-empty) with their offsets in `text`. */
export function splitSentences(text: string): Span[] {
  const out: Span[] = [];
  for (const s of segmenter.segment(text)) {
    const lead = s.segment.length - s.segment.trimStart().length;
    const body = s.segment.trim();
    if (!body) continue;
    // a "sentence" of punctuation only (e.g. "..." on its own) joins the previous one
    const prev = out[out.length - 1];
    if (prev && !WORDLIKE.test(body)) {
      prev.text = text.slice(prev.start, s.index + lead + body.length);
      prev.end = prev.start + prev.text.length;
      continue;
    }
    out.push({ text: body, start: s.index + lead, end: s.index + lead + body.length });
  }
  return out;
}

/** Splits one over-long sentence at clause punctuation, then at spaces, then anywhere. */
function splitLong(s: Span, max: number): Span[] {
  const out: Span[] = [];
  let rest = s;
  while (rest.text.length > max) {
    const window = rest.text.slice(0, max + 1);
    let cut = -1;
    for (const re of [/[,;:\u2014\u2013)\]]\s/gu, /\s/gu]) {
      for (const m of window.matchAll(re)) if (m.index > 0) cut = m.index + m[0].length - 1;
      if (cut > max / 3) break;
    }
    if (cut <= 0) cut = max;
    const head = rest.text.slice(0, cut).trimEnd();
    const skip = rest.text.slice(cut).length - rest.text.slice(cut).trimStart().length;
    if (head) out.push({ text: head, start: rest.start, end: rest.start + head.length });
    const start = rest.start + cut + skip;
    rest = { text: rest.text.slice(cut + skip), start, end: rest.end };
  }
  if (rest.text) out.push(rest);
  return out;
}

/**
 * Groups sentences into chunks of at most `maxChars` characters, never splitting a
 * sentence unless it alone is longer than the limit. `perSentence` makes every sentence
 * its own chunk (engines without word timings: sentence boundaries are then exact).
 */
export function chunkText(text: string, maxChars: number, perSentence = false): Chunk[] {
  const pieces = splitSentences(text).flatMap((s) => (s.text.length > maxChars ? splitLong(s, maxChars) : [s]));
  const groups: Span[][] = [];
  let cur: Span[] = [];
  let len = 0;
  for (const p of pieces) {
    const extra = cur.length ? p.end - cur[cur.length - 1]!.end : p.text.length;
    if (cur.length && (perSentence || len + extra > maxChars)) {
      groups.push(cur);
      cur = [];
      len = 0;
    }
    len += cur.length ? extra : p.text.length;
    cur.push(p);
  }
  if (cur.length) groups.push(cur);
  return groups.map((g) => {
    const start = g[0]!.start;
    const end = g[g.length - 1]!.end;
    const body = text.slice(start, end);
    return { text: body, start, end, words: tokenize(body) };
  });
}

/** The 0-based UTF-16 offset of each code point index (espeak reports code point positions). */
export function codePointOffsets(text: string): number[] {
  const out: number[] = [];
  let i = 0;
  for (const ch of text) {
    out.push(i);
    i += ch.length;
  }
  out.push(i);
  return out;
}
