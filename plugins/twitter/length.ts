/**
 * Post length as X counts it: the official `twitter-text` weighting (most CJK and emoji
 * count 2, every URL counts 23), and splitting a long text into a thread between words,
 * never inside a word, link, mention, hashtag or cashtag.
 */
import { createRequire } from 'node:module';
import type TwitterText from 'twitter-text';

// loaded on first use (with its core-js polyfills it is ~0.1 s of every start-up otherwise)
const requireLazy = createRequire(import.meta.url);
let twitterTextLib: typeof TwitterText | undefined;
const twitterText = (): typeof TwitterText => (twitterTextLib ??= requireLazy('twitter-text') as typeof TwitterText);
import { mpv2Error } from 'mpv2/plugin';

/** Weighted length of a post (URLs count 23 whatever their length). */
export function weightedLength(text: string): number {
  return twitterText().parseTweet(text).weightedLength;
}

/** Throws a clear error when `text` cannot be posted as one post of at most `max`. */
export function checkPost(text: string, max: number, what = 'the post'): void {
  if (text.trim() === '') throw mpv2Error('E_PLUGIN_INPUT_INVALID', `${what} is empty`);
  if (twitterText().hasInvalidCharacters(text)) throw mpv2Error('E_PLUGIN_INPUT_INVALID', `${what} holds characters X does not accept (U+FFFE, U+FEFF, U+FFFF or direction overrides)`);
  const n = weightedLength(text);
  if (n > max) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `${what} is ${n} characters as X counts them (links count 23), more than the ${max} allowed`, {
      hint: 'set `split: true` to post it as a thread cut at sentence boundaries, or shorten it',
      details: { length: n, max },
    });
  }
}

/** A place the text may be cut: the post ends at `end`, the next starts at `next`. */
interface Break { end: number; next: number; rank: number }

const SENTENCE_END = /[.!?…。！？][)\]}"'’”»]*$/u;
const CLAUSE_END = /[,;:—–，、；：)]$/u;
/** Scripts written without spaces between words: a cut there falls between two words. */
const NO_SPACE_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\u3000-\u303f\uff00-\uffef]/u;

/** Spans [start, end) of every URL, mention, list, hashtag and cashtag, as X finds them. */
function entitySpans(text: string): Array<[number, number]> {
  return twitterText().extractEntitiesWithIndices(text).map((e) => e.indices);
}

/**
 * Every place the text may be cut, ranked: 4 a paragraph break, 3 a sentence end, 2 a clause
 * end, 1 any other space, 0 between two words of a script written without spaces (Chinese, Japanese, Thai …). Never inside
 * an entity (URLs, mentions, hashtags, cashtags) or a word.
 */
function breaks(text: string): Break[] {
  const spans = entitySpans(text);
  const inside = (i: number) => spans.some(([a, b]) => i > a && i < b);
  const out: Break[] = [];
  for (const m of text.matchAll(/\s+/g)) {
    const end = m.index!;
    if (end === 0 || inside(end)) continue;
    const before = text.slice(Math.max(0, end - 8), end);
    const rank = m[0].includes('\n\n') ? 4 : SENTENCE_END.test(before) ? 3 : CLAUSE_END.test(before) ? 2 : 1;
    out.push({ end, next: end + m[0].length, rank });
  }
  // the word segmenter knows where words of Chinese/Japanese end; cut only between two such characters
  const words = new Intl.Segmenter('und', { granularity: 'word' });
  for (const { index } of words.segment(text)) {
    if (index === 0 || inside(index)) continue;
    const prev = text.slice(0, index).at(-1)!;
    const next = text[index]!;
    if (!NO_SPACE_SCRIPT.test(prev) || !NO_SPACE_SCRIPT.test(next)) continue;
    out.push({ end: index, next: index, rank: SENTENCE_END.test(prev) ? 3 : CLAUSE_END.test(prev) ? 2 : 0 });
  }
  return out.sort((a, b) => a.end - b.end);
}

/**
 * Splits `text` into posts of at most `max` weighted characters, cutting only between words and
 * entities: each post takes the best-ranked cut that fits in the second half of its room (a
 * sentence end over a clause end over any space), else the furthest cut that fits. Posts are
 * slices of the text, so joined they give it back, whitespace aside. Text that fits is one post.
 */
export function splitIntoPosts(text: string, max: number): string[] {
  const all = text.trim();
  if (weightedLength(all) <= max) return [all];
  const cuts = breaks(all);
  const posts: string[] = [];
  let start = 0;
  let i = 0;
  while (weightedLength(all.slice(start)) > max) {
    while (i < cuts.length && cuts[i]!.end <= start) i++;
    const fitting: Array<Break & { length: number }> = [];
    for (let j = i; j < cuts.length; j++) {
      const length = weightedLength(all.slice(start, cuts[j]!.end));
      // whole words and entities only add to the length, so the first that overflows ends the search
      if (length > max) break;
      fitting.push({ ...cuts[j]!, length });
    }
    if (fitting.length === 0) {
      const word = all.slice(start, cuts[i]?.end ?? all.length);
      throw mpv2Error('E_PLUGIN_INPUT_INVALID', `cannot split the text into posts: "${word.length > 40 ? `${word.slice(0, 40)}…` : word}" alone is longer than ${max} characters as X counts them`, {
        hint: 'break that word up or shorten the text (a link counts 23)',
      });
    }
    const roomy = fitting.filter((c) => c.length >= max / 2);
    const pool = roomy.length ? roomy : fitting;
    const best = pool.reduce((a, c) => (c.rank >= a.rank ? c : a));
    posts.push(all.slice(start, best.end));
    start = best.next;
  }
  posts.push(all.slice(start));
  return posts;
}
