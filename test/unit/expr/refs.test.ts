import { describe, expect, it } from 'vitest';
import { collectRefs, compile, hasExpressions, refsOf } from '../../../src/engine/expr/index.js';

const brief = (value: unknown) => collectRefs(value).map((r) => [r.context, r.path]);

describe('collectRefs', () => {
  it.each([
    ['${{ steps.script.outputs.data.title }}', [['steps', ['script', 'outputs', 'data', 'title']]]],
    ["${{ steps.a.outputs['x'].y }}", [['steps', ['a', 'outputs', 'x', 'y']]]],
    ['${{ steps.a.outputs.list[0].name }}', [['steps', ['a', 'outputs', 'list', 0, 'name']]]],
    ['${{ steps.my-step.outputs.file }}', [['steps', ['my-step', 'outputs', 'file']]]],
    ['${{ steps[inputs.k].outputs }}', [['steps', []], ['inputs', ['k']]]],
    ['${{ steps.a.outputs[inputs.k].z }}', [['steps', ['a', 'outputs']], ['inputs', ['k']]]],
    ['${{ steps.a.outputs[item].z }}', [['steps', ['a', 'outputs']], ['item', []]]],
    ['${{ inputs.a == env.B ? config.c : secrets.D }}', [['inputs', ['a']], ['env', ['B']], ['config', ['c']], ['secrets', ['D']]]],
    ["${{ join(steps.a.outputs.list, ', ') }}", [['steps', ['a', 'outputs', 'list']]]],
    ['${{ !index && [item.x, run.id] }}', [['index', []], ['item', ['x']], ['run', ['id']]]],
    ['${{ fromJSON(inputs.j).deep.key }}', [['inputs', ['j']]]],
    ['${{ unknownThing.x }}', [['unknownThing', ['x']]]],
    ["${{ 'steps.a' }} $${{ steps.b }} plain", []],
  ])('%s', (source, want) => {
    expect(brief(source)).toEqual(want);
  });

  it('walks strings nested in arrays and objects and gives each expression its source and offset', () => {
    const value = {
      prompt: 'Write about ${{ inputs.topic }} in ${{ inputs.lang }}',
      list: [1, true, null, ['${{ steps.a.outputs.x }}']],
      deep: { a: { b: '  ${{ steps.b.outputs }}' } },
    };
    expect(collectRefs(value)).toEqual([
      { context: 'inputs', path: ['topic'], source: 'inputs.topic', offset: 12 },
      { context: 'inputs', path: ['lang'], source: 'inputs.lang', offset: 35 },
      { context: 'steps', path: ['a', 'outputs', 'x'], source: 'steps.a.outputs.x', offset: 0 },
      { context: 'steps', path: ['b', 'outputs'], source: 'steps.b.outputs', offset: 2 },
    ]);
  });

  it('works on an already compiled value', () => {
    expect(refsOf(compile({ x: '${{ inputs.a }}' }))).toEqual([{ context: 'inputs', path: ['a'], source: 'inputs.a', offset: 0 }]);
  });

  it('throws E_EXPR_SYNTAX for a broken expression', () => {
    expect(() => collectRefs(['${{ steps.a. }}'])).toThrow(expect.objectContaining({ code: 'E_EXPR_SYNTAX' }));
  });
});

describe('hasExpressions', () => {
  it.each([
    ['${{ x }}', true],
    ['a ${{ x }} b', true],
    ['$${{ x }}', false],
    ['$${{ x }} ${{ y }}', true],
    ['plain', false],
    ['{{ x }}', false],
    [['a', { b: ['${{ c }}'] }], true],
    [{ a: 1, b: [true, null] }, false],
    [42, false],
    [null, false],
  ])('%j → %s', (value, want) => {
    expect(hasExpressions(value)).toBe(want);
  });
});
