import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneRuns, runReport } from '../../../src/engine/admin/runs-report.js';
import { openState, type State } from '../../../src/infra/state.js';
import { usageReport, type UsageSummary } from '../../../plugins/llm/usage.js';
import type { StepRecord } from '../../../src/infra/store/types.js';

let state: State;
beforeEach(() => { state = openState(mkdtempSync(join(tmpdir(), 'mpv2-admin-'))); });
afterEach(() => state.close());

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const step = (r: Partial<StepRecord> & Pick<StepRecord, 'stepId' | 'index'>): StepRecord => ({
  runId: 'r1', status: 'succeeded', plugin: 'core.set', attempts: 1, cached: false, startedAt: t(1), ...r,
});
async function addRun(id: string, startedAt: string, status: 'succeeded' | 'failed' | 'running' | 'waiting-approval' = 'succeeded') {
  await state.journal.createRun({ id, pipeline: 'p.yaml', pipelineHash: 'h', name: 'p', status, inputs: {}, startedAt, ...(status !== 'running' && { finishedAt: startedAt }) });
}

describe('runReport', () => {
  it('sums LLM usage over leaf records and counts cached ones as calls saved', async () => {
    await state.journal.createRun({ id: 'r1', pipeline: 'p.yaml', pipelineHash: 'h', name: 'p', status: 'succeeded', inputs: { a: 1 }, startedAt: t(0), finishedAt: t(5) });
    const usage = (i: number, o: number, c: number) => ({ text: 'x', usage: { inputTokens: i, outputTokens: o, costUsd: c } });
    await state.journal.putStep(step({ stepId: 'script', index: -1, plugin: 'llm.generate', outputs: usage(100, 50, 0.01), durationMs: 1200 }));
    await state.journal.putStep(step({ stepId: 'again', index: -1, plugin: 'llm.generate', cached: true, outputs: usage(80, 20, 0.002) }));
    // a foreach step: the whole record repeats the items' outputs and must not be counted twice
    const items = [usage(10, 5, 0.001), usage(10, 5, 0.001), usage(10, 5, 0.001)];
    await state.journal.putStep(step({ stepId: 'each', index: -1, plugin: 'llm.generate', attempts: 0, outputs: items }));
    await state.journal.putStep(step({ stepId: 'each', index: 0, plugin: 'llm.generate', outputs: items[0], attempts: 2 }));
    await state.journal.putStep(step({ stepId: 'each', index: 1, plugin: 'llm.generate', outputs: items[1], cached: true }));
    await state.journal.putStep(step({ stepId: 'each', index: 2, plugin: 'llm.generate', status: 'failed', error: { code: 'E_HTTP', message: 'item 2: 500' } }));
    // the llm namespace contributes the usage summary, as `mpv2 runs show` gives it
    const r = await runReport(state, 'r1', [{ namespace: 'llm', report: usageReport }]) as Awaited<ReturnType<typeof runReport>> & { llm: UsageSummary };
    expect(r.durationMs).toBe(5000);
    expect(r.llm.calls).toBe(2);
    expect(r.llm.spent).toEqual({ inputTokens: 110, outputTokens: 55, costUsd: expect.closeTo(0.011, 9) });
    expect(r.llm.savedByCache).toEqual({ calls: 2, inputTokens: 90, outputTokens: 25, costUsd: expect.closeTo(0.003, 9) });
    const each = r.steps.find((s) => s.stepId === 'each')!;
    expect(each.items).toEqual({ total: 3, succeeded: 2, failed: 1, skipped: 0, cached: 1 });
    expect(each.attempts).toBe(4);
    expect(each.error?.code).toBe('E_HTTP');
    expect(r.steps.find((s) => s.stepId === 'again')?.cached).toBe(true);
  });

  it('an unknown run is E_NOT_FOUND', async () => {
    await expect(runReport(state, 'nope')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });
});

describe('pruneRuns', () => {
  it('keeps the newest finished runs, never a running one, and removes folders and logs', async () => {
    for (const [id, s, st] of [['a', 1, 'succeeded'], ['b', 2, 'failed'], ['c', 3, 'running'], ['d', 4, 'succeeded']] as const) {
      await addRun(id, t(s), st);
      mkdirSync(join(state.runsDir, id, 'step'), { recursive: true });
      writeFileSync(join(state.runsDir, id, 'step', 'f.txt'), 'x'.repeat(100));
      writeFileSync(join(state.logsDir, `${id}.log`), 'log\n');
    }
    await state.journal.putStep(step({ runId: 'a', stepId: 's', index: -1 }));
    const r = await pruneRuns(state, 1);
    expect(r.deleted.sort()).toEqual(['a', 'b']);
    expect(r.kept).toBe(2);
    expect(r.freedBytes).toBe(2 * 104);
    expect(existsSync(join(state.runsDir, 'a'))).toBe(false);
    expect(existsSync(join(state.logsDir, 'b.log'))).toBe(false);
    expect(existsSync(join(state.runsDir, 'c'))).toBe(true);
    expect(existsSync(join(state.runsDir, 'd'))).toBe(true);
    expect(await state.journal.getSteps('a')).toEqual([]);
    expect((await state.journal.listRuns()).map((x) => x.id)).toEqual(['d', 'c']);
    await expect(pruneRuns(state, -1)).rejects.toMatchObject({ code: 'E_USAGE' });
  });

  it('never prunes a run that waits for approval: its files are the preview, and approving continues it', async () => {
    await addRun('old', t(1), 'waiting-approval');
    mkdirSync(join(state.runsDir, 'old', 'render'), { recursive: true });
    writeFileSync(join(state.runsDir, 'old', 'render', 'video.mp4'), 'v');
    await addRun('new', t(2), 'succeeded');
    const r = await pruneRuns(state, 0);
    expect(r.deleted).toEqual(['new']);
    expect(existsSync(join(state.runsDir, 'old', 'render', 'video.mp4'))).toBe(true);
    expect((await state.journal.getRun('old'))?.status).toBe('waiting-approval');
  });

  it('forgets the approvals of the runs it deletes, not of the ones it keeps', async () => {
    await addRun('gone', t(1), 'succeeded');
    await addRun('waits', t(2), 'waiting-approval');
    const preview = { key: 'k', wouldDo: null, files: [] };
    await state.approvals.request({ id: 'ap-gone', runId: 'gone', stepId: 's', index: -1, plugin: 'x.y', preview, createdAt: t(1) });
    await state.approvals.request({ id: 'ap-waits', runId: 'waits', stepId: 's', index: -1, plugin: 'x.y', preview, createdAt: t(2) });
    await pruneRuns(state, 0);
    expect((await state.approvals.list()).map((a) => a.id)).toEqual(['ap-waits']);
  });
});
