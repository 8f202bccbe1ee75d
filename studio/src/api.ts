/**
 * The REST API under /api (docs/serve.md): typed fetch helpers and the problem+json errors the
 * server answers with. Shapes follow the API; fields the studio does not use are left out.
 */

import type { Account, Approval, Pipeline, Problem, Run, Schedule } from './types.js';

export type * from './types.js';

/** An `application/problem+json` answer: RFC 9457 fields plus the CLI's code and hint. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; code?: string; hint?: string; problems?: Problem[]; errors?: unknown[]; [k: string]: unknown },
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    // a sign-in is needed: the server's sign-in page brings the user back here
    if (res.status === 401 && method === 'GET') location.assign(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`);
    throw new ApiError(res.status, (data && typeof data === 'object' ? data : { title: text.slice(0, 200) || res.statusText }) as ApiError['problem']);
  }
  return data as T;
}

const seg = (s: string) => encodeURIComponent(s);
/** A pipeline id is a path under the pipelines folder (`examples/x`): each segment is encoded. */
const idPath = (id: string) => id.split('/').map(seg).join('/');

export const api = {
  health: () => request<{ ok: boolean; version: string }>('GET', '/api/health'),
  pipelines: () => request<Pipeline[]>('GET', '/api/pipelines'),
  pipeline: (id: string) => request<Pipeline & { yaml?: string }>('GET', `/api/pipelines/${idPath(id)}`),
  /** `file` (a path in the project) places the text, so its relative paths resolve as that file's. */
  validate: (yaml: string, file: string | undefined, signal?: AbortSignal) =>
    fetch('/api/pipelines/validate', {
      method: 'POST', signal, credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ yaml, ...(file && { file }) }),
    }).then(async (r) => {
      const data = await r.json() as { problems?: Problem[] };
      if (!r.ok && !data.problems) throw new ApiError(r.status, data as ApiError['problem']);
      return data.problems ?? [];
    }),
  startRun: (pipeline: string, inputs: Record<string, unknown>, dryRun = false) =>
    request<{ runId: string }>('POST', '/api/runs', { pipeline, inputs, ...(dryRun && { dryRun }) }),
  runs: (q: { status?: string; pipeline?: string }) => {
    const p = new URLSearchParams();
    if (q.status) p.set('status', q.status);
    if (q.pipeline) p.set('pipeline', q.pipeline);
    const qs = p.toString();
    return request<Run[]>('GET', `/api/runs${qs ? `?${qs}` : ''}`);
  },
  run: (id: string) => request<Run>('GET', `/api/runs/${seg(id)}`),
  cancel: (id: string) => request<unknown>('POST', `/api/runs/${seg(id)}/cancel`),
  resume: (id: string) => request<{ runId?: string }>('POST', `/api/runs/${seg(id)}/resume`),
  approvals: (decided = false) => request<Approval[]>('GET', `/api/approvals${decided ? '?status=decided' : ''}`),
  decide: (id: string, decision: 'approve' | 'reject', note: string) =>
    request<unknown>('POST', `/api/approvals/${seg(id)}`, { decision, ...(note && { note }) }),
  accounts: () => request<Account[]>('GET', '/api/accounts'),
  schedules: () => request<Schedule[]>('GET', '/api/schedules'),
  addSchedule: (s: { pipeline: string; cron: string; tz?: string; name?: string; inputs?: Record<string, unknown> }) =>
    request<Schedule>('POST', '/api/schedules', s),
  setSchedule: (name: string, change: 'pause' | 'resume') => request<Schedule>('POST', `/api/schedules/${seg(name)}/${change}`),
  removeSchedule: (name: string) => request<unknown>('DELETE', `/api/schedules/${seg(name)}`),
};

/** A run file's URL: `path` is relative to the run's folder. */
export function runFileUrl(runId: string, path: string): string {
  return `/api/runs/${seg(runId)}/files/${path.split('/').map(seg).join('/')}`;
}

/** What to show for an error of any kind: the message, then the CLI's code and hint. */
export function describeError(e: unknown): { message: string; code?: string; hint?: string } {
  if (e instanceof ApiError) return { message: e.message, code: e.problem.code, hint: e.problem.hint };
  return { message: e instanceof Error ? e.message : String(e) };
}
