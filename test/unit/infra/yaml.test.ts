/**
 * The YAML every part of mpv2 reads as data keeps only what JSON can hold, faithfully, or
 * refuses it at its line and column: no Set, Map, Buffer, Date, Infinity, rounded integer,
 * circular value, alias bomb or stack-deep nesting gets through.
 */
import { describe, expect, it } from 'vitest';
import { MAX_YAML_DEPTH, parseYamlData, PROTOTYPE_KEYS } from '../../../src/infra/yaml.js';

function bomb(): string {
  let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 10; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
  return text;
}

function aliasChain(n: number): string {
  let text = 'a0: &a0 [1]\n';
  for (let i = 1; i < n; i++) text += `a${i}: &a${i} [*a${i - 1}]\n`;
  return text;
}

interface Row { name: string; text: string; line: number; column?: number; message: RegExp; hint?: RegExp }

const refused: Row[] = [
  { name: '!!set', text: 'v: !!set {a, b}', line: 1, column: 4, message: /tag !!set is not allowed/, hint: /write a list/ },
  { name: '!!omap', text: 'v: !!omap [a: 1]', line: 1, column: 4, message: /tag !!omap/, hint: /plain mapping/ },
  { name: '!!pairs', text: 'v: !!pairs [a: 1]', line: 1, column: 4, message: /tag !!pairs/ },
  { name: '!!binary', text: 'x: 1\nv: !!binary aGVsbG8=', line: 2, column: 4, message: /tag !!binary/, hint: /base64 text as a string/ },
  { name: '!!timestamp', text: 'v: !!timestamp 2001-12-14', line: 1, column: 4, message: /tag !!timestamp/, hint: /quote/ },
  { name: 'a local tag', text: 'v: !thing x', line: 1, column: 4, message: /Unresolved tag/, hint: /JSON types/ },
  { name: '.inf', text: 'v: .inf', line: 1, column: 4, message: /\.inf is not a number JSON can hold/ },
  { name: '-.inf', text: 'v: [1, -.inf]', line: 1, column: 8, message: /-\.inf is not a number/ },
  { name: '.nan', text: 'v: .nan', line: 1, column: 4, message: /NaN/ },
  { name: '1e400', text: 'n: 1e400', line: 1, column: 4, message: /1e400 is not a number JSON can hold/, hint: /quote/ },
  { name: 'an integer above 2^53', text: 'id: 12345678901234567890', line: 1, column: 5, message: /too large an integer/, hint: /quote/ },
  { name: 'a circular alias', text: 'v: &a [*a]', line: 1, column: 8, message: /alias \*a refers to a value that contains it/ },
  { name: 'a circular alias in a mapping', text: 'v: &a\n  b: [1, *a]', line: 2, column: 10, message: /infinite/ },
  { name: 'an alias bomb', text: bomb(), line: 5, column: 45, message: /aliases expand to more than 100,000 values/ },
  { name: 'nesting deeper than the cap', text: `v: ${'['.repeat(MAX_YAML_DEPTH + 5)}${']'.repeat(MAX_YAML_DEPTH + 5)}`, line: 1, column: 3 + MAX_YAML_DEPTH, message: /nested more than 200 levels/ },
  { name: 'nesting that overflows the parser', text: `v: ${'['.repeat(20_000)}${']'.repeat(20_000)}`, line: 1, message: /nested too deeply/ },
  { name: 'depth reached through aliases', text: aliasChain(MAX_YAML_DEPTH + 10), line: MAX_YAML_DEPTH - 1, column: 14, message: /through this alias the value is nested more than/ },
  { name: '__proto__', text: 'with: { __proto__: { a: 1 } }', line: 1, column: 9, message: /key "__proto__" is not allowed/, hint: /prototype/ },
  { name: 'constructor', text: 'a:\n  constructor: 1', line: 2, column: 3, message: /key "constructor"/ },
  { name: 'prototype', text: '- prototype: 1', line: 1, column: 3, message: /key "prototype"/ },
  { name: 'a list as a key', text: '? [a]\n: 1', line: 1, column: 3, message: /mapping key must be a plain value/ },
  { name: 'a duplicate key', text: 'a: 1\na: 2', line: 2, column: 1, message: /unique/ },
];

describe('parseYamlData refuses what JSON cannot hold', () => {
  it.each(refused)('$name → $line:$column', (row) => {
    const r = parseYamlData(row.text, { forbiddenKeys: PROTOTYPE_KEYS });
    expect(r.data).toBeUndefined();
    const p = r.problems[0]!;
    expect(p, JSON.stringify(r.problems)).toBeDefined();
    expect(p.message).toMatch(row.message);
    expect({ line: p.line, column: row.column === undefined ? undefined : p.column }).toEqual({ line: row.line, column: row.column });
    if (row.hint) expect(p.hint).toMatch(row.hint);
  });
});

describe('parseYamlData keeps plain data faithfully', () => {
  it.each([
    ['a: 1\nb: [1, 2.5, {c: "3"}]\nd: ~', { a: 1, b: [1, 2.5, { c: '3' }], d: null }],
    ['\uFEFFa: 1\r\nb: x\r\n', { a: 1, b: 'x' }],
    ['big: 1e300\nsafe: 9007199254740991\nhex: 0x1F\nid: "12345678901234567890"', { big: 1e300, safe: 9007199254740991, hex: 31, id: '12345678901234567890' }],
    ['d: 2001-12-14', { d: '2001-12-14' }],
    ['s: !!str 1\ni: !!int "3"\nf: !!float 2.5', { s: '1', i: 3, f: 2.5 }],
    ['base: &b { retry: 3 }\nx: *b\ny: *b', { base: { retry: 3 }, x: { retry: 3 }, y: { retry: 3 } }],
    [aliasChain(20), undefined],
    ['base: &b { retry: 3, x: 1 }\nstep:\n  <<: *b\n  x: 2', { base: { retry: 3, x: 1 }, step: { retry: 3, x: 2 } }],
  ])('%#', (text, want) => {
    const r = parseYamlData(text, { forbiddenKeys: PROTOTYPE_KEYS });
    expect(r.problems).toEqual([]);
    if (want !== undefined) expect(r.data).toEqual(want);
  });

  it('allows prototype-like keys when the caller does not forbid them (data files)', () => {
    expect(parseYamlData('constructor: Ferrari').data).toEqual({ constructor: 'Ferrari' });
  });
});
