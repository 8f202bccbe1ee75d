/** `mpv2 runs list|show|prune`: run summaries, one run's report, pruning old runs. */
import { existsSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { mpv2Error } from '../../errors.js';
import type { State } from '../../infra/state.js';
import type { RunRecord, RunStatus, StepRecord, StepStatus } from '../../infra/store/types.js';
import { dirSize } from './dir-size.js';

export interface RunSummary {
  id: string;
  pipeline: string;
  name: string;
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  /** Wall time from start to finish; undefined while running. */
  durationMs?: number;
}

export interface StepReport {
  stepId: string;
  plugin: string;
  status: StepStatus;
  cached: boolean;
  attempts: number;
  durationMs?: number;
  error?: { code: string; pluginCode?: string; message: string };
  skipReason?: string;
  outputs?: unknown;
  /** For `foreach` steps: item counts. */
  items?: { total: number; succeeded: number; failed: number; skipped: number; cached: number };
}

export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface RunReport extends RunSummary {
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  error?: { code: string; pluginCode?: string; message: string };
  parentRunId?: string;
  steps: StepReport[];
  /** LLM usage summed over the steps whose outputs carry `usage` (token counts, cost). */
  llm: { calls: number; spent: UsageTotals; savedByCache: UsageTotals & { calls: number } };
}

const durationOf = (startedAt: string, finishedAt?: string): number | undefined =>
  finishedAt ? Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)) : undefined;

export function summarize(r: RunRecord): RunSummary {
  return { id: r.id, pipeline: r.pipeline, name: r.name, status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt, durationMs: durationOf(r.startedAt, r.finishedAt) };
}

export async function listRunSummaries(state: Pick<State, 'journal'>, opts: { limit?: number; pipeline?: string } = {}): Promise<RunSummary[]> {
  return (await state.journal.listRuns({ limit: opts.limit ?? 20, pipeline: opts.pipeline })).map(summarize);
}

/**
 * `runs list [--pipeline file]`: the journal names pipelines relative to the project root; a
 * path given relative to the current folder is accepted too. Returns the name it looked for.
 */
export async function findRuns(state: Pick<State, 'journal'>, o: { root: string; cwd: string; limit?: number; pipeline?: string }): Promise<{ pipeline?: string; runs: RunSummary[] }> {
  const given = o.pipeline;
  const pipeline = given && existsSync(resolve(o.cwd, given)) ? relative(o.root, resolve(o.cwd, given)) : given;
  return { pipeline, runs: await listRunSummaries(state, { limit: o.limit, pipeline }) };
}

/** `runs show <id|latest>`: `latest` names the newest run. */
export async function showRun(state: Pick<State, 'journal'>, id: string): Promise<RunReport> {
  const runId = id === 'latest' ? (await listRunSummaries(state, { limit: 1 }))[0]?.id ?? id : id;
  return runReport(state, runId);
}

async function getRunOrFail(state: Pick<State, 'journal'>, id: string): Promise<RunRecord> {
  const run = await state.journal.getRun(id);
  if (!run) throw mpv2Error('E_NOT_FOUND', `no run with id ${id}`, { hint: '`mpv2 runs list` shows recent runs' });
  return run;
}

function usageOf(outputs: unknown): { inputTokens: number; outputTokens: number; costUsd: number } | undefined {
  const u = (outputs as { usage?: Record<string, unknown> } | null | undefined)?.usage;
  if (!u || typeof u !== 'object') return undefined;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  if (typeof u.inputTokens !== 'number' && typeof u.outputTokens !== 'number') return undefined;
  return { inputTokens: n(u.inputTokens), outputTokens: n(u.outputTokens), costUsd: n(u.costUsd) };
}

function stepReport(whole: StepRecord | undefined, items: StepRecord[]): StepReport {
  const base = whole ?? items[0]!;
  const report: StepReport = {
    stepId: base.stepId, plugin: base.plugin, status: base.status, cached: base.cached, attempts: base.attempts, durationMs: base.durationMs,
    ...(base.error && { error: base.error }), ...(base.skipReason && { skipReason: base.skipReason }), outputs: base.outputs,
  };
  if (items.length) {
    const count = (s: StepStatus) => items.filter((i) => i.status === s).length;
    report.items = { total: items.length, succeeded: count('succeeded'), failed: count('failed'), skipped: count('skipped'), cached: items.filter((i) => i.cached).length };
    report.attempts = items.reduce((a, i) => a + i.attempts, 0);
    report.cached = items.length > 0 && items.every((i) => i.cached);
    if (!whole?.error) {
      const firstFailed = items.find((i) => i.error);
      if (firstFailed?.error) report.error = firstFailed.error;
    }
  }
  return report;
}

/** One run with its steps (in the order they were journaled) and the LLM usage of its steps. */
export async function runReport(state: Pick<State, 'journal'>, id: string): Promise<RunReport> {
  const run = await getRunOrFail(state, id);
  const records = await state.journal.getSteps(id);
  const byStep = new Map<string, StepRecord[]>();
  for (const r of records) byStep.set(r.stepId, [...(byStep.get(r.stepId) ?? []), r]);
  const steps: StepReport[] = [];
  const llm: RunReport['llm'] = { calls: 0, spent: { inputTokens: 0, outputTokens: 0, costUsd: 0 }, savedByCache: { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 } };
  for (const recs of byStep.values()) {
    const whole = recs.find((r) => r.index === -1);
    const items = recs.filter((r) => r.index >= 0).sort((a, b) => a.index - b.index);
    steps.push(stepReport(whole, items));
    // leaf records only: a foreach step's whole record repeats its items' outputs
    for (const leaf of items.length ? items : whole ? [whole] : []) {
      const u = usageOf(leaf.outputs);
      if (!u || leaf.status !== 'succeeded') continue;
      const callCached = (leaf.outputs as { cached?: unknown }).cached === true;
      const bucket = leaf.cached || callCached ? llm.savedByCache : llm.spent;
      if (bucket === llm.savedByCache) llm.savedByCache.calls++;
      else llm.calls++;
      bucket.inputTokens += u.inputTokens;
      bucket.outputTokens += u.outputTokens;
      bucket.costUsd += u.costUsd;
    }
  }
  return { ...summarize(run), inputs: run.inputs, outputs: run.outputs, error: run.error, parentRunId: run.parentRunId, steps, llm };
}

export interface PruneResult {
  deleted: string[];
  kept: number;
  /** Bytes of run folders and logs removed. */
  freedBytes: number;
}

/**
 * Deletes every finished run but the newest `keep` (journal rows, `.mpv2/runs/<id>/`,
 * `.mpv2/logs/<id>.log`). Runs still marked `running` are never touched. Effect records stay:
 * they are what keeps an upload or email from happening twice.
 */
export async function pruneRuns(state: Pick<State, 'journal' | 'runsDir' | 'logsDir'>, keep: number): Promise<PruneResult> {
  if (!Number.isInteger(keep) || keep < 0) throw mpv2Error('E_USAGE', `--keep must be an integer ≥ 0, got ${keep}`);
  const all = await state.journal.listRuns({ limit: Number.MAX_SAFE_INTEGER });
  const finished = all.filter((r) => r.status !== 'running');
  const doomed = finished.slice(keep);
  let freedBytes = 0;
  for (const r of doomed) {
    const dir = join(state.runsDir, r.id);
    const log = join(state.logsDir, `${r.id}.log`);
    for (const p of [dir, log]) {
      if (!existsSync(p)) continue;
      freedBytes += dirSize(p);
      rmSync(p, { recursive: true, force: true });
    }
    await state.journal.deleteRun(r.id);
  }
  return { deleted: doomed.map((r) => r.id), kept: all.length - doomed.length, freedBytes };
}
