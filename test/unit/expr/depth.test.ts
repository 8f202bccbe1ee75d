/**
 * Deeply nested expressions are refused when compiling with E_EXPR_SYNTAX at an offset, never
 * a stack overflow in the parser, the lowering, reference collection or evaluation.
 */
import { describe, expect, it } from 'vitest';
import { compile, evaluate } from '../../../src/engine/expr/index.js';
import { MAX_EXPR_DEPTH } from '../../../src/engine/expr/parser.js';
import { isMpv2Error } from '../../../src/errors.js';

const n = 2000;
const deep: Array<[string, string]> = [
  ['brackets', `\${{ ${'('.repeat(n)}1${')'.repeat(n)} }}`],
  ['lists', `\${{ ${'['.repeat(n)}1${']'.repeat(n)} }}`],
  ['calls', `\${{ ${'lower('.repeat(n)}'A'${')'.repeat(n)} }}`],
  ['not', `\${{ ${'!'.repeat(n)}true }}`],
  ['ternaries', `\${{ ${'true ? 1 : '.repeat(n)}2 }}`],
  ['an || chain', `\${{ ${Array(20_000).fill('false').join(' || ')} }}`],
  ['an == chain', `\${{ ${Array(5_000).fill('1').join(' == ')} }}`],
  ['members', `\${{ inputs${'.a'.repeat(n)} }}`],
  ['computed members', `\${{ ${'inputs['.repeat(n)}0${']'.repeat(n)} }}`],
];

describe('expressions nested 2,000 deep', () => {
  it.each(deep)('%s: E_EXPR_SYNTAX with an offset', (_name, source) => {
    let err: unknown;
    try { compile({ v: source }); } catch (e) { err = e; }
    expect(isMpv2Error(err), String(err)).toBe(true);
    expect(err).toMatchObject({ code: 'E_EXPR_SYNTAX', message: expect.stringMatching(/nested too deeply \(at most 100 levels/) });
    const offset = (err as { details: { offset: number } }).details.offset;
    expect(offset).toBeGreaterThanOrEqual(4);
    expect(offset).toBeLessThan(source.length);
  });

  it('nesting up to the limit compiles and evaluates', () => {
    const d = MAX_EXPR_DEPTH - 2;
    expect(evaluate(compile(`\${{ ${'!'.repeat(d)}true }}`), {})).toBe(true);
    expect(evaluate(compile(`\${{ ${'('.repeat(d)}1${')'.repeat(d)} }}`), {})).toBe(1);
    expect(evaluate(compile(`\${{ ${Array(d).fill('false').join(' || ')} || 'x' }}`), {})).toBe('x');
  });
});
