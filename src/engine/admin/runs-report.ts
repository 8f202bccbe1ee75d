/** `mpv2 runs list|show|prune`: run summaries, one run's report (with the summaries namespaces contribute), pruning old runs. */
import { existsSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { mpv2Error } from '../../errors.js';
import type { State } from '../../infra/state.js';
import type { ApprovalRecord, RunRecord, RunStatus, StepRecord, StepStatus } from '../../infra/store/types.js';
import type { ApprovalReader, JournalReader } from '../../infra/store/merged.js';
import type { ReportedStep, RunReportContribution } from '../../plugin/types.js';
import { dirSize } from './dir-size.js';
import { forgetAccountsSnapshot } from '../run-accounts.js';

/** The journal (and approvals) a report reads: one project's state, or it and the workers' Redis merged. */
export interface RunReaders { journal: JournalReader; approvals?: ApprovalReader }

export interface RunSummary {
  id: string;
  pipeline: string;
  name: string;
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  /** Wall time from start to finish; undefined while running. */
  durationMs?: number;
  /** `waiting-slot`: when the run continues (at its posting time). */
  resumeAt?: string;
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

export interface RunReport extends RunSummary {
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  error?: { code: string; pluginCode?: string; message: string };
  parentRunId?: string;
  steps: StepReport[];
  /** The run's approvals (effect steps that waited or wait for a person), newest first. */
  approvals?: ApprovalRecord[];
  /** The summaries of the namespaces that report on runs (`reportLines`), under their names. */
  [namespace: string]: unknown;
}

/** A namespace's run-report summary, as `runReport` is given it. */
export interface NamespaceReport {
  namespace: string;
  report: RunReportContribution;
}

const durationOf = (startedAt: string, finishedAt?: string): number | undefined =>
  finishedAt ? Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)) : undefined;

export function summarize(r: RunRecord): RunSummary {
  return { id: r.id, pipeline: r.pipeline, name: r.name, status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt, durationMs: durationOf(r.startedAt, r.finishedAt), ...(r.status === 'waiting-slot' && r.resumeAt && { resumeAt: r.resumeAt }) };
}

export async function listRunSummaries(state: RunReaders, opts: { limit?: number; pipeline?: string } = {}): Promise<RunSummary[]> {
  return (await state.journal.listRuns({ limit: opts.limit ?? 20, pipeline: opts.pipeline })).map(summarize);
}

/**
 * `runs list [--pipeline file]`: the journal names pipelines relative to the project root; a
 * path given relative to the current folder is accepted too. Returns the name it looked for.
 */
export async function findRuns(state: RunReaders, o: { root: string; cwd: string; limit?: number; pipeline?: string }): Promise<{ pipeline?: string; runs: RunSummary[] }> {
  const given = o.pipeline;
  const pipeline = given && existsSync(resolve(o.cwd, given)) ? relative(o.root, resolve(o.cwd, given)) : given;
  return { pipeline, runs: await listRunSummaries(state, { limit: o.limit, pipeline }) };
}

/** `runs show <id|latest>`: `latest` names the newest run. */
/** `mpv2 runs show`: `latest` or an id, with the summaries of the namespaces the run used. */
export async function showRun(state: RunReaders, id: string, reportLinesOf: (namespace: string) => Promise<NamespaceReport['report'] | undefined>): Promise<{ report: RunReport; summaries: NamespaceReport[] }> {
  const runId = id === 'latest' ? (await listRunSummaries(state, { limit: 1 }))[0]?.id ?? id : id;
  const summaries: NamespaceReport[] = [];
  for (const ns of await runNamespaces(state, runId)) {
    const report = await reportLinesOf(ns);
    if (report) summaries.push({ namespace: ns, report });
  }
  return { report: await runReport(state, runId, summaries), summaries };
}

async function getRunOrFail(state: RunReaders, id: string): Promise<RunRecord> {
  const run = await state.journal.getRun(id);
  if (!run) throw mpv2Error('E_NOT_FOUND', `no run with id ${id}`, { hint: '`mpv2 runs list` shows recent runs' });
  return run;
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

/** The namespaces of the plugins a run's steps used: the ones whose run-report summaries may say something. */
export async function runNamespaces(state: RunReaders, id: string): Promise<string[]> {
  return [...new Set((await state.journal.getSteps(id)).map((r) => r.plugin.split('.')[0]!))].sort();
}

/**
 * One run with its steps (in the order they were journaled), and each given namespace's summary
 * over the leaf records (a `foreach` step's items, else the step itself; the whole record of a
 * `foreach` step repeats its items' outputs).
 */
export async function runReport(state: RunReaders, id: string, summaries: NamespaceReport[] = []): Promise<RunReport> {
  const run = await getRunOrFail(state, id);
  const records = await state.journal.getSteps(id);
  const byStep = new Map<string, StepRecord[]>();
  for (const r of records) byStep.set(r.stepId, [...(byStep.get(r.stepId) ?? []), r]);
  const steps: StepReport[] = [];
  const leaves: ReportedStep[] = [];
  for (const recs of byStep.values()) {
    const whole = recs.find((r) => r.index === -1);
    const items = recs.filter((r) => r.index >= 0).sort((a, b) => a.index - b.index);
    steps.push(stepReport(whole, items));
    for (const leaf of items.length ? items : whole ? [whole] : []) {
      leaves.push({ stepId: leaf.stepId, plugin: leaf.plugin, index: leaf.index, status: leaf.status, cached: leaf.cached, outputs: leaf.outputs });
    }
  }
  const approvals = state.approvals ? await state.approvals.list({ runId: id }) : [];
  const report: RunReport = { ...summarize(run), inputs: run.inputs, outputs: run.outputs, error: run.error, parentRunId: run.parentRunId, steps, ...(approvals.length > 0 && { approvals }) };
  for (const s of summaries) if (!(s.namespace in report)) report[s.namespace] = s.report.summarize(leaves);
  return report;
}

export interface PruneResult {
  deleted: string[];
  kept: number;
  /** Bytes of run folders and logs removed. */
  freedBytes: number;
}

/**
 * Deletes every finished run but the newest `keep` (journal rows, `.mpv2/runs/<id>/`,
 * `.mpv2/logs/<id>.log`, its snapshot of the accounts list). Runs still marked `running`, runs waiting for approval (their
 * files are what the reviewer looks at, and approving continues them) and runs waiting for their posting time (they
 * post their files then) are never touched. Effect records stay:
 * they are what keeps an upload or email from happening twice.
 */
export async function pruneRuns(state: Pick<State, 'journal' | 'runsDir' | 'logsDir'> & Partial<Pick<State, 'approvals' | 'kv'>>, keep: number): Promise<PruneResult> {
  if (!Number.isInteger(keep) || keep < 0) throw mpv2Error('E_USAGE', `--keep must be an integer ≥ 0, got ${keep}`);
  const all = await state.journal.listRuns({ limit: Number.MAX_SAFE_INTEGER });
  const finished = all.filter((r) => r.status !== 'running' && r.status !== 'waiting-approval' && r.status !== 'waiting-slot');
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
    // its decisions went with it: nothing can continue a deleted run
    await state.approvals?.removeForRun(r.id);
    if (state.kv) await forgetAccountsSnapshot(state.kv, r.id);
  }
  return { deleted: doomed.map((r) => r.id), kept: all.length - doomed.length, freedBytes };
}
