/**
 * Approvals for the API: the pending ones (or the decided history), and a decision that then
 * continues the run as `mpv2 approve` does: in this server's process for a run of this
 * project's journal, or as a queued resume for the workers when the approval lives in the
 * shared Redis stores.
 */
import type { ApprovalRecord, Decision } from '../engine/approvals.js';
import type { Project } from '../engine/project.js';
import { errorJsonOf } from './problem.js';
import type { RunManager, StartResult } from './runs.js';

export type ApprovalView = Omit<ApprovalRecord, 'index'> & { index?: number; source: 'local' | 'redis' };

const view = (a: ApprovalRecord & { source: 'local' | 'redis' }): ApprovalView => {
  const { index, ...rest } = a;
  return { ...rest, ...(index >= 0 && { index }) };
};

export async function approvals(project: Project, o: { status?: 'pending' | 'decided' | 'all'; runId?: string } = {}): Promise<ApprovalView[]> {
  const { openApprovals, listProjectApprovals } = await import('../queue/approvals.js');
  const a = await openApprovals(project);
  try {
    return (await listProjectApprovals(a, o)).map(view);
  } finally {
    await a.close();
  }
}

export async function approval(project: Project, id: string): Promise<ApprovalView> {
  const { openApprovals, findApproval } = await import('../queue/approvals.js');
  const a = await openApprovals(project);
  try {
    return view(await findApproval(a, id));
  } finally {
    await a.close();
  }
}

export interface DecisionResult {
  approval: ApprovalView;
  /** How the run goes on: resumed here, or its resume queued for the workers. */
  continued?: StartResult;
  /** Why the run did not go on (the decision stands; `POST /api/runs/{id}/resume` tries again). */
  continueError?: { code: string; message: string; hint?: string };
}

export async function decide(project: Project, runs: RunManager, id: string, decision: Decision, note?: string): Promise<DecisionResult> {
  const { openApprovals, decideProjectApproval, enqueueResume } = await import('../queue/approvals.js');
  const a = await openApprovals(project);
  let decided;
  try {
    decided = await decideProjectApproval(a, id, decision, { note });
  } finally {
    await a.close();
  }
  try {
    if (decided.source === 'redis') {
      // one resume job per decision: an identical one already queued is the same resume
      await enqueueResume(project, decided);
      return { approval: view(decided), continued: { runId: decided.runId, where: 'queue' } };
    }
    return { approval: view(decided), continued: await runs.resume(decided.runId) };
  } catch (e) {
    return { approval: view(decided), continueError: errorJsonOf(e, project) };
  }
}
