import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';
import { shownCode } from '../../format-error.js';
import type { NamespaceReport, RunReport } from '../../../engine/admin/runs-report.js';

export default class RunsShow extends BaseCommand {
  static override summary = 'Show one run: its steps, approvals, outputs and what its plugins sum up (LLM usage)';
  static override description = `For each step: status, whether it came from the cache, attempts, duration and error; then the run's outputs and each step's outputs.
Plugins add their own summary of the run: LLM steps (outputs with \`usage\`) add up to input/output tokens and cost, cached ones count as calls saved by the cache.
\`latest\` names the newest run.`;
  static override examples = ['<%= config.bin %> runs show 20261127-161455Z-a1b2c3', '<%= config.bin %> runs show latest --json'];
  static override args = { id: Args.string({ description: 'Run id (see `mpv2 runs list`) or `latest`', required: true }) };
  static override flags = { json: Flags.boolean({ description: 'Print the report as JSON', default: false }) };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(RunsShow);
    // state only: plugins load lazily, so the command starts fast
    const project = await this.openLazyProject(flags);
    const [{ showRun }, { openProjectStores }] = await Promise.all([import('../../../engine/admin/runs-report.js'), import('../../../queue/project-stores.js')]);
    // a worker's run is read from the shared Redis journal (queue.url)
    const stores = await openProjectStores(project);
    // the namespaces the run used say what they add (the llm its tokens and cost)
    const { report, summaries } = await showRun(stores, args.id, async (ns) => (await project.registry.namespace(ns))?.def.reportLines).finally(() => stores.close());
    if (this.jsonEnabled()) return report;
    await this.print(report, project.root, summaries);
    return undefined;
  }

  private async print(r: RunReport, root: string, summaries: NamespaceReport[]): Promise<void> {
    const { formatMs, formatTime, oneLine, relativizePaths, table } = await import('../../../engine/admin/format.js');
    const rel = <T>(v: T) => relativizePaths(v, root, process.cwd());
    this.log(`Run ${r.id}: ${r.name} (${r.pipeline})`);
    this.log(`Status: ${r.status}${r.resumeAt ? ` until ${formatTime(r.resumeAt)} UTC (continues then on a worker)` : ''}   started ${formatTime(r.startedAt)} UTC   duration ${formatMs(r.durationMs)}${r.parentRunId ? `   upstream from ${r.parentRunId}` : ''}`);
    if (Object.keys(r.inputs).length) this.log(`Inputs: ${Object.entries(r.inputs).map(([k, v]) => `${k}=${oneLine(v, 40)}`).join(' ')}`);
    if (r.error) this.log(`Error: ${shownCode(r.error)} ${r.error.message}`);
    this.log('');
    const cached = (s: RunReport['steps'][number]) => (s.items ? `${s.items.cached}/${s.items.total}` : s.cached ? 'yes' : 'no');
    const status = (s: RunReport['steps'][number]) => (s.items ? `${s.status} (${s.items.succeeded}/${s.items.total} items)` : s.status);
    this.log(table(['STEP', 'PLUGIN', 'STATUS', 'CACHED', 'ATTEMPTS', 'DURATION'], r.steps.map((s) => [s.stepId, s.plugin, status(s), cached(s), String(s.attempts), formatMs(s.durationMs)])));
    const problems = r.steps.filter((s) => s.error || s.skipReason);
    if (problems.length) {
      this.log('');
      for (const s of problems) this.log(s.error ? `✖ ${s.stepId}: ${shownCode(s.error)} ${s.error.message}` : `- ${s.stepId} skipped: ${s.skipReason}`);
    }
    const waiting = (r.approvals ?? []).filter((a) => a.status === 'pending');
    if (waiting.length) {
      this.log('');
      for (const a of waiting) this.log(`⏸ ${a.index < 0 ? a.stepId : `${a.stepId}[${a.index}]`} waits for approval ${a.id}: mpv2 approve ${a.id}   (or: mpv2 reject ${a.id} --note "why")`);
    }
    for (const a of (r.approvals ?? []).filter((x) => x.status !== 'pending')) this.log(`${a.status === 'approved' ? '✔' : '✖'} ${a.stepId}${a.index < 0 ? '' : `[${a.index}]`}: ${a.status} ${formatTime(a.decidedAt)} UTC${a.note ? ` (${a.note})` : ''}`);
    if (r.outputs && Object.keys(r.outputs).length) {
      this.log('\nOutputs:');
      for (const [k, v] of Object.entries(rel(r.outputs))) this.log(`  ${k}: ${oneLine(v, 100)}`);
    }
    const withOutputs = r.steps.filter((s) => s.outputs !== undefined && s.outputs !== null && !(typeof s.outputs === 'object' && Object.keys(s.outputs).length === 0));
    if (withOutputs.length) {
      this.log('\nStep outputs:');
      for (const s of withOutputs) this.log(`  ${s.stepId}: ${oneLine(rel(s.outputs), 100)}`);
    }
    for (const s of summaries) for (const line of s.report.lines(r[s.namespace])) this.log(line);
  }
}
