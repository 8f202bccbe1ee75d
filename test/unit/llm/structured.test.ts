import { describe, expect, it } from 'vitest';
import { checkReply, extractJson, repairMessage } from '../../../plugins/llm/structured.js';

const schema = { type: 'object', required: ['a'], additionalProperties: false, properties: { a: { type: 'integer' }, e: { enum: ['x', 'y'] } } };

describe('extractJson', () => {
  it.each([
    ['{"a":1}', { a: 1 }],
    ['  [1,2] ', [1, 2]],
    ['```json\n{"a":2}\n```', { a: 2 }],
    ['Sure! Here it is: {"a":3} Hope it helps.', { a: 3 }],
  ])('%s', (text, value) => {
    expect(extractJson(text)).toEqual({ ok: true, value });
  });

  it('reports empty and broken replies', () => {
    expect(extractJson('  ')).toEqual({ ok: false, error: 'the reply was empty' });
    const r = extractJson('{"a": ');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^the reply is not valid JSON/);
  });
});

describe('checkReply', () => {
  it('validates with ajv and lists every problem with its path', () => {
    expect(checkReply('{"a":1}', schema)).toEqual({ ok: true, data: { a: 1 } });
    const r = checkReply('{"a":"one","e":"z","extra":1}', schema);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual(['/ must NOT have additional properties (extra)', '/a must be integer', '/e must be equal to one of the allowed values ("x", "y")']);
  });

  it('a bad schema is an input error, not a crash', () => {
    expect(() => checkReply('{}', { type: 'nope' })).toThrow(/output.schema is not a valid JSON Schema/);
  });

  it('the repair message quotes the problems', () => {
    expect(repairMessage(['/a must be integer'])).toContain('- /a must be integer');
  });
});
