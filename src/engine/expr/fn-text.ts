/** String functions. Lengths and cuts count code points, so emoji stay whole. */
import { charCount, chars, fail, int, list, optStr, str } from './args.js';
import type { FnDef } from './types.js';
import { deepEqual, isPlainObject, toText } from './values.js';

export const TEXT_FUNCTIONS: Record<string, FnDef> = {
  length: {
    signature: 'length(value)', min: 1, max: 1,
    run([v]) {
      if (typeof v === 'string') return charCount(v);
      if (Array.isArray(v)) return v.length;
      if (isPlainObject(v)) return Object.keys(v).length;
      return fail('length', 0, 'a string, list or object', v);
    },
  },
  lower: { signature: 'lower(text)', min: 1, max: 1, run: (a) => str('lower', a, 0).toLowerCase() },
  upper: { signature: 'upper(text)', min: 1, max: 1, run: (a) => str('upper', a, 0).toUpperCase() },
  trim: { signature: 'trim(text)', min: 1, max: 1, run: (a) => str('trim', a, 0).trim() },
  truncate: {
    signature: "truncate(text, max, suffix='…')", min: 2, max: 3,
    run(a) {
      const text = chars(str('truncate', a, 0));
      const max = int('truncate', a, 1);
      const suffix = chars(optStr('truncate', a, 2, '…'));
      if (text.length <= max) return text.join('');
      if (suffix.length >= max) return text.slice(0, max).join('');
      return text.slice(0, max - suffix.length).join('').trimEnd() + suffix.join('');
    },
  },
  split: {
    signature: "split(text, separator=',')", min: 1, max: 2,
    run: (a) => str('split', a, 0).split(optStr('split', a, 1, ',')),
  },
  join: {
    signature: "join(list, separator=',')", min: 1, max: 2,
    run(a) {
      const sep = optStr('join', a, 1, ',');
      if (typeof a[0] === 'string') return a[0];
      return list('join', a, 0).map(toText).join(sep);
    },
  },
  replace: {
    signature: 'replace(text, from, to)', min: 3, max: 3,
    run(a) {
      const from = str('replace', a, 1);
      if (from === '') fail('replace', 1, 'a non-empty string', from);
      return str('replace', a, 0).split(from).join(str('replace', a, 2));
    },
  },
  startsWith: {
    signature: 'startsWith(text, prefix)', min: 2, max: 2,
    run: (a) => str('startsWith', a, 0).startsWith(str('startsWith', a, 1)),
  },
  endsWith: {
    signature: 'endsWith(text, suffix)', min: 2, max: 2,
    run: (a) => str('endsWith', a, 0).endsWith(str('endsWith', a, 1)),
  },
  contains: {
    signature: 'contains(textOrList, value)', min: 2, max: 2,
    run([hay, needle]) {
      if (Array.isArray(hay)) return hay.some((x) => deepEqual(x, needle));
      if (typeof hay === 'string') return hay.includes(str('contains', [hay, needle], 1));
      return fail('contains', 0, 'a string or a list', hay);
    },
  },
  slug: {
    signature: 'slug(text)', min: 1, max: 1,
    run: (a) =>
      str('slug', a, 0)
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, ''),
  },
};
