/** Runs (or resumes) with the right output for where it prints, and handles Ctrl-C / SIGTERM. */
import { relative } from 'node:path';
import { executePrepared, prepareRun, type RunRequest } from '../engine/run.js';
import type { Project } from '../engine/project.js';
import type { EventSink } from '../engine/events.js';
import { isMpv2Error } from '../errors.js';
import { fromSystemError } from '../infra/system-errors.js';
import { formatError } from './format-error.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { jsonSink } from './output/json.js';
import { plainSink } from './output/plain.js';
import { forTerminal } from './output/terminal-text.js';

/**
 * Opens the project for run / resume / validate / plan: built-in plugins load only when the
 * pipeline uses them, which keeps start-up short (see `lazyPlugins`). Config warnings go to `warn`.
 */
export async function openForPipeline(cmd: { warn(message: string): unknown }, flags: { project?: string }): Promise<Project> {
  const { openProject } = await import('../engine/project.js');
  const project = await openProject({ cwd: process.cwd(), project: flags.project, lazyPlugins: true });
  for (const w of project.config.warnings) cmd.warn(w);
  return project;
}

/** Pipelines longer than this print one line per event on a terminal too (linear in the steps). */
const TTY_VIEW_MAX_STEPS = 50;

export interface RunWithOutputOptions extends Omit<RunRequest, 'signal' | 'sink' | 'project'> {
  project: Project;
  json?: boolean;
  verbose?: boolean;
}

export async function runWithOutput(o: RunWithOutputOptions): Promise<number> {
  const controller = new AbortController();
  let stoppedBy: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (sig: 'SIGINT' | 'SIGTERM') => () => {
    if (stoppedBy) process.exit(sig === 'SIGINT' ? EXIT.sigint : EXIT.sigterm); // a second signal: leave now
    stoppedBy = sig;
    if (!o.json) process.stderr.write(`\n${sig === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'}: stopping running steps…\n`);
    controller.abort();
  };
  const sigint = onSignal('SIGINT');
  const sigterm = onSignal('SIGTERM');
  process.on('SIGINT', sigint);
  process.on('SIGTERM', sigterm);
  const printErr = (e: unknown) => process.stderr.write(`${forTerminal(o.project.redactor.redact(formatError(e, o.project.root, { verbose: o.verbose })))}\n`);
  try {
    // an error that stops the command before the run reports its end (bad input; a full disk at the start)
    const stopped = (e: unknown): number => {
      const known = isMpv2Error(e) ? e : fromSystemError(e, o.project.root);
      if (o.json) process.stdout.write(`${JSON.stringify({ event: 'run.failed', time: new Date().toISOString(), error: { code: known?.code ?? 'E_INTERNAL', message: o.project.redactor.redact((known ?? (e as Error)).message) } })}\n`);
      printErr(e);
      return exitCodeFor(known ?? e);
    };
    let prep;
    try {
      prep = await prepareRun({ ...o, signal: controller.signal, sink: () => undefined });
    } catch (e) {
      return stopped(e);
    }
    // listr2 (~15 ms to import) only for a terminal: piped and CI runs never load it. Its view
    // draws every step in each frame and fits a screen, so longer pipelines print lines instead
    const tty = process.stderr.isTTY && prep.pipeline.steps.length <= TTY_VIEW_MAX_STEPS;
    const out = o.json ? jsonSink() : tty ? (await import('./output/tty.js')).ttySink(prep.pipeline) : plainSink();
    // the approvals the run stopped at, for the closing lines
    const waiting: Array<{ id: string; step: string }> = [];
    const sink: EventSink = (e) => {
      if (e.event === 'step.waiting-approval') waiting.push({ id: e.approvalId, step: e.index === undefined ? e.stepId : `${e.stepId}[${e.index}]` });
      out.sink(e);
    };
    let outcome;
    try {
      outcome = await executePrepared({ ...o, signal: controller.signal, sink }, prep);
    } catch (e) {
      await out.done();
      return stopped(e);
    }
    await out.done();
    const { result } = outcome;
    // on stderr in every mode: with --json, stdout holds only the events
    for (const r of outcome.outRefused) process.stderr.write(`⚠ --out: not copied: ${o.project.redactor.redact(r.reason)}\n`);
    if (!o.json) {
      if (result.status === 'succeeded') printOutputs(o.project.redactor.redactDeep(result.outputs ?? {}), o.project.root, outcome.outFiles);
      else if (result.error && result.status === 'failed') printErr(result.error);
      if (result.status !== 'succeeded') process.stderr.write(`Run id: ${outcome.runId}${result.status === 'interrupted' || result.status === 'failed' ? ` — continue with: mpv2 resume ${outcome.runId}` : ''}\n`);
    }
    if (result.status === 'waiting-approval') {
      // on stderr in every mode, like the other closing lines: a --json reader has the events
      if (!o.json) process.stderr.write(waitingLines(waiting));
      return EXIT.waiting;
    }
    if (result.status === 'interrupted') return stoppedBy === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
    return result.status === 'succeeded' ? EXIT.ok : EXIT.failed;
  } finally {
    process.off('SIGINT', sigint);
    process.off('SIGTERM', sigterm);
  }
}

function waitingLines(waiting: Array<{ id: string; step: string }>): string {
  const lines = waiting.map((w) => `  ${w.id}  step ${forTerminal(w.step)}: mpv2 approve ${w.id}   (or: mpv2 reject ${w.id} --note "why")`);
  return `⏸ Waiting for approval (\`mpv2 approvals\` shows what each would do):\n${lines.join('\n')}\n`;
}

function printOutputs(outputs: Record<string, unknown>, root: string, outFiles: string[]): void {
  const entries = Object.entries(outputs);
  if (entries.length === 0 && outFiles.length === 0) return;
  const show = (v: unknown) => (typeof v === 'string' && v.startsWith(root) ? relative(process.cwd(), v) || '.' : typeof v === 'string' ? v : JSON.stringify(v));
  process.stdout.write('Outputs:\n');
  for (const [k, v] of entries) process.stdout.write(`  ${forTerminal(`${k}: ${show(v)}`)}\n`);
  if (outFiles.length) process.stdout.write(`Copied ${outFiles.length} file(s): ${outFiles.map((f) => relative(process.cwd(), f)).join(', ')}\n`);
}
