/**
 * Splits a string into literal text and `${{ … }}` spans. `$${{` is the escape for a
 * literal `${{`. The end of an expression is the first `}}` outside a quoted string, so
 * `${{ '}}' }}` works.
 */
import { syntaxError } from './fail.js';
import type { ValuePath } from './types.js';

export interface Span {
  /** Index of `${{`. */
  start: number;
  /** The raw text between `${{` and `}}` and where it starts. */
  text: string;
  textStart: number;
}

export type Piece = string | Span;

const OPEN = '${{';
const ESCAPE = '$${{';

/** Quick test: does the string hold `${{` or the escape at all? */
export function mayHoldExpression(s: string): boolean {
  return s.includes(OPEN);
}

export function scanTemplate(s: string, at: ValuePath): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  let i = 0;
  while (i < s.length) {
    const next = s.indexOf(OPEN, i);
    if (next < 0) {
      text += s.slice(i);
      break;
    }
    // a `$` right before `${{` is never part of an earlier token, so this is the escape
    if (next > 0 && s.startsWith(ESCAPE, next - 1)) {
      text += s.slice(i, next - 1) + OPEN;
      i = next + OPEN.length;
      continue;
    }
    text += s.slice(i, next);
    const textStart = next + OPEN.length;
    const { end, quoteAt } = findClose(s, textStart);
    if (end < 0) {
      const source = s.slice(textStart).trim();
      if (quoteAt < 0) throw syntaxError('`${{` has no closing `}}`', next, source, at);
      throw syntaxError(`unclosed quote: the string starting here has no closing ${s[quoteAt]}`, quoteAt, source, at);
    }
    if (text) pieces.push(text);
    text = '';
    pieces.push({ start: next, text: s.slice(textStart, end), textStart });
    i = end + 2;
  }
  if (text) pieces.push(text);
  return pieces;
}

/** Index of the closing `}}` (-1: none) and where a quote that is never closed starts (-1: none). */
function findClose(s: string, from: number): { end: number; quoteAt: number } {
  let quoteAt = -1;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (quoteAt >= 0) {
      if (c === '\\') i++;
      else if (c === s[quoteAt]) quoteAt = -1;
    } else if (c === "'" || c === '"') {
      quoteAt = i;
    } else if (c === '}' && s[i + 1] === '}') {
      return { end: i, quoteAt: -1 };
    }
  }
  return { end: -1, quoteAt };
}

/** True when the string holds at least one real `${{`, one not preceded by `$`. */
export function hasExpressionText(s: string): boolean {
  for (let i = s.indexOf(OPEN); i >= 0; i = s.indexOf(OPEN, i + OPEN.length)) {
    if (i === 0 || s[i - 1] !== '$') return true;
  }
  return false;
}
