/** The studio's run form: fields, defaults and the client-side check mirror the inputs' JSON Schema. */
import { describe, expect, it } from 'vitest';
import { collectInputs, fieldOfProblem, fieldsOf, initialValues, problemsByField } from '../../../studio/src/schema-form.js';
import type { JsonSchema } from '../../../studio/src/types.js';

const schema: JsonSchema = {
  type: 'object',
  required: ['topic', 'count'],
  properties: {
    topic: { type: 'string', description: 'What the video is about', minLength: 3 },
    script: { type: 'string', default: '' },
    count: { type: 'integer', minimum: 1, maximum: 5, default: 2 },
    ratio: { type: 'number', exclusiveMinimum: 0 },
    loud: { type: 'boolean', default: true },
    style: { type: 'string', enum: ['karaoke', 'pop'], default: 'pop' },
    tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' }, maxItems: 2 },
    platforms: { type: 'array', items: { type: 'string', enum: ['x', 'youtube'] }, default: ['x'] },
    extra: { type: 'object' },
  },
};

describe('studio run form', () => {
  const fields = fieldsOf(schema);

  it('makes one field per input, with kinds, required marks and descriptions', () => {
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['topic', 'string', true], ['script', 'text', false], ['count', 'integer', true], ['ratio', 'number', false],
      ['loud', 'boolean', false], ['style', 'enum', false], ['tags', 'string-list', false], ['platforms', 'enum-list', false], ['extra', 'json', false],
    ]);
    expect(fields[0]!.description).toBe('What the video is about');
    expect(fields.find((f) => f.name === 'style')!.options).toEqual(['karaoke', 'pop']);
  });

  it('starts from the defaults', () => {
    expect(initialValues(fields)).toEqual({ topic: '', script: '', count: '2', ratio: '', loud: true, style: 'pop', tags: '', platforms: ['x'], extra: '' });
  });

  it('turns good values into typed inputs and leaves empty optional ones to their defaults', () => {
    const r = collectInputs(fields, { ...initialValues(fields), topic: 'Octopus', count: '3', ratio: '0.5', tags: 'ocean\n\nfacts\n', loud: false, extra: '{"a":1}' });
    expect(r.errors).toEqual({});
    expect(r.inputs).toEqual({ topic: 'Octopus', count: 3, ratio: 0.5, loud: false, style: 'pop', tags: ['ocean', 'facts'], platforms: ['x'], extra: { a: 1 } });
  });

  it('reports each broken rule at its field', () => {
    const r = collectInputs(fields, { ...initialValues(fields), topic: 'ab', count: '2.5', ratio: '0', tags: 'ok\nBad!', extra: '{' });
    expect(r.errors).toEqual({
      topic: 'must be at least 3 characters', count: 'must be a whole number', ratio: 'must be more than 0',
      tags: 'item 2 must match the pattern ^[a-z]+$', extra: expect.stringMatching(/^is not valid JSON/),
    });
    expect(collectInputs(fields, { ...initialValues(fields), count: '' }).errors).toMatchObject({ topic: 'is required', count: 'is required' });
    expect(collectInputs(fields, { ...initialValues(fields), topic: 'abc', count: '9', tags: 'a\nb\nc' }).errors).toEqual({ count: 'must be 5 or less', tags: 'takes at most 2 items' });
  });

  it('finds the field a server problem names', () => {
    const names = fields.map((f) => f.name);
    expect(fieldOfProblem({ path: '/inputs/count' }, names)).toBe('count');
    expect(fieldOfProblem({ field: 'topic' }, names)).toBe('topic');
    expect(fieldOfProblem({ message: 'input "style" must be equal to one of the allowed values' }, names)).toBe('style');
    expect(fieldOfProblem({ message: 'something else' }, names)).toBeUndefined();
  });

  it("puts the server's input errors (problem+json, as the engine words them) at their fields", () => {
    const names = fields.map((f) => f.name);
    // the API's answers to POST /api/runs with a bad enum value, and with two problems at once
    expect(problemsByField({ code: 'E_INPUT_INVALID', detail: 'inputs.style must be one of "karaoke", "pop" (got "bogus")' }, names))
      .toEqual({ style: 'must be one of "karaoke", "pop" (got "bogus")' });
    expect(problemsByField({ code: 'E_INPUT_UNKNOWN', detail: '2 problems found:\n- input "nope" is not declared by the pipeline\n- inputs.count must be <= 5' }, names))
      .toEqual({ count: 'must be <= 5' });
    expect(problemsByField({ problems: [{ code: 'E_INPUT_INVALID', message: 'too long', path: '/inputs/topic', hint: 'shorten it' }] }, names))
      .toEqual({ topic: 'too long (shorten it)' });
    expect(problemsByField({ code: 'E_INPUT_INVALID', detail: 'inputs.tags[1] must match format "email" (got "nope")' }, names))
      .toEqual({ tags: 'item 2 must match format "email" (got "nope")' });
    expect(problemsByField({ code: 'E_QUEUE', detail: 'the queue is down' }, names)).toEqual({});
  });
});
