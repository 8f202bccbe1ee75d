import { describe, expect, it } from 'vitest';
import { createTestContext } from 'mpv2/testing';
import set from '../../../plugins/core/set.js';

describe('core.set', () => {
  it('returns its input as outputs', async () => {
    const input = { a: 1, b: 'two', c: { d: [1, 2] }, e: null };
    const t = createTestContext({ plugin: set });
    try {
      expect(await t.run(input)).toEqual(input);
    } finally { await t.close(); }
  });

  it('computes an output schema from the static with', () => {
    const schema = set.outputSchema!({
      title: 'Hello',
      count: 3,
      ratio: 0.5,
      on: true,
      none: null,
      fromStep: '${{ steps.x.outputs.y }}',
      greeting: 'hi ${{ inputs.name }}',
      tags: ['a', 'b'],
      mixed: [1, 'x'],
      nested: { k: 'v', e: '${{ inputs.k }}' },
    });
    expect(schema).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        title: { type: 'string' },
        count: { type: 'integer' },
        ratio: { type: 'number' },
        on: { type: 'boolean' },
        none: { type: 'null' },
        fromStep: {},
        greeting: {},
        tags: { type: 'array', items: { type: 'string' } },
        mixed: { type: 'array', items: {} },
        nested: { type: 'object', properties: { k: { type: 'string' }, e: {} }, additionalProperties: false },
      },
    });
  });

  it('gives an empty mapping an object schema with no properties', () => {
    expect(set.outputSchema!({})).toEqual({ type: 'object', properties: {}, additionalProperties: false });
  });
});
