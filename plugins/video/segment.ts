/**
 * Caption words for scripts written without spaces (Japanese, Chinese, Thai, Lao, Khmer,
 * Myanmar). A narration engine may hand a whole sentence as one "word"; libass, run by ffmpeg
 * without its Unicode line-breaking feature, only wraps at spaces, so such a word would run off
 * the frame. It is cut into words with the ICU word segmenter (`Intl.Segmenter`), each given a
 * share of the word's time by its length; punctuation stays with the word before it (a line
 * never starts with `。` or `、`) and an opening bracket with the word after it.
 */
import type { Word } from './words.js';

const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const OPENING = /^[\p{Ps}\p{Pi}]+$/u;

/** Whether two neighbouring caption words are written together (no space between them). */
export function joinedWithoutSpace(left: string, right: string): boolean {
  const last = [...left].at(-1) ?? '';
  const first = [...right][0] ?? '';
  const unspacedOrMark = (c: string) => UNSPACED.test(c) || /[\p{P}\u3000-\u303f\uff00-\uffef]/u.test(c);
  return (UNSPACED.test(last) && unspacedOrMark(first)) || (UNSPACED.test(first) && unspacedOrMark(last));
}

/** The text of words joined as the script writes them. */
export function joinWords(words: readonly string[]): string {
  let out = '';
  words.forEach((w, i) => { out += i === 0 || joinedWithoutSpace(words[i - 1]!, w) ? w : ` ${w}`; });
  return out;
}

/** How wide a word sets (a CJK character is about two Latin ones), for line lengths. */
export function displayWidth(text: string): number {
  let n = 0;
  for (const ch of text) n += /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u.test(ch) ? 2 : 1;
  return n;
}

/** Splits each long unspaced word into segmenter words with times shared by length. */
export function splitUnspaced(words: readonly Word[], language: string | undefined, maxWidth: number): Word[] {
  const segmenter = new Intl.Segmenter(language, { granularity: 'word' });
  const out: Word[] = [];
  for (const w of words) {
    if (!UNSPACED.test(w.text) || displayWidth(w.text) <= maxWidth) { out.push(w); continue; }
    const parts: string[] = [];
    let pendingOpen = '';
    for (const { segment, isWordLike } of segmenter.segment(w.text)) {
      if (/^\s+$/u.test(segment)) continue;
      if (OPENING.test(segment)) { pendingOpen += segment; continue; }
      if (!isWordLike && parts.length > 0 && !pendingOpen) parts[parts.length - 1] += segment;
      else { parts.push(pendingOpen + segment); pendingOpen = ''; }
    }
    if (pendingOpen) parts.push(pendingOpen);
    const total = parts.reduce((n, p) => n + [...p].length, 0);
    let t = w.start;
    for (const p of parts) {
      const end = t + ((w.end - w.start) * [...p].length) / total;
      out.push({ text: p, start: t, end });
      t = end;
    }
  }
  return out;
}
