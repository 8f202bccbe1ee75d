import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkInputs, MAX_INPUT_FILE_BYTES, parseInputArgs } from '../../../src/engine/inputs.js';
import type { InputSpec } from '../../../src/engine/pipeline.js';

const spec = (type: InputSpec['type'], extra: Partial<InputSpec> = {}): InputSpec => ({ type, required: extra.default === undefined, schema: { type }, ...extra });
const specs: Record<string, InputSpec> = {
  n: spec('number'),
  count: spec('integer', { default: 1 }),
  topic: spec('string'),
  tags: spec('array', { default: [] }),
  opts: spec('object', { default: {} }),
  flag: spec('boolean', { default: false }),
};
const files: Record<string, string> = { '/w/tags.yaml': '- a\n- b\n', '/w/topic.txt': '42\n', '/abs/n.json': '7' };
const read = (p: string) => { if (p in files) return files[p]!; throw new Error(`ENOENT ${p}`); };
const parse = (args: string[]) => parseInputArgs(args, specs, '/w', read);

describe('parseInputArgs', () => {
  it('parses values of non-string inputs as YAML', () => {
    expect(parse(['n=3', 'flag=true', 'tags=[x, y]', 'opts={a: 1}'])).toEqual({ n: 3, flag: true, tags: ['x', 'y'], opts: { a: 1 } });
    expect(typeof parse(['n=3']).n).toBe('number');
  });
  it('keeps string inputs as written', () => {
    expect(parse(['topic=3'])).toEqual({ topic: '3' });
    expect(parse(['topic=a=b: c'])).toEqual({ topic: 'a=b: c' });
    expect(parse(['topic='])).toEqual({ topic: '' });
  });
  it('reads @file relative to the current folder, or absolute', () => {
    expect(parse(['tags=@tags.yaml'])).toEqual({ tags: ['a', 'b'] });
    expect(parse(['topic=@topic.txt'])).toEqual({ topic: '42\n' });
    expect(parse(['n=@/abs/n.json'])).toEqual({ n: 7 });
  });
  it('a missing @file is E_INPUT_INVALID (bad input, exit 2) naming the input and the file', () => {
    expect(() => parse(['tags=@nope.yaml'])).toThrow(expect.objectContaining({ code: 'E_INPUT_INVALID', message: expect.stringMatching(/input "tags": cannot read nope\.yaml/) }));
  });
  it('an undeclared input is E_INPUT_UNKNOWN with a did-you-mean and the declared list', () => {
    let err: unknown;
    try { parse(['topik=x']); } catch (e) { err = e; }
    expect(err).toMatchObject({ code: 'E_INPUT_UNKNOWN', message: expect.stringMatching(/"topik".*did you mean "topic"/), hint: expect.stringMatching(/n, count, topic/) });
  });
  it('a value without = is E_USAGE', () => {
    expect(() => parse(['topic'])).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });
  it('reports every bad argument at once', () => {
    let err: { errors?: unknown[] } | undefined;
    try { parse(['a=1', 'b=2', 'topic']); } catch (e) { err = e as typeof err; }
    expect(err?.errors).toHaveLength(3);
  });
});

describe('checkInputs', () => {
  it('fills defaults and checks types', () => {
    expect(checkInputs({ n: 2, topic: 't' }, specs)).toEqual({ n: 2, topic: 't', count: 1, tags: [], opts: {}, flag: false });
  });
  it('a missing required input names it', () => {
    expect(() => checkInputs({ n: 1 }, specs)).toThrow(/input "topic" is required/);
  });
  it('a wrong type says what came', () => {
    expect(() => checkInputs({ n: 'three', topic: 't' }, specs)).toThrow(expect.objectContaining({ code: 'E_INPUT_INVALID', message: expect.stringMatching(/inputs\.n must be number \(got "three"\)/) }));
  });
});

/** The first error of a call that must throw, whether alone or in a list. */
function firstError(fn: () => unknown): { code?: string; message: string; hint?: string; loc?: { file: string; line?: number; column?: number } } {
  try { fn(); } catch (e) { return ((e as { errors?: unknown[] }).errors?.[0] ?? e) as never; }
  throw new Error('expected an error');
}

describe('--input values JSON cannot hold are refused, never changed silently', () => {
  const rows: Array<[string, RegExp, RegExp?]> = [
    ['opts=!!set {a, b}', /input "opts", column 1 of the value: the tag !!set is not allowed/, /write a list/],
    ['tags=!!omap [a: 1]', /tag !!omap/],
    ['opts=!!binary aGVsbG8=', /tag !!binary/, /base64/],
    ['opts=!!timestamp 2001-12-14', /tag !!timestamp/],
    ['n=1e400', /input "n".*1e400 is not a number JSON can hold/, /quote/],
    ['n=.inf', /\.inf is not a number JSON can hold/],
    ['n=.nan', /NaN/],
    ['n=12345678901234567890', /too large an integer/],
    ['tags=&a [*a]', /input "tags", column 5 of the value: the alias \*a refers to a value that contains it/],
    ['opts={__proto__: {polluted: true}}', /key "__proto__" is not allowed/],
    ['opts={constructor: 1}', /key "constructor" is not allowed/],
    ['tags=[a, b', /input "tags"/],
  ];
  it.each(rows)('%s', (arg, message, hint) => {
    const e = firstError(() => parse([arg]));
    expect(e.code).toBe('E_INPUT_INVALID');
    expect(e.message).toMatch(message);
    if (hint) expect(e.hint).toMatch(hint);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names that are Object.prototype members are undeclared inputs, not specs', () => {
    for (const name of ['__proto__', 'constructor', 'toString']) {
      expect(firstError(() => parse([`${name}=1`])).code).toBe('E_INPUT_UNKNOWN');
    }
  });
});

describe('@file inputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mpv2-inputs-'));
  const real = (args: string[]) => parseInputArgs(args, specs, dir);

  it('a problem inside the file is reported at file:line:col', () => {
    writeFileSync(join(dir, 'opts.yaml'), 'a: 1\nb: !!set {x}\n');
    const e = firstError(() => real(['opts=@opts.yaml']));
    expect(e).toMatchObject({ code: 'E_INPUT_INVALID', loc: { file: 'opts.yaml', line: 2, column: 4 } });
  });
  it('a BOM and CRLF line ends in the file are read as text marks, not as part of the value', () => {
    writeFileSync(join(dir, 'bom.yaml'), '\uFEFF- a\r\n- b\r\n');
    writeFileSync(join(dir, 'bom.txt'), '\uFEFFhello');
    expect(real(['tags=@bom.yaml', 'topic=@bom.txt'])).toEqual({ tags: ['a', 'b'], topic: 'hello' });
  });
  it('a missing file, a folder, a binary file and a file over the cap are E_INPUT_INVALID with a reason', () => {
    mkdirSync(join(dir, 'folder'));
    writeFileSync(join(dir, 'bin.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0x00, 0xff]));
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.from('a: caf\xe9\n', 'latin1'));
    writeFileSync(join(dir, 'huge.json'), '');
    truncateSync(join(dir, 'huge.json'), MAX_INPUT_FILE_BYTES + 1); // sparse: no disk used
    const cases: Array<[string, RegExp, RegExp?]> = [
      ['opts=@missing.yaml', /input "opts": .*missing\.yaml does not exist/],
      ['opts=@folder', /is a folder/],
      ['opts=@bin.yaml', /is not a text file \(it holds a NUL byte\)/],
      ['opts=@latin1.yaml', /is not UTF-8 text \(byte 0xe9 at offset 6\)/],
      ['opts=@huge.json', /16\.0 MB; input files are capped at 16 MB/, /read the file in a step that reads files/],
      ['topic=@huge.json', /capped/],
      ['topic=@/dev/zero', /\/dev\/zero is larger than that; input files are capped at 16 MB/],
    ];
    for (const [arg, message, hint] of cases) {
      const e = firstError(() => real([arg]));
      expect(e.code, arg).toBe('E_INPUT_INVALID');
      expect(e.message, arg).toMatch(message);
      if (hint) expect(e.hint).toMatch(hint);
    }
  });
});
