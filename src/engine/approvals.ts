/**
 * Approve before publish: listing, reading and deciding the approvals effect steps wait for.
 * `mpv2 approvals`/`approve`/`reject` and the REST API call these; the run itself records an
 * approval and stops at it in ./approval-gate.ts, and goes on with `resume` once it is decided.
 */
import { mpv2Error } from '../errors.js';
import { sha256 } from '../infra/hash.js';
import type { ApprovalRecord, ApprovalStore } from '../infra/store/types.js';
import { oneLine } from './admin/format.js';

export type { ApprovalPreview, ApprovalRecord, ApprovalStatus, ApprovalStore } from '../infra/store/types.js';
export { approvalPreviewSchema, approvalRecordSchema } from '../infra/store/approval-schema.js';

export type Decision = 'approve' | 'reject';

/**
 * The id of the approval of one step (`index` -1) or `foreach` item of a run: derived, so a
 * resume that reaches the same step again finds the record it made before instead of a second one.
 */
export function approvalIdFor(runId: string, stepId: string, index: number): string {
  return `ap-${sha256(`${runId}\0${stepId}\0${index}`).slice(0, 12)}`;
}

/** `pending` (the default): waiting for a decision; `decided`: approved or rejected; `all`. Newest first. */
export async function listApprovals(store: ApprovalStore, opts: { status?: 'pending' | 'decided' | 'all'; runId?: string } = {}): Promise<ApprovalRecord[]> {
  const status = opts.status ?? 'pending';
  const rows = await store.list({ ...(status === 'pending' && { status: 'pending' }), ...(opts.runId && { runId: opts.runId }) });
  return status === 'decided' ? rows.filter((a) => a.status !== 'pending') : rows;
}

export async function getApproval(store: ApprovalStore, id: string): Promise<ApprovalRecord> {
  const a = await store.get(id);
  if (!a) throw notFound(id);
  return a;
}

/**
 * Records the decision on a pending approval, atomically: deciding one that is already decided
 * (twice, or by two people at once) is E_APPROVAL_DECIDED and changes nothing. The caller then
 * continues the run (`resume`): approved, the effect acts once; rejected, the step is skipped
 * with the note as its reason.
 */
export async function decideApproval(store: ApprovalStore, id: string, decision: Decision, opts: { note?: string; now?: Date } = {}): Promise<ApprovalRecord> {
  const note = opts.note?.trim() || undefined;
  const r = await store.decide(id, { status: decision === 'approve' ? 'approved' : 'rejected', ...(note && { note }), decidedAt: (opts.now ?? new Date()).toISOString() });
  if (!r.record) throw notFound(id);
  if (!r.decided) {
    throw mpv2Error('E_APPROVAL_DECIDED', `approval ${id} (run ${r.record.runId}, step ${stepLabel(r.record)}) was already ${r.record.status}${r.record.decidedAt ? ` at ${r.record.decidedAt}` : ''}; nothing was changed`, {
      hint: r.record.status === 'approved' ? `the run continues with \`mpv2 resume ${r.record.runId}\` if it has not yet` : '`mpv2 approvals --all` shows every approval and its decision',
      details: { id, status: r.record.status },
    });
  }
  return r.record;
}

/** The reason a rejected step is skipped with. */
export function rejectionReason(a: ApprovalRecord): string {
  return a.note ? `rejected: ${a.note}` : `rejected (approval ${a.id})`;
}

export function stepLabel(a: Pick<ApprovalRecord, 'stepId' | 'index'>): string {
  return a.index < 0 ? a.stepId : `${a.stepId}[${a.index}]`;
}

/** The preview on one line, for lists: what the effect would do, its wrapper of one key left out. */
export function previewLine(a: ApprovalRecord, max = 80): string {
  let v = a.preview.wouldDo;
  while (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1) v = Object.values(v)[0];
  // a post at a time says when first: that is what the person approves it for
  const when = a.preview.postAt ? `at ${a.preview.postAt}: ` : '';
  return when + oneLine(v ?? a.preview.key, Math.max(10, max - when.length));
}

function notFound(id: string) {
  return mpv2Error('E_NOT_FOUND', `no approval with id ${id}`, { hint: '`mpv2 approvals --all` lists the approvals' });
}
