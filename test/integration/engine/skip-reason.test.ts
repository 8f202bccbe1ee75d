/**
 * A step held back by a failed upstream step is marked by a field (blockedBy), not by the
 * words of its reason: a plugin's own skip reason that happens to start with "not run" is an
 * ordinary skip, and a held-back step runs again on resume.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, type TestProject } from './harness.js';

const PLUGIN = `
let failures = 1;
export default [
  { id: 'demo.quiet', version: '1.0.0', description: 'skips', async run(ctx) { ctx.skip('not run: nothing new today'); } },
  { id: 'demo.once', version: '1.0.0', description: 'fails the first time', pure: false,
    async run() { if (failures-- > 0) throw new Error('first try fails'); return {}; } },
];
`;

let p: TestProject;
beforeAll(async () => {
  p = await makeProject({
    '.mpv2rc.yaml': 'plugins:\n  - ./local/demo.mjs\n',
    'local/demo.mjs': PLUGIN,
    'quiet.yaml': 'name: quiet\nsteps:\n  - id: quiet\n    uses: demo.quiet\n  - id: after\n    uses: core.set\n    needs: quiet\n    with: { s: "${{ steps.quiet.status }}" }\n',
    'once.yaml': 'name: once\nsteps:\n  - id: once\n    uses: demo.once\n  - id: after\n    uses: core.set\n    needs: once\n    with: { s: done }\n',
  });
});
afterAll(() => p.close());

describe('skipped steps', () => {
  it('a plugin skip whose reason starts with "not run" does not hold back the steps after it', async () => {
    const r = await p.run('quiet.yaml');
    expect(r.of('step.skipped', 'quiet')[0]!.reason).toBe('not run: nothing new today');
    expect(r.result.status).toBe('succeeded');
    expect(r.of('step.finished', 'after')[0]!.outputs).toEqual({ s: 'skipped' });
  });

  it('a step held back by a failed one is journaled with blockedBy and runs on resume', async () => {
    const first = await p.run('once.yaml');
    expect(first.result.status).toBe('failed');
    expect(first.of('step.skipped', 'after')[0]!.reason).toBe('not run: step "once" failed');
    const steps = await p.project.state().journal.getSteps(first.runId);
    expect(steps.find((s) => s.stepId === 'after')).toMatchObject({ status: 'skipped', blockedBy: 'once' });
    const again = await p.run('once.yaml', { resume: first.runId });
    expect(again.result.status).toBe('succeeded');
    expect(again.of('step.finished', 'after')[0]!.outputs).toEqual({ s: 'done' });
  });
});
