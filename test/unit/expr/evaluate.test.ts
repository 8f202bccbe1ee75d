import { describe, expect, it } from 'vitest';
import { compile, evaluate, evaluateValue, type Scope } from '../../../src/engine/expr/index.js';
import { isMpv2Error } from '../../../src/errors.js';

const scope: Scope = {
  inputs: { topic: 'cats', n: 3, zero: 0, empty: '', flag: true, tags: ['a', 'b'], nested: { deep: { x: 1 } }, café: 'crème', nil: null },
  steps: {
    script: { outputs: { data: { title: 'Hello', imageQueries: ['sky', 'sea'] }, count: 2 }, status: 'success' },
    'my-step': { outputs: { file: 'out.mp4' } },
  },
  config: { llm: { model: 'm1' } },
  secrets: { KEY: 's3cret' },
  env: { HOME: '/home/u' },
  run: { id: 'r1', startedAt: '2024-05-06T07:08:09.000Z' },
};

const ev = (value: unknown, s: Scope = scope): unknown => evaluateValue(value, s);

describe('literals', () => {
  it.each([
    ['${{ 1 }}', 1],
    ['${{ 2.5 }}', 2.5],
    ['${{ -3 }}', -3],
    ['${{ 1e3 }}', 1000],
    ["${{ 'single' }}", 'single'],
    ['${{ "double" }}', 'double'],
    ["${{ 'it\\'s' }}", "it's"],
    ['${{ true }}', true],
    ['${{ false }}', false],
    ['${{ null }}', null],
    ["${{ ['a', 1, true] }}", ['a', 1, true]],
    ["${{ '}}' }}", '}}'],
  ])('%s → %j', (src, want) => {
    expect(ev(src)).toEqual(want);
  });
});

describe('whole values keep their type', () => {
  it.each([
    ['${{ steps.script.outputs.data.imageQueries }}', ['sky', 'sea']],
    ['${{ steps.script.outputs.count }}', 2],
    ['${{ inputs.flag }}', true],
    ['${{ inputs.nested }}', { deep: { x: 1 } }],
    ['  ${{ inputs.n }}  ', 3],
    ['${{ inputs.missing }}', null],
    ['${{ inputs.nil }}', null],
    ['${{ steps.my-step.outputs.file }}', 'out.mp4'],
    ["${{ steps['my-step'].outputs.file }}", 'out.mp4'],
    ['${{ inputs.café }}', 'crème'],
  ])('%s → %j', (src, want) => {
    expect(ev(src)).toEqual(want);
  });

  it('walks objects and arrays and leaves other values alone', () => {
    const value = { a: ['${{ inputs.n }}', 'x', 7, null, { b: '${{ inputs.tags }}' }], c: false };
    expect(ev(value)).toEqual({ a: [3, 'x', 7, null, { b: ['a', 'b'] }], c: false });
  });

  it('returns fresh copies that can be changed without touching the scope or the compiled value', () => {
    const compiled = compile({ list: '${{ inputs.tags }}', fixed: { k: [1] } });
    const first = evaluate(compiled, scope) as { list: string[]; fixed: { k: number[] } };
    first.list.push('c');
    first.fixed.k.push(2);
    expect((scope.inputs as { tags: string[] }).tags).toEqual(['a', 'b']);
    expect(evaluate(compiled, scope)).toEqual({ list: ['a', 'b'], fixed: { k: [1] } });
  });
});

describe('interpolation', () => {
  it.each([
    ['About ${{ inputs.topic }}!', 'About cats!'],
    ['${{ inputs.n }} items', '3 items'],
    ['flag=${{ inputs.flag }}', 'flag=true'],
    ['[${{ inputs.missing }}]', '[]'],
    ['[${{ inputs.nil }}]', '[]'],
    ['tags: ${{ inputs.tags }}', 'tags: ["a","b"]'],
    ['obj: ${{ inputs.nested }}', 'obj: {"deep":{"x":1}}'],
    ['${{ inputs.topic }}${{ inputs.n }}', 'cats3'],
    ['no expressions here', 'no expressions here'],
    ['price: $5 {{ x }}', 'price: $5 {{ x }}'],
    ['literal $${{ inputs.topic }}', 'literal ${{ inputs.topic }}'],
    ['$${{ a }} and ${{ inputs.n }}', '${{ a }} and 3'],
    ['$$${{ x }}', '$${{ x }}'],
    ['🎉 ${{ inputs.topic }} — ünïcödé', '🎉 cats — ünïcödé'],
    ['${{ "日本語" }}テスト', '日本語テスト'],
  ])('%s → %j', (src, want) => {
    expect(ev(src)).toBe(want);
  });

  it('allows expressions across lines', () => {
    expect(ev('${{\n  inputs.n > 2\n  && inputs.topic\n}}')).toBe('cats');
  });
});

describe('operators', () => {
  it.each([
    ['${{ 1 == 1 }}', true],
    ["${{ 1 == '1' }}", false],
    ["${{ 'a' == 'a' }}", true],
    ["${{ 'a' == 'A' }}", false],
    ['${{ null == inputs.missing }}', true],
    ["${{ inputs.tags == ['a', 'b'] }}", true],
    ["${{ inputs.tags != ['a'] }}", true],
    ['${{ 1 != 2 }}', true],
    ['${{ 1 < 2 }}', true],
    ['${{ 2 <= 2 }}', true],
    ['${{ 3 > 2 }}', true],
    ['${{ 2 >= 3 }}', false],
    ["${{ 'a' < 'b' }}", true],
    ["${{ 'B' < 'a' }}", true],
    ["${{ '10' < '9' }}", true],
    ['${{ !true }}', false],
    ['${{ !inputs.empty }}', true],
    ['${{ !inputs.tags }}', false],
    ['${{ !!inputs.zero }}', false],
    ["${{ inputs.missing || 'default' }}", 'default'],
    ["${{ inputs.topic || 'default' }}", 'cats'],
    ["${{ inputs.zero || 'zero' }}", 'zero'],
    ["${{ inputs.flag && 'yes' }}", 'yes'],
    ["${{ inputs.empty && 'never' }}", ''],
    ['${{ (1 < 2) == true }}', true],
  ])('%s → %j', (src, want) => {
    expect(ev(src)).toEqual(want);
  });

  it('short-circuits: the right side of && / || is not evaluated when not needed', () => {
    expect(ev('${{ false && fromJSON("not json") }}')).toBe(false);
    expect(ev('${{ true || fromJSON("not json") }}')).toBe(true);
    expect(ev('${{ true ? 1 : fromJSON("not json") }}')).toBe(1);
  });

  it('refuses to order values of different types', () => {
    expect(() => ev("${{ 1 < '2' }}")).toThrow(/cannot compare the number 1 with "2" using `<`/);
    expect(() => ev('${{ inputs.missing > 3 }}')).toThrow(/cannot compare null with the number 3/);
  });
});

describe('precedence and ternary', () => {
  it.each([
    ['${{ true || false && false }}', true],
    ['${{ (true || false) && false }}', false],
    ['${{ !false == true }}', true],
    ['${{ 1 < 2 == true }}', true],
    ["${{ inputs.n > 2 ? 'big' : 'small' }}", 'big'],
    ["${{ inputs.n > 5 ? 'big' : 'small' }}", 'small'],
    ["${{ inputs.n > 5 ? 'big' : inputs.n > 2 ? 'mid' : 'small' }}", 'mid'],
    ["${{ inputs.zero || inputs.empty ? 'a' : 'b' }}", 'b'],
    ["${{ inputs.flag ? inputs.tags : 'none' }}", ['a', 'b']],
  ])('%s → %j', (src, want) => {
    expect(ev(src)).toEqual(want);
  });
});

describe('member access', () => {
  it.each([
    ["${{ inputs['topic'] }}", 'cats'],
    ['${{ inputs.tags[1] }}', 'b'],
    ["${{ inputs.tags['0'] }}", 'a'],
    ['${{ inputs.tags[5] }}', null],
    ['${{ inputs.tags.length }}', 2],
    ['${{ inputs.topic.length }}', null],
    ['${{ inputs.missing.deeper.still }}', null],
    ['${{ inputs.nil.x }}', null],
    ['${{ inputs[inputs.topic == "cats" ? "n" : "zero"] }}', 3],
    ['${{ steps.script.outputs.data.imageQueries[inputs.zero] }}', 'sky'],
    ['${{ steps.nope.outputs.x }}', null],
    ["${{ inputs?.nested?.deep.x }}", 1],
    ['${{ config.llm.model }}', 'm1'],
    ['${{ secrets.KEY }}', 's3cret'],
    ['${{ env.HOME }}', '/home/u'],
    ['${{ run.id }}', 'r1'],
  ])('%s → %j', (src, want) => {
    expect(ev(src)).toEqual(want);
  });

  it('reads item and index inside foreach, and says where they are available outside', () => {
    expect(ev('${{ index }}: ${{ item.name }}', { item: { name: 'x' }, index: 4 })).toBe('4: x');
    expect(() => ev('${{ item.name }}', {})).toThrow(/`item` is only available inside a foreach step/);
    expect(ev('${{ inputs.x }}', {})).toBeNull();
  });

  it('names an unknown identifier, suggests the nearest context and lists them', () => {
    try {
      ev('title: ${{ input.topic }}');
      expect.unreachable();
    } catch (e) {
      expect(isMpv2Error(e) && e.code).toBe('E_EXPR_EVAL');
      const err = e as Error & { details: Record<string, unknown> };
      expect(err.message).toContain('unknown name `input` (did you mean `inputs`?)');
      expect(err.message).toContain('inputs, steps, item, index, config, secrets, env, run');
      expect(err.message).toContain('${{ input.topic }}');
      expect(err.details).toMatchObject({ expression: 'input.topic', offset: 7 });
    }
    expect(() => ev('${{ undefined }}')).toThrow(/unknown name `undefined`/);
  });

  it('reports where in the value the failing string is', () => {
    try {
      ev({ with: { list: ['ok', '${{ fromJSON("{") }}'] } });
      expect.unreachable();
    } catch (e) {
      expect((e as { details: unknown }).details).toMatchObject({ path: ['with', 'list', 1], offset: 0 });
    }
  });
});
