/** What is wrong with a text JSON.parse refused, never a piece of the text (issue 13 item 9). */
import { describe, expect, it } from 'vitest';
import { jsonProblem } from '../../../src/infra/json-problem.js';
import { describe as describeValue } from '../../../src/engine/expr/fail.js';

const SECRET = 'sk-live_1234567890abcdef';

function problemOf(text: string): string {
  try { JSON.parse(text); } catch (e) { return jsonProblem(e); }
  throw new Error('parsed');
}

describe('jsonProblem', () => {
  it.each([
    [SECRET, 'not valid JSON'],
    [`{"a": "${'x'.repeat(40)}", "b": ${SECRET}}`, 'not valid JSON'],
    ['', 'the text ends before the JSON value does'],
    ['{"a":1', "expected ',' or '}' after property value at position 6"],
    ['{"a":1}x', 'not valid JSON (at position 7)'],
  ])('%j → %s', (text, problem) => {
    const p = problemOf(text);
    expect(p).toBe(problem);
    expect(p).not.toContain(SECRET.slice(0, 6));
  });
});

describe('describe (values in expression errors)', () => {
  it('quotes a text whole up to 40 characters, and otherwise only gives its length', () => {
    expect(describeValue('tomorrow')).toBe('"tomorrow"');
    expect(describeValue(`Bearer ${SECRET}${'x'.repeat(20)}`)).toBe('a text of 51 characters');
  });
});
