/**
 * Where a project's approvals live, for the commands and the server: the project's own state
 * (runs of `mpv2 run` and the local worker) and, when `queue.url` is set, the shared Redis
 * stores (runs of `mpv2 worker`s). A decision goes to the store that holds the approval; the
 * run then continues where it ran: in this process (local), or as a queued resume (Redis).
 */
import { decideApproval, listApprovals, type ApprovalRecord, type ApprovalStore, type Decision } from '../engine/approvals.js';
import { mpv2Error } from '../errors.js';
import type { Project } from '../engine/project.js';
import type { EnqueueResult } from './local-queue.js';
import { openProjectStores, type StoreSource } from './project-stores.js';
import { enqueueRunResume } from './resume-run.js';
import type { SharedStores } from './redis/stores.js';
import { releaseSlots } from '../infra/accounts/slots.js';
import { AccountStore } from '../infra/accounts/store.js';
import type { KvStore } from '../infra/store/types.js';

export type ApprovalSource = StoreSource;

export interface ProjectApprovals {
  stores: Array<{ source: ApprovalSource; store: ApprovalStore; /** The accounts' store beside it (posting slots). */ kv: KvStore }>;
  root: string;
  /** The project's secret redaction: a note is stored and shown like every journaled text. */
  redact(text: string): string;
  close(): Promise<void>;
}

export type SourcedApproval = ApprovalRecord & { source: ApprovalSource };

/** Opens the approval stores of a project (Redis too when `queue.url` is set); close it after use. */
export async function openApprovals(project: Project, o: { prefix?: string; shared?: SharedStores } = {}): Promise<ProjectApprovals> {
  const opened = await openProjectStores(project, o);
  return {
    stores: opened.sources.map(({ source, stores }) => ({ source, store: stores.approvals, kv: stores.kv })),
    root: project.root,
    redact: (text) => project.redactor.redact(text),
    close: () => opened.close(),
  };
}

/** Pending (default), decided or all approvals of every store, newest first. */
export async function listProjectApprovals(a: ProjectApprovals, opts: { status?: 'pending' | 'decided' | 'all'; runId?: string } = {}): Promise<SourcedApproval[]> {
  const rows: SourcedApproval[] = [];
  for (const { source, store } of a.stores) for (const r of await listApprovals(store, opts)) rows.push({ ...r, source });
  return rows.sort((x, y) => y.createdAt.localeCompare(x.createdAt));
}

export async function findApproval(a: ProjectApprovals, id: string): Promise<SourcedApproval> {
  for (const { source, store } of a.stores) {
    const r = await store.get(id);
    if (r) return { ...r, source };
  }
  throw mpv2Error('E_NOT_FOUND', `no approval with id ${id}`, { hint: '`mpv2 approvals --all` lists the approvals' });
}

/** Decides approval `id` in the store that holds it (E_NOT_FOUND, E_APPROVAL_DECIDED as `decideApproval`). */
export async function decideProjectApproval(a: ProjectApprovals, id: string, decision: Decision, opts: { note?: string; now?: Date } = {}): Promise<SourcedApproval> {
  const found = await findApproval(a, id);
  const { store, kv } = a.stores.find((s) => s.source === found.source)!;
  const decided = await decideApproval(store, id, decision, { ...opts, ...(opts.note !== undefined && { note: a.redact(opts.note) }) });
  // a rejected post's posting slot is free at once, whenever (or whether) its run continues
  if (decision === 'reject') await releaseSlots(new AccountStore(kv, a.root), { runId: decided.runId, stepId: decided.stepId, ...(decided.index >= 0 && { index: decided.index }) });
  return { ...decided, source: found.source };
}

/** Queues the resume of a decided approval's run for the workers (one job per decision). */
export async function enqueueResume(project: Project, a: ApprovalRecord, now = new Date()): Promise<EnqueueResult> {
  const stores = await openProjectStores(project);
  const run = await stores.sources.at(-1)!.stores.journal.getRun(a.runId).finally(() => stores.close());
  if (!run) throw mpv2Error('E_NOT_FOUND', `no run with id ${a.runId} in the ${stores.sources.length > 1 ? 'shared Redis' : 'local'} journal`, { hint: '`mpv2 runs list` shows recent runs' });
  return enqueueRunResume(project, run, { key: a.id, now });
}
