import { describe, expect, it } from 'vitest';
import { compile, evaluate } from '../../../src/engine/expr/index.js';

// a foreach compiles `with` once and evaluates it per item
describe('compile once, evaluate many times', () => {
  it('gives the right value for each of 10,000 items', () => {
    const compiled = compile({
      text: 'Part ${{ index }}: ${{ upper(item.title) }} (${{ inputs.lang }})',
      query: '${{ item.tags[0] }}',
      long: "${{ length(item.title) > 5 ? 'long' : 'short' }}",
      fixed: { aspect: '9:16' },
    });
    const items = Array.from({ length: 10_000 }, (_, i) => ({ title: `t${'x'.repeat(i % 8)}`, tags: [`tag${i}`] }));
    const steps = { a: { outputs: { n: 1 } } };
    let wrong = 0;
    const started = process.hrtime.bigint();
    items.forEach((item, index) => {
      const got = evaluate(compiled, { inputs: { lang: 'en' }, steps, item, index }) as Record<string, unknown>;
      const want = {
        text: `Part ${index}: ${item.title.toUpperCase()} (en)`,
        query: `tag${index}`,
        long: item.title.length > 5 ? 'long' : 'short',
        fixed: { aspect: '9:16' },
      };
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong++;
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // reported, not asserted: timing asserts are flaky on shared machines
    console.log(`10,000 evaluations incl. checks: ${ms.toFixed(1)} ms`);
    expect(wrong).toBe(0);
  });
});
