/**
 * The runner's work grows linearly with the steps: counted in reads of the step table and of
 * the step order, not timed (bench/scale.js reports the time per step at 5,000 and 20,000 steps).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePrepared, prepareRun, type RunRequest } from '../../../src/engine/run.js';
import type { ResolvedStep } from '../../../src/engine/pipeline.js';
import { makeProject, type TestProject } from './harness.js';

const N = 1000;
let p: TestProject;

function chain(n: number): string {
  const lines = ['name: chain', 'steps:', '  - id: s0', '    uses: core.set', '    with: { v: 0 }'];
  for (let i = 1; i < n; i++) lines.push(`  - id: s${i}`, '    uses: core.set', `    with: { v: "\${{ steps.s${i - 1}.outputs.v }}" }`);
  return `${lines.join('\n')}\n`;
}

/** Independent steps, each also reading one shared first step: many ready at once. */
function fan(n: number): string {
  const lines = ['name: fan', 'steps:', '  - id: s0', '    uses: core.set', '    with: { v: 0 }'];
  for (let i = 1; i < n; i++) lines.push(`  - id: s${i}`, '    uses: core.set', `    with: { v: "\${{ steps.s0.outputs.v }}", i: ${i} }`);
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => { p = await makeProject({ 'chain.yaml': chain(N), 'fan.yaml': fan(N) }); });
afterAll(() => { p.close(); });

/** Runs the file with the step table and the order wrapped to count their reads. */
async function lookups(file: string, concurrency: number): Promise<{ status: string; count: number }> {
  const req: RunRequest = { project: p.project, cwd: p.root, file, signal: new AbortController().signal, concurrency, noCache: true, sink: () => undefined };
  const prep = await prepareRun(req);
  let count = 0;
  const table = prep.pipeline.stepById;
  const counting = new Map<string, ResolvedStep>(table);
  counting.get = (id: string) => { count++; return table.get(id); };
  prep.pipeline.stepById = counting;
  prep.pipeline.order = new Proxy(prep.pipeline.order, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) count++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  const out = await executePrepared(req, prep);
  return { status: out.result.status, count };
}

describe('the runner at scale', () => {
  it(`a ${N}-step chain reads each step a few times, not once per step and wake-up`, async () => {
    const r = await lookups('chain.yaml', 4);
    expect(r.status).toBe('succeeded');
    expect(r.count).toBeLessThanOrEqual(6 * N);
  }, 120_000);

  it(`${N} steps ready at once, run 8 at a time, the same`, async () => {
    const r = await lookups('fan.yaml', 8);
    expect(r.status).toBe('succeeded');
    expect(r.count).toBeLessThanOrEqual(6 * N);
  }, 120_000);
});
