/**
 * Post length as X counts it: the official `twitter-text` weighting (most CJK and emoji
 * count 2, every URL counts 23), and splitting a long text into a thread at sentence
 * boundaries, then word boundaries, never inside a word or a link.
 */
import twitterText from 'twitter-text';
import { mpv2Error } from '../../src/errors.js';

/** Weighted length of a post (URLs count 23 whatever their length). */
export function weightedLength(text: string): number {
  return twitterText.parseTweet(text).weightedLength;
}

/** Throws a clear error when `text` cannot be posted as one post of at most `max`. */
export function checkPost(text: string, max: number, what = 'the post'): void {
  if (text.trim() === '') throw mpv2Error('E_PLUGIN_INPUT_INVALID', `${what} is empty`);
  if (twitterText.hasInvalidCharacters(text)) throw mpv2Error('E_PLUGIN_INPUT_INVALID', `${what} holds characters X does not accept (U+FFFE, U+FEFF, U+FFFF or direction overrides)`);
  const n = weightedLength(text);
  if (n > max) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `${what} is ${n} characters as X counts them (links count 23), more than the ${max} allowed`, {
      hint: 'set `split: true` to post it as a thread cut at sentence boundaries, or shorten it',
      details: { length: n, max },
    });
  }
}

interface Piece { text: string; sep: string }

/** Sentences with the whitespace that followed each (so paragraph breaks survive). */
function sentences(text: string): Piece[] {
  const seg = new Intl.Segmenter('en', { granularity: 'sentence' });
  const out: Piece[] = [];
  for (const { segment } of seg.segment(text.trim())) {
    const m = /^([\s\S]*?)(\s*)$/.exec(segment)!;
    if (m[1]) out.push({ text: m[1], sep: m[2] ?? '' });
    else if (out.length) out[out.length - 1]!.sep += m[2] ?? '';
  }
  return out;
}

const joiner = (sep: string) => (sep.includes('\n\n') ? '\n\n' : sep.includes('\n') ? '\n' : ' ');

/** Words of a sentence too long for one post; a single word longer than `max` cannot be posted. */
function words(sentence: Piece, max: number): Piece[] {
  const parts = sentence.text.split(/(\s+)/);
  const out: Piece[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const w = parts[i]!;
    if (!w) continue;
    if (weightedLength(w) > max) {
      throw mpv2Error('E_PLUGIN_INPUT_INVALID', `cannot split the text into posts: "${w.slice(0, 40)}…" alone is longer than ${max} characters`, { hint: 'break that word up or shorten the text' });
    }
    out.push({ text: w, sep: i + 2 < parts.length ? (parts[i + 1] ?? ' ') : sentence.sep });
  }
  return out;
}

/**
 * Splits `text` into posts of at most `max` weighted characters: whole sentences packed
 * greedily; a sentence longer than a post is cut between words. Text that fits is one post.
 */
export function splitIntoPosts(text: string, max: number): string[] {
  if (weightedLength(text.trim()) <= max) return [text.trim()];
  const units = sentences(text).flatMap((s) => (weightedLength(s.text) > max ? words(s, max) : [s]));
  const posts: string[] = [];
  let current = '';
  let pendingSep = '';
  for (const u of units) {
    const candidate = current ? `${current}${joiner(pendingSep)}${u.text}` : u.text;
    if (!current || weightedLength(candidate) <= max) current = candidate;
    else { posts.push(current); current = u.text; }
    pendingSep = u.sep;
  }
  if (current) posts.push(current);
  return posts;
}
