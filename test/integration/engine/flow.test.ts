/** Ordering, parallelism, foreach, if, continueOnError, failures and timeouts, on real pipelines. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexOf, is, makeProject, type TestProject } from './harness.js';

/**
 * `gate.meet`: a step that returns only once `of` steps of its run have reached it. Two of
 * them finishing proves they ran at the same time, with no sleep whose length "gives time"
 * for the overlap (a step that never gets company waits until the test's timeout).
 */
const GATE = `
const arrivals = new Map();
export default [{
  id: 'gate.meet', version: '1.0.0', description: 'returns once its count of steps of the run have arrived (test)',
  input: { type: 'object', required: ['of'], properties: { of: { type: 'integer', description: 'how many steps meet' } } },
  output: { type: 'object', properties: { met: { type: 'integer' } } },
  pure: false,
  async run(ctx, input) {
    const g = arrivals.get(ctx.runId) ?? { n: 0, waiters: [] };
    arrivals.set(ctx.runId, g);
    g.n++;
    if (g.n >= input.of) for (const wake of g.waiters.splice(0)) wake();
    else await new Promise((resolve, reject) => { g.waiters.push(resolve); ctx.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }); });
    return { met: g.n };
  },
}];
`;

let p: TestProject;
beforeAll(async () => {
  p = await makeProject({
    '.mpv2rc.yaml': 'plugins:\n  - ./gate.mjs\n',
    'gate.mjs': GATE,
    'parallel.yaml': `
name: parallel
steps:
  - id: a
    uses: gate.meet
    with: { of: 2 }
  - id: b
    uses: gate.meet
    with: { of: 2 }
  - id: c
    uses: core.set
    with: { done: "\${{ steps.a.outputs.met == 2 && steps.b.outputs.met == 2 }}" }
outputs:
  done: \${{ steps.c.outputs.done }}
`,
    'serial.yaml': `
name: serial
steps:
  - id: a
    uses: core.set
    with: { v: 1 }
  - id: b
    uses: core.set
    with: { v: 2 }
`,
    'foreach.yaml': `
name: foreach
inputs:
  words: { type: array, default: [delta, alpha, charlie, bravo] }
steps:
  - id: each
    uses: core.set
    foreach: \${{ inputs.words }}
    as: word
    concurrency: 4
    with: { word: "\${{ word }}", upper: "\${{ upper(item) }}", index: "\${{ index }}" }
  - id: literal
    uses: core.set
    foreach: [x, y]
    with: { v: "\${{ item }}-\${{ index }}" }
outputs:
  words: \${{ steps.each.outputs }}
  first: \${{ steps.each.outputs[0].upper }}
  literal: \${{ steps.literal.outputs }}
`,
    'if.yaml': `
name: if
inputs:
  go: { type: boolean, default: false }
steps:
  - id: maybe
    uses: core.set
    if: \${{ inputs.go }}
    with: { ran: true }
  - id: after
    uses: core.set
    with: { status: "\${{ steps.maybe.status }}", outputs: "\${{ steps.maybe.outputs }}" }
outputs:
  status: \${{ steps.after.outputs.status }}
`,
    'continue.yaml': `
name: continue
steps:
  - id: bad
    uses: file.read
    with: { path: missing.txt }
    continueOnError: true
  - id: next
    uses: core.set
    with: { got: "\${{ steps.bad.outputs }}", status: "\${{ steps.bad.status }}" }
outputs:
  got: \${{ steps.next.outputs.got }}
  status: \${{ steps.next.outputs.status }}
`,
    'fail.yaml': `
name: fail
steps:
  - id: bad
    uses: file.read
    with: { path: missing.txt }
  - id: child
    uses: core.set
    with: { x: "\${{ steps.bad.outputs.content }}" }
  - id: grandchild
    uses: core.set
    with: { y: "\${{ steps.child.outputs.x }}" }
  - id: independent
    uses: core.set
    with: { z: 1 }
`,
    'timeout.yaml': `
name: timeout
steps:
  - id: slow
    uses: core.wait
    with: { seconds: 3600 }
    timeout: 200ms
    retry: { attempts: 1 }
`,
    'foreach-nonlist.yaml': `
name: foreach-nonlist
inputs:
  n: { type: number, default: 3 }
steps:
  - id: each
    uses: core.set
    foreach: \${{ inputs.n }}
    with: { v: "\${{ item }}" }
`,
  });
});
afterAll(() => p.close());

describe('parallel steps', () => {
  it('independent steps overlap under concurrency 2', async () => {
    const r = await p.run('parallel.yaml', { concurrency: 2 });
    expect(r.result.status).toBe('succeeded');
    const ev = r.events;
    // both started before either finished
    expect(indexOf(ev, is('step.started', 'b'))).toBeLessThan(indexOf(ev, is('step.finished', 'a')));
    expect(indexOf(ev, is('step.started', 'a'))).toBeLessThan(indexOf(ev, is('step.finished', 'b')));
    // the dependent starts after both
    expect(indexOf(ev, is('step.started', 'c'))).toBeGreaterThan(Math.max(indexOf(ev, is('step.finished', 'a')), indexOf(ev, is('step.finished', 'b'))));
    expect(r.result.outputs).toEqual({ done: true });
  });

  it('concurrency 1 runs them one after the other', async () => {
    const r = await p.run('serial.yaml', { concurrency: 1 });
    const ev = r.events;
    expect(indexOf(ev, is('step.finished', 'a'))).toBeLessThan(indexOf(ev, is('step.started', 'b')));
  });
});

describe('foreach', () => {
  it('outputs are the item outputs in input order; `as`, item and index are set', async () => {
    const r = await p.run('foreach.yaml');
    expect(r.result.status).toBe('succeeded');
    expect(r.result.outputs).toEqual({
      words: [
        { word: 'delta', upper: 'DELTA', index: 0 },
        { word: 'alpha', upper: 'ALPHA', index: 1 },
        { word: 'charlie', upper: 'CHARLIE', index: 2 },
        { word: 'bravo', upper: 'BRAVO', index: 3 },
      ],
      first: 'DELTA',
      literal: [{ v: 'x-0' }, { v: 'y-1' }],
    });
    expect(r.of('step.started', 'each').find((e) => e.index === undefined)?.items).toBe(4);
    expect(r.of('step.finished', 'each').map((e) => e.index).filter((i) => i !== undefined).sort()).toEqual([0, 1, 2, 3]);
  });

  it('foreach over a non-list fails the step with a clear error', async () => {
    const r = await p.run('foreach-nonlist.yaml');
    expect(r.result.status).toBe('failed');
    expect(r.of('step.failed', 'each')[0]?.error).toMatchObject({ code: 'E_EXPR_EVAL', message: expect.stringMatching(/must be a list, got number/) });
  });
});

describe('if, continueOnError, failures', () => {
  it('`if` false → skipped, and dependents still run', async () => {
    const r = await p.run('if.yaml');
    expect(r.result.status).toBe('succeeded');
    expect(r.of('step.skipped', 'maybe')[0]?.reason).toMatch(/`if` condition is false/);
    expect(r.of('step.started', 'maybe')).toHaveLength(0);
    expect(r.result.outputs).toEqual({ status: 'skipped' });
    const again = await p.run('if.yaml', { inputArgs: ['go=true'] });
    expect(again.of('step.finished', 'maybe')).toHaveLength(1);
    expect(again.result.outputs).toEqual({ status: 'succeeded' });
  });

  it('continueOnError: the failure is recorded, outputs are null and the run goes on', async () => {
    const r = await p.run('continue.yaml');
    expect(r.of('step.failed', 'bad')[0]?.error.code).toBe('E_FILE');
    expect(r.result.status).toBe('succeeded');
    expect(r.result.outputs).toEqual({ got: null, status: 'failed' });
  });

  it('a failed step skips its dependents, lets independent steps run, and fails the run', async () => {
    const r = await p.run('fail.yaml');
    expect(r.result.status).toBe('failed');
    expect(r.result.error?.code).toBe('E_FILE');
    expect(r.of('step.skipped', 'child')[0]?.reason).toMatch(/step "bad" failed/);
    expect(r.of('step.skipped', 'grandchild')[0]?.reason).toMatch(/step "child" was not run/);
    expect(r.of('step.finished', 'independent')).toHaveLength(1);
    expect(r.of('run.finished')[0]).toMatchObject({ status: 'failed', error: { code: 'E_FILE' } });
    const steps = await p.project.state().journal.getSteps(r.runId);
    expect(Object.fromEntries(steps.map((s) => [s.stepId, s.status]))).toEqual({ bad: 'failed', child: 'skipped', grandchild: 'skipped', independent: 'succeeded' });
  });

  it('a step over its timeout fails with E_TIMEOUT', async () => {
    const r = await p.run('timeout.yaml');
    expect(r.result.status).toBe('failed');
    expect(r.of('step.failed', 'slow')[0]?.error).toMatchObject({ code: 'E_TIMEOUT', message: expect.stringMatching(/timeout \(200 ms\)/) });
    // the wait was cut: an uncut one would outlast the test's timeout by far (no wall-clock assertion)
  });
});
