/** Functions on data: fallbacks, JSON, numbers, lists and objects. */
import { EvalFailure, describe } from './fail.js';
import { fail, int, num, object, str } from './args.js';
import type { FnDef } from './types.js';
import { jsonProblem } from '../../infra/json-problem.js';

const MAX_RANGE = 100_000;

function numbers(fn: string, args: unknown[]): number[] {
  const values = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  return values.map((v, i) => (typeof v === 'number' && !Number.isNaN(v) ? v : fail(fn, i, 'numbers', v)));
}

export const DATA_FUNCTIONS: Record<string, FnDef> = {
  default: {
    signature: 'default(value, fallback)', min: 2, max: 2,
    run: ([v, fallback]) => (v === undefined || v === null || v === '' ? fallback : v),
  },
  toJSON: {
    signature: 'toJSON(value, indent=0)', min: 1, max: 2,
    run(a) {
      const indent = a[1] === undefined ? 0 : int('toJSON', a, 1);
      return JSON.stringify(a[0] ?? null, null, indent) ?? 'null';
    },
  },
  fromJSON: {
    signature: 'fromJSON(text)', min: 1, max: 1,
    run(a) {
      const text = str('fromJSON', a, 0);
      try {
        return JSON.parse(text) as unknown;
      } catch (e) {
        throw new EvalFailure(`fromJSON() got text that is not JSON (${describe(text)}): ${jsonProblem(e)}`);
      }
    },
  },
  compact: {
    signature: 'compact(list)', min: 1, max: 1,
    run: (a) => {
      if (!Array.isArray(a[0])) fail('compact', 0, 'a list', a[0]);
      return (a[0] as unknown[]).filter((v) => v !== null && v !== undefined);
    },
  },
  pluck: {
    signature: 'pluck(list, key)', min: 2, max: 2,
    run: (a) => {
      if (!Array.isArray(a[0])) fail('pluck', 0, 'a list', a[0]);
      const key = str('pluck', a, 1);
      return (a[0] as unknown[]).map((v) => (v && typeof v === 'object' && Object.hasOwn(v, key) && !['__proto__', 'constructor', 'prototype'].includes(key) ? (v as Record<string, unknown>)[key] : null));
    },
  },
  keys: {
    signature: 'keys(object)', min: 1, max: 1,
    run: (a) => Object.keys(object('keys', a, 0)),
  },
  round: {
    signature: 'round(number, digits=0)', min: 1, max: 2,
    run(a) {
      const n = num('round', a, 0);
      const digits = a[1] === undefined ? 0 : int('round', a, 1);
      // shift through the decimal exponent so 1.005 rounds to 1.01, not 1.00
      return Number(`${Math.round(Number(`${n}e${digits}`))}e-${digits}`);
    },
  },
  min: {
    signature: 'min(a, b, …) or min(list)', min: 1, max: Infinity,
    run: (a) => {
      const xs = numbers('min', a);
      return xs.length ? Math.min(...xs) : null;
    },
  },
  max: {
    signature: 'max(a, b, …) or max(list)', min: 1, max: Infinity,
    run: (a) => {
      const xs = numbers('max', a);
      return xs.length ? Math.max(...xs) : null;
    },
  },
  range: {
    signature: 'range(count) or range(start, end)', min: 1, max: 2,
    run(a) {
      const [start, end] = a.length === 1 ? [0, int('range', a, 0)] : [int('range', a, 0), int('range', a, 1)];
      if (end - start > MAX_RANGE) fail('range', a.length - 1, `at most ${MAX_RANGE} numbers`, end - start);
      return Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
    },
  },
};

