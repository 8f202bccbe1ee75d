/**
 * The scene title of a generated visual (drawn by video.render): the query's keywords, without emoji (no colour emoji
 * font is guaranteed) and control characters, capped so very long queries still fit.
 */
const STOPWORDS = new Set(
  ('a an and are as at be by for from has have how i in into is it its of on or over that the their this to under was were what when where which who why with your you ' +
    'about after before between during very more most some such than then these those through while goes go gets get make makes far away just really').split(' '),
);

const EMOJI = /[\p{Extended_Pictographic}\p{Regional_Indicator}\u{FE0E}\u{FE0F}\u{200D}\u{20E3}\u{1F3FB}-\u{1F3FF}]/gu;
const CONTROL = /[\p{Cc}\p{Cf}]/gu;

export interface DisplayText {
  /** Text to set, upper-cased where the script has case. */
  text: string;
  words: number;
}

export function displayText(query: string, opts: { maxWords?: number; maxChars?: number } = {}): DisplayText {
  const { maxWords = 5, maxChars = 48 } = opts;
  const clean = query.replace(EMOJI, ' ').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  const isStop = (w: string) => STOPWORDS.has(w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ''));
  let words = clean.split(' ').filter(Boolean);
  const content = words.filter((w) => !isStop(w));
  // "how to make sourdough bread" → "sourdough bread": leading and trailing filler goes first
  if (content.length > 0) {
    const first = words.findIndex((w) => !isStop(w));
    const last = words.length - 1 - [...words].reverse().findIndex((w) => !isStop(w));
    words = words.slice(first, last + 1);
  }
  // short phrases read better whole ("day at the sea"); long ones are cut to their keywords
  if ((words.length > 5 || words.join(' ').length > 32) && content.length > 0) words = content;
  words = words.slice(0, maxWords);
  let text = words.join(' ');
  if (text.length > maxChars) {
    // cut on a grapheme boundary so a surrogate pair or combining mark is never split
    const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);
    text = `${graphemes.slice(0, maxChars - 1).join('').trimEnd()}…`;
  }
  return { text: text.toLocaleUpperCase(), words: words.length };
}
