import { describe, expect, it } from 'vitest';
import { checkInputs, parseInputArgs } from '../../../src/engine/inputs.js';
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
  it('a missing @file is E_FILE', () => {
    expect(() => parse(['tags=@nope.yaml'])).toThrow(expect.objectContaining({ code: 'E_FILE', message: expect.stringMatching(/nope\.yaml/) }));
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
