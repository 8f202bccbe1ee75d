import { describe, expect, it } from 'vitest';
import { evaluateValue, FUNCTION_NAMES, type Scope } from '../../../src/engine/expr/index.js';

const scope: Scope = {
  inputs: {
    title: '  Hello World  ',
    words: ['one', 'two', 'three'],
    obj: { b: 1, a: 2 },
    mixed: [1, 'x', null, true, { k: 'v' }],
    json: '{"a":[1,2],"__proto__":{"polluted":true}}',
    emoji: 'ab🎉cd',
    date: '2024-02-29T23:05:09Z',
    ms: 86_400_000,
  },
  run: { startedAt: '2030-01-02T03:04:05Z' },
};

const ev = (src: string, s: Scope = scope): unknown => evaluateValue(src, s);

describe('functions', () => {
  it.each([
    ["${{ length('héllo') }}", 5],
    ['${{ length(inputs.emoji) }}', 5],
    ['${{ length(inputs.words) }}', 3],
    ['${{ length(inputs.obj) }}', 2],
    ['${{ join(inputs.words) }}', 'one,two,three'],
    ["${{ join(inputs.words, ' + ') }}", 'one + two + three'],
    ["${{ join(inputs.mixed, '|') }}", '1|x||true|{"k":"v"}'],
    ["${{ join('already text', '-') }}", 'already text'],
    ["${{ split('a,b,,c') }}", ['a', 'b', '', 'c']],
    ["${{ split('a b', ' ') }}", ['a', 'b']],
    ["${{ lower('ÀBC') }}", 'àbc'],
    ["${{ upper('straße') }}", 'STRASSE'],
    ['${{ trim(inputs.title) }}', 'Hello World'],
    ["${{ truncate('Hello World', 20) }}", 'Hello World'],
    ["${{ truncate('Hello World', 8) }}", 'Hello W…'],
    ["${{ truncate('Hello World', 7) }}", 'Hello…'],
    ["${{ truncate('Hello World', 8, '...') }}", 'Hello...'],
    ["${{ truncate('Hello World', 2, '...') }}", 'He'],
    ["${{ truncate('ab🎉cd', 3, '') }}", 'ab🎉'],
    ["${{ default(inputs.missing, 'fb') }}", 'fb'],
    ["${{ default('', 'fb') }}", 'fb'],
    ["${{ default(0, 'fb') }}", 0],
    ["${{ default(false, 'fb') }}", false],
    ["${{ contains('Hello', 'ell') }}", true],
    ["${{ contains('Hello', 'ELL') }}", false],
    ["${{ contains(inputs.words, 'two') }}", true],
    ['${{ contains(inputs.mixed, inputs.obj) }}', false],
    ["${{ contains([1, 2], '1') }}", false],
    ["${{ startsWith('Hello', 'He') }}", true],
    ["${{ endsWith('Hello', 'lo') }}", true],
    ["${{ endsWith('Hello', 'He') }}", false],
    ["${{ replace('a-b-c', '-', '+') }}", 'a+b+c'],
    ["${{ replace('a.b', '.', '$&') }}", 'a$&b'],
    ['${{ toJSON(inputs.obj) }}', '{"b":1,"a":2}'],
    ['${{ toJSON(inputs.obj, 2) }}', '{\n  "b": 1,\n  "a": 2\n}'],
    ['${{ toJSON(inputs.missing) }}', 'null'],
    ["${{ fromJSON('[1, {\"a\": true}]') }}", [1, { a: true }]],
    ["${{ fromJSON('3') }}", 3],
    ['${{ formatDate(inputs.date) }}', '2024-02-29'],
    ["${{ formatDate(inputs.date, 'YYYY/MM/DD HH:mm:ss') }}", '2024/02/29 23:05:09'],
    ["${{ formatDate(inputs.ms, 'YYYYMMDD-HHmm') }}", '19700102-0000'],
    ["${{ formatDate(inputs.date, '[Day] DD') }}", 'Day 29'],
    ['${{ formatDate() }}', '2030-01-02'],
    ["${{ formatDate('now', 'HH:mm') }}", '03:04'],
    ["${{ slug('Crème Brûlée: the BEST recipe!') }}", 'creme-brulee-the-best-recipe'],
    ["${{ slug('  --Hello__World--  ') }}", 'hello-world'],
    ["${{ slug('日本') }}", ''],
    ['${{ round(3.14159) }}', 3],
    ['${{ round(3.14159, 2) }}', 3.14],
    ['${{ round(1.005, 2) }}', 1.01],
    ['${{ round(-2.5) }}', -2],
    ['${{ min(3, 1, 2) }}', 1],
    ['${{ max(3, 1, 2) }}', 3],
    ['${{ max(fromJSON("[4, 9]")) }}', 9],
    ['${{ min(fromJSON("[]")) }}', null],
    ['${{ keys(inputs.obj) }}', ['b', 'a']],
    ['${{ range(3) }}', [0, 1, 2]],
    ['${{ range(2, 4) }}', [2, 3]],
    ['${{ range(0) }}', []],
    ["${{ upper(default(inputs.missing, 'x')) }}", 'X'],
    ["${{ length(split(trim(inputs.title), ' ')) }}", 2],
  ])('%s → %j', (src, want) => {
    expect(ev(src)).toEqual(want);
  });

  it('formatDate without a run start time formats the current date', () => {
    expect(ev('${{ formatDate() }}', {})).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('fromJSON keeps `__proto__` as a plain key that expressions cannot read', () => {
    const parsed = ev('${{ fromJSON(inputs.json) }}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
    expect(ev('${{ fromJSON(inputs.json)[inputs.key] }}', { ...scope, inputs: { ...(scope.inputs as object), key: '__proto__' } })).toBeNull();
  });

  it('lists every documented function', () => {
    expect(FUNCTION_NAMES).toEqual([
      'accounts', 'compact', 'contains', 'default', 'endsWith', 'formatDate', 'fromJSON', 'join', 'keys', 'length', 'lower', 'max',
      'mergeEach', 'min', 'pluck', 'range', 'replace', 'round', 'slug', 'split', 'startsWith', 'toJSON', 'trim', 'truncate', 'upper', 'zip',
    ]);
  });
});

describe('compact and pluck, for foreach outputs with failed (null) items', () => {
  it('drops null items and reads one field of each item', () => {
    const s: Scope = { steps: { v: { outputs: [{ file: 'a.mp4' }, null, { file: 'c.mp4' }] } } };
    expect(ev('${{ compact(steps.v.outputs) }}', s)).toEqual([{ file: 'a.mp4' }, { file: 'c.mp4' }]);
    expect(ev('${{ pluck(steps.v.outputs, "file") }}', s)).toEqual(['a.mp4', null, 'c.mp4']);
    expect(ev('${{ compact(pluck(steps.v.outputs, "file")) }}', s)).toEqual(['a.mp4', 'c.mp4']);
    expect(ev('${{ pluck(steps.v.outputs, "__proto__") }}', s)).toEqual([null, null, null]);
  });
});

describe('function errors name the function and what it expected', () => {
  it.each([
    ['${{ length(3) }}', 'length() expects a string, list or object as argument 1, got the number 3'],
    ['${{ length(inputs.missing) }}', 'length() expects a string, list or object as argument 1, got null'],
    ['${{ lower(1) }}', 'lower() expects a string as argument 1, got the number 1'],
    ['${{ upper(inputs.words) }}', 'upper() expects a string as argument 1, got a list'],
    ["${{ join(inputs.obj, ',') }}", 'join() expects a list as argument 1, got an object'],
    ["${{ join(inputs.words, 1) }}", 'join() expects a string as argument 2, got the number 1'],
    ["${{ truncate('abc', -1) }}", 'truncate() expects a whole number ≥ 0 as argument 2, got the number -1'],
    ["${{ truncate('abc', 1.5) }}", 'truncate() expects a whole number ≥ 0 as argument 2'],
    ["${{ contains(3, 'a') }}", 'contains() expects a string or a list as argument 1'],
    ["${{ contains('abc', 1) }}", 'contains() expects a string as argument 2'],
    ["${{ replace('abc', '', 'x') }}", 'replace() expects a non-empty string as argument 2'],
    ["${{ fromJSON('{oops') }}", 'fromJSON() got text that is not JSON ("{oops")'],
    ['${{ fromJSON(inputs.obj) }}', 'fromJSON() expects a string as argument 1, got an object'],
    ["${{ formatDate('not a date') }}", "formatDate() expects a date (ISO text, milliseconds or 'now') as argument 1"],
    ['${{ formatDate(inputs.missing) }}', 'formatDate() expects a date'],
    ["${{ round('3') }}", 'round() expects a number as argument 1, got "3"'],
    ["${{ min(1, 'x') }}", 'min() expects numbers as argument 2, got "x"'],
    ['${{ keys(inputs.words) }}', 'keys() expects an object as argument 1, got a list'],
    ['${{ range(1000000) }}', 'range() expects at most 100000 numbers'],
  ])('%s', (src, message) => {
    expect(() => ev(src)).toThrow(expect.objectContaining({ code: 'E_EXPR_EVAL', message: expect.stringContaining(message) }));
  });
});
