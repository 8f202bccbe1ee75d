/** Argument checks for the built-in functions: say which function, which argument, what came. */
import { describe, EvalFailure } from './fail.js';
import { isPlainObject } from './values.js';

function wrong(fn: string, i: number, expected: string, got: unknown): EvalFailure {
  return new EvalFailure(`${fn}() expects ${expected} as argument ${i + 1}, got ${describe(got)}`);
}

export function str(fn: string, args: unknown[], i: number): string {
  const v = args[i];
  if (typeof v !== 'string') throw wrong(fn, i, 'a string', v);
  return v;
}

export function optStr(fn: string, args: unknown[], i: number, fallback: string): string {
  return args[i] === undefined ? fallback : str(fn, args, i);
}

export function num(fn: string, args: unknown[], i: number): number {
  const v = args[i];
  if (typeof v !== 'number' || Number.isNaN(v)) throw wrong(fn, i, 'a number', v);
  return v;
}

export function int(fn: string, args: unknown[], i: number, min = 0): number {
  const v = args[i];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw wrong(fn, i, `a whole number ≥ ${min}`, v);
  return v;
}

export function list(fn: string, args: unknown[], i: number): unknown[] {
  const v = args[i];
  if (!Array.isArray(v)) throw wrong(fn, i, 'a list', v);
  return v;
}

export function object(fn: string, args: unknown[], i: number): Record<string, unknown> {
  const v = args[i];
  if (!isPlainObject(v)) throw wrong(fn, i, 'an object', v);
  return v;
}

export function fail(fn: string, i: number, expected: string, got: unknown): never {
  throw wrong(fn, i, expected, got);
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Code points, so an emoji counts as one character and is never cut in half. */
export function chars(s: string): string[] {
  return Array.from(s);
}

/** Number of code points, without building an array in the common case. */
export function charCount(s: string): number {
  return SURROGATE.test(s) ? Array.from(s).length : s.length;
}
