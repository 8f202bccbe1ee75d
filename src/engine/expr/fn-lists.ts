/**
 * Functions that line up lists index by index, e.g. a `foreach` step's items, its `outputs`
 * and its `errors`, into one record per item. A `null` list (a step that did not run) reads as
 * an empty list; the result is as long as the longest list, missing entries `null`.
 */
import { fail } from './args.js';
import { FORBIDDEN_KEYS, isPlainObject } from './values.js';
import type { FnDef } from './types.js';

function lists(fn: string, args: unknown[], from: number): unknown[][] {
  return args.slice(from).map((v, i) => (v === null || v === undefined ? [] : Array.isArray(v) ? v : fail(fn, from + i, 'a list (or null)', v)));
}

const longest = (ls: unknown[][]): number => Math.max(0, ...ls.map((l) => l.length));

export const LIST_FUNCTIONS: Record<string, FnDef> = {
  zip: {
    signature: 'zip(keys, list1, list2, …)', min: 2, max: Infinity,
    run(a) {
      const keys = Array.isArray(a[0]) ? a[0] : fail('zip', 0, 'a list of keys', a[0]);
      keys.forEach((k) => { if (typeof k !== 'string' || FORBIDDEN_KEYS.has(k)) fail('zip', 0, 'a list of keys (strings other than __proto__, constructor, prototype)', k); });
      const ls = lists('zip', a, 1);
      if (ls.length !== keys.length) fail('zip', 0, `as many keys as lists (${ls.length})`, keys);
      return Array.from({ length: longest(ls) }, (_, i) => Object.fromEntries(keys.map((k, j) => [k as string, ls[j]![i] ?? null])));
    },
  },
  mergeEach: {
    signature: 'mergeEach(list1, list2, …)', min: 1, max: Infinity,
    run(a) {
      const ls = lists('mergeEach', a, 0);
      return Array.from({ length: longest(ls) }, (_, i) => {
        const parts = ls.map((l) => l[i]).filter(isPlainObject);
        // fromEntries, not Object.assign: an own `__proto__` key (parsed JSON) must stay a key
        return parts.length ? Object.fromEntries(parts.flatMap((o) => Object.entries(o))) : null;
      });
    },
  },
};
