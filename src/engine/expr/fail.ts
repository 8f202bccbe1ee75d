/**
 * Error helpers. Syntax errors carry the offset of the failing token in the containing
 * string; evaluation errors are raised as `EvalFailure` deep inside and wrapped once, at
 * the expression, into an Mpv2Error that names the expression.
 */
import { mpv2Error, type Mpv2Error } from '../../errors.js';
import type { ValuePath } from './types.js';

const SYNTAX_HINT = 'expressions look like ${{ steps.<id>.outputs.<field> }}; see docs/expressions.md';

export function syntaxError(message: string, offset: number, expression: string, at: ValuePath, hint = SYNTAX_HINT): Mpv2Error {
  return mpv2Error('E_EXPR_SYNTAX', message, { hint, details: { offset, expression, path: at } });
}

/** Thrown by the evaluator and the functions; becomes E_EXPR_EVAL at the expression. */
export class EvalFailure extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'EvalFailure';
  }
}

export function evalError(e: unknown, expression: string, offset: number, at: ValuePath): Mpv2Error {
  const inner = e instanceof EvalFailure ? e.message : e instanceof Error ? e.message : String(e);
  const hint = e instanceof EvalFailure ? e.hint : undefined;
  return mpv2Error('E_EXPR_EVAL', `${inner} in \`\${{ ${expression} }}\``, {
    hint,
    cause: e instanceof EvalFailure ? undefined : e,
    details: { expression, offset, path: at },
  });
}

/** Texts up to this length are quoted whole in error messages; longer ones only by their length. */
const QUOTE_MAX = 40;

/**
 * Short, printable form of a value for error messages. A text is quoted whole or not at all:
 * a cut-off quote of a text that holds a secret would carry a piece of it, which redacting
 * the whole secret cannot catch.
 */
export function describe(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return value.length > QUOTE_MAX ? `a text of ${value.length} characters` : JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return value instanceof Date ? 'a date' : 'an object';
  return `${typeof value === 'number' ? 'the number' : 'the boolean'} ${String(value)}`;
}
