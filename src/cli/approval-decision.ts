/**
 * What `mpv2 approve` and `mpv2 reject` do: record the decision where the approval lives, then
 * continue its run — here, with the normal progress (a run of this machine's journal), or as a
 * queued resume for the workers (an approval in the shared Redis stores).
 */
import type { Decision } from '../engine/approvals.js';
import type { Project } from '../engine/project.js';
import { EXIT } from './exit-codes.js';
import { forTerminal } from './output/terminal-text.js';
import { runWithOutput } from './run-output.js';

export interface DecisionOptions {
  project: Project;
  id: string;
  decision: Decision;
  note?: string;
  /** false: only record the decision (`--no-resume`). */
  resume: boolean;
  json?: boolean;
  concurrency?: number;
  verbose?: boolean;
  /** Human lines (stderr, so `--json` keeps stdout for the run's events). */
  say?: (line: string) => void;
}

export async function decideAndContinue(o: DecisionOptions): Promise<number> {
  const say = o.say ?? ((line: string) => process.stderr.write(`${forTerminal(line)}\n`));
  const { openApprovals, decideProjectApproval, enqueueResume } = await import('../queue/approvals.js');
  const { stepLabel } = await import('../engine/approvals.js');
  const approvals = await openApprovals(o.project);
  let decided;
  try {
    decided = await decideProjectApproval(approvals, o.id, o.decision, { note: o.note });
  } finally {
    await approvals.close();
  }
  const what = o.decision === 'approve' ? 'Approved' : 'Rejected';
  say(`${what} ${decided.id} (run ${decided.runId}, step ${stepLabel(decided)}, ${decided.plugin})${decided.note ? `: ${decided.note}` : ''}.`);
  if (!o.resume) {
    say(`The run continues with: mpv2 resume ${decided.runId}`);
    return EXIT.ok;
  }
  if (decided.source === 'redis') {
    const r = await enqueueResume(o.project, decided);
    say(r.added ? `Queued the resume of run ${decided.runId} (job ${r.job.id}) for the workers.` : `The resume of run ${decided.runId} is already ${r.status} (job ${r.job.id}).`);
    return EXIT.ok;
  }
  return runWithOutput({ project: o.project, cwd: process.cwd(), resume: decided.runId, json: o.json, concurrency: o.concurrency, verbose: o.verbose });
}
