import { describe, expect, it } from 'vitest';
import { compile, compileExpression, evaluate, evaluateValue } from '../../../src/engine/expr/index.js';
import { isMpv2Error, type Mpv2Error } from '../../../src/errors.js';

function syntaxErrorOf(value: unknown): Mpv2Error {
  try {
    compile(value);
  } catch (e) {
    if (isMpv2Error(e)) return e;
    throw e;
  }
  throw new Error(`expected a syntax error for ${JSON.stringify(value)}`);
}

// offset: index in the string of the failing token; `^` in `mark` shows it
describe('syntax errors carry the offset of the failing token', () => {
  it.each([
    // source, mark, message
    ['${{ a = 1 }}', '      ^', 'assignment is not supported (use `==` to compare)'],
    ['${{ x => x }}', '      ^', 'arrow functions are not supported'],
    ['${{ `t${x}` }}', '    ^', 'template literals are not supported'],
    ['${{ new Date() }}', '    ^', '`new` is not supported'],
    ['${{ this.x }}', '    ^', '`this` is not supported'],
    ['${{ inputs.topic.toUpperCase() }}', '                 ^', 'method calls are not supported (`.toUpperCase()`)'],
    ['${{ lenght(inputs.x) }}', '    ^', 'unknown function `lenght` (did you mean `length`?)'],
    ['${{ eval("1") }}', '    ^', 'unknown function `eval`'],
    ['${{ (inputs.f)(1) }}', '            ^', 'method calls are not supported (`.f()`)'],
    ["${{ 'a'(1) }}", '    ^', 'only built-in functions can be called'],
    ['${{ join() }}', '    ^', "join() takes 1 to 2 arguments, got 0: join(list, separator=',')"],
    ['${{ lower(1, 2) }}', '    ^', 'lower() takes 1 argument, got 2'],
    ['${{ toJSON }}', '    ^', '`toJSON` is a function; call it: toJSON(value, indent=0)'],
    ['${{ toJSON.constructor }}', '    ^', '`toJSON` is a function'],
    ['${{ 1 + 2 }}', '      ^', 'operator `+` is not supported'],
    ['${{ index - 1 }}', '          ^', 'operator `-` is not supported'],
    ['${{ a * 2 }}', '      ^', 'operator `*` is not supported'],
    ['${{ a === b }}', '      ^', 'operator `===` is not supported; use `==`'],
    ['${{ a ?? b }}', '      ^', 'operator `??` is not supported; use `||` or default(x, fallback)'],
    ['${{ a | b }}', '      ^', 'operator `|` is not supported; use `||`'],
    ['${{ +a }}', '    ^', 'operator `+` is not supported'],
    ['${{ ~a }}', '    ^', 'operator `~` is not supported'],
    ['${{ -inputs.n }}', '    ^', 'operator `-` is not supported (only before a number: -1)'],
    ['${{ a b }}', '      ^', 'one expression expected'],
    ['${{ a; b }}', '       ^', 'one expression expected'],
    ['${{ (a, b) }}', '        ^', '`,` sequences are not supported'],
    ['${{ [1,,2] }}', '    ^', 'a list cannot have empty slots'],
    ['${{ (a }}', '       ^', 'unclosed ('],
    ['${{ a[1 }}', '        ^', 'unclosed ['],
    ["${{ 'abc }}", '    ^', "unclosed quote: the string starting here has no closing '"],
    ['${{ a == "x }} and more', '         ^', 'unclosed quote: the string starting here has no closing "'],
    ['${{ a ? b }}', '          ^', 'expected :'],
    ['${{ 1abc }}', '     ^', 'variable names cannot start with a number'],
    ['${{ a # b }}', '      ^', 'unexpected character "#"'],
    ['${{ }}', '^', 'empty expression'],
    ['${{   }}', '^', 'empty expression'],
    ['text ${{ inputs.a', '     ^', '`${{` has no closing `}}`'],
    ['ok ${{ inputs.a }} then ${{ a = 1 }}', '                              ^', 'assignment is not supported'],
    ['🎉 ${{ a = 1 }}', '         ^', 'assignment is not supported'],
  ])('%s', (source, mark, message) => {
    const e = syntaxErrorOf(source);
    expect(e.code).toBe('E_EXPR_SYNTAX');
    expect(e.message).toContain(message);
    expect(e.details?.offset).toBe(mark.indexOf('^'));
    expect(e.hint).toBeTruthy();
  });

  it('names the expression and where the string sits in the value', () => {
    const e = syntaxErrorOf({ steps: [{ with: { text: 'Say ${{ inputs.a === 1 }}' } }] });
    expect(e.details).toEqual({ offset: 17, expression: 'inputs.a === 1', path: ['steps', 0, 'with', 'text'] });
  });
});

describe('prototype access is always safe', () => {
  it.each([
    "${{ steps['__proto__'] }}",
    '${{ inputs.constructor }}',
    '${{ inputs.__proto__ }}',
    "${{ inputs['constructor']['prototype'] }}",
    '${{ steps.a.prototype }}',
    '${{ toJSON.constructor }}',
    '${{ length.call }}',
  ])('%s is refused when compiling', (source) => {
    expect(syntaxErrorOf(source).code).toBe('E_EXPR_SYNTAX');
  });

  it.each([
    ['${{ inputs[inputs.k] }}', '__proto__'],
    ['${{ inputs[inputs.k] }}', 'constructor'],
    ['${{ inputs[inputs.k] }}', 'toString'],
    ['${{ inputs[inputs.k] }}', 'hasOwnProperty'],
    ['${{ inputs.list[inputs.k] }}', 'map'],
    ['${{ inputs.list[inputs.k] }}', 'constructor'],
    ['${{ inputs.date[inputs.k] }}', 'getTime'],
    ["${{ inputs.text[inputs.k] }}", 'length'],
    ["${{ fromJSON('{}')[inputs.k] }}", '__proto__'],
  ])('%s with k = %s reads null', (source, k) => {
    const scope = { inputs: { k, list: [1], date: new Date(0), text: 'abc' } };
    expect(evaluateValue(source, scope)).toBeNull();
  });

  it('reads only own properties of plain objects', () => {
    class Box { inside = 1; }
    const proto = { inherited: 'no' };
    const scope = { inputs: { box: new Box(), child: Object.create(proto) as object, bare: Object.assign(Object.create(null) as object, { ok: 1 }) } };
    expect(evaluateValue('${{ inputs.box.inside }}', scope)).toBeNull();
    expect(evaluateValue('${{ inputs.child.inherited }}', scope)).toBeNull();
    expect(evaluateValue('${{ inputs.bare.ok }}', scope)).toBe(1);
  });

  it('never changes Object.prototype', () => {
    evaluateValue({ a: '${{ fromJSON(\'{"__proto__": {"hacked": 1}}\') }}' }, {});
    expect(({} as Record<string, unknown>).hacked).toBeUndefined();
  });
});

describe('compileExpression (bare expressions, as in `if:`)', () => {
  it.each([
    ["inputs.mode == 'fast'", true],
    ["${{ inputs.mode == 'fast' }}", true],
    ['!inputs.mode', false],
    ["inputs.mode && 'yes'", 'yes'],
  ])('%s → %j', (source, want) => {
    expect(evaluate(compileExpression(source), { inputs: { mode: 'fast' } })).toBe(want);
  });

  it('reports syntax errors with the offset in the bare text', () => {
    expect(() => compileExpression('inputs.a = 1')).toThrow(expect.objectContaining({ code: 'E_EXPR_SYNTAX', details: expect.objectContaining({ offset: 9 }) }));
    expect(() => compileExpression('  ')).toThrow(/empty expression/);
  });
});

describe('jsep stays as other code expects it', () => {
  it('leaves the global jsep configuration alone', async () => {
    compile('${{ steps.my-step.outputs }}');
    const { default: jsep } = await import('jsep');
    expect(jsep('a + b')).toMatchObject({ type: 'BinaryExpression', operator: '+' });
    expect(jsep('a-b')).toMatchObject({ type: 'BinaryExpression', operator: '-' });
  });
});
