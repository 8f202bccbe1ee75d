/**
 * The run view's state, folded from the `--json` events of the SSE stream (docs/json-events.md):
 * a step tree with status, progress, retries, waits and log lines, and `foreach` items under
 * their step. Events the studio does not know are ignored, as the event contract asks.
 */
import type { Run, StepRow } from './types.js';

export interface RunEvent {
  event: string;
  runId?: string;
  time?: string;
  stepId?: string;
  index?: number;
  [k: string]: unknown;
}

export interface LogLine { level: string; message: string; time?: string }

export interface StepState {
  stepId: string;
  plugin?: string;
  status: string;
  fraction?: number;
  message?: string;
  durationMs?: number;
  cached?: boolean;
  reused?: boolean;
  reason?: string;
  error?: { code?: string; pluginCode?: string; message?: string; hint?: string };
  retries: Array<{ attempt: number; delayMs: number; reason: string }>;
  wait?: { limit: string; waitMs: number };
  logs: LogLine[];
  /** `foreach` items by index. */
  items?: StepState[];
  itemCount?: number;
  outputs?: unknown;
  /** A step that waits for a person: the approval's id and preview (`step.waiting-approval`). */
  approval?: { id: string; plugin: string; preview: Record<string, unknown> };
}

export interface RunState {
  runId: string;
  pipeline?: string;
  name?: string;
  status: string;
  steps: StepState[];
  outputs?: Record<string, unknown>;
  error?: { code?: string; message?: string; pluginCode?: string };
  durationMs?: number;
  finished: boolean;
}

/** Log lines kept per step: a chatty plugin must not grow the page without bound. */
const MAX_LOGS = 200;

export function emptyRun(runId: string): RunState {
  return { runId, status: 'pending', steps: [], finished: false };
}

const blank = (stepId: string): StepState => ({ stepId, status: 'pending', retries: [], logs: [] });

/** The state a run's `GET /api/runs/{id}` shows (before, or without, the event stream). */
export function fromRun(r: Run): RunState {
  const step = (id: string, s: Omit<StepRow, 'stepId' | 'items'>): StepState => ({
    ...blank(id), status: s.status, durationMs: s.durationMs, outputs: s.outputs, cached: s.cached,
    ...(s.plugin && { plugin: s.plugin }), ...(s.error && { error: s.error }), ...(s.skipReason && { reason: s.skipReason }),
  });
  return {
    runId: r.runId, pipeline: r.pipeline, name: r.name, status: r.status, finished: isFinal(r.status), durationMs: r.durationMs,
    outputs: r.outputs ?? undefined,
    ...(r.error && { error: r.error }),
    steps: (r.steps ?? []).map((s) => ({
      ...step(s.stepId, s),
      ...(s.items && { items: s.items.map((it) => step(`${s.stepId}[${it.index}]`, it)), itemCount: s.items.length }),
    })),
  };
}

/** A run in one of these states does not go on by itself (`waiting-approval` goes on after a decision). */
export const isFinal = (status: string): boolean => status === 'succeeded' || status === 'failed' || status === 'interrupted';

function withStep(state: RunState, stepId: string, index: number | undefined, change: (s: StepState) => StepState): RunState {
  const steps = [...state.steps];
  let i = steps.findIndex((s) => s.stepId === stepId);
  if (i < 0) { steps.push(blank(stepId)); i = steps.length - 1; }
  const step = steps[i]!;
  if (index === undefined) steps[i] = change(step);
  else {
    const items = [...(step.items ?? [])];
    items[index] = change(items[index] ?? blank(`${stepId}[${index}]`));
    steps[i] = { ...step, items };
  }
  return { ...state, steps };
}

export function applyEvent(state: RunState, e: RunEvent): RunState {
  const sid = e.stepId;
  const idx = typeof e.index === 'number' ? e.index : undefined;
  switch (e.event) {
    case 'run.started':
      return { ...state, status: 'running', pipeline: String(e.pipeline ?? state.pipeline ?? ''), name: typeof e.name === 'string' ? e.name : state.name };
    case 'run.finished':
      return {
        ...state, status: String(e.status), finished: true, durationMs: Number(e.durationMs),
        ...(e.outputs !== undefined && { outputs: e.outputs as Record<string, unknown> }),
        ...(e.error !== undefined && { error: e.error as RunState['error'] }),
      };
    case 'run.failed':
      return { ...state, status: 'failed', finished: true, error: e.error as RunState['error'] };
  }
  if (!sid || !e.event.startsWith('step.')) return state;
  return withStep(state, sid, idx, (s) => {
    switch (e.event) {
      case 'step.started':
        return { ...s, status: 'running', plugin: String(e.plugin ?? s.plugin ?? ''), ...(typeof e.items === 'number' && { itemCount: e.items }), wait: undefined };
      case 'step.progress':
        return { ...s, ...(typeof e.fraction === 'number' && { fraction: e.fraction }), ...(typeof e.message === 'string' && { message: e.message }) };
      case 'step.log':
        return { ...s, logs: [...s.logs, { level: String(e.level), message: String(e.message), time: e.time }].slice(-MAX_LOGS) };
      case 'step.waiting':
        return { ...s, wait: { limit: String(e.limit), waitMs: Number(e.waitMs) } };
      case 'step.retrying':
        return { ...s, status: 'retrying', retries: [...s.retries, { attempt: Number(e.attempt), delayMs: Number(e.delayMs), reason: String(e.reason) }] };
      case 'step.finished':
        return { ...s, status: 'succeeded', fraction: 1, wait: undefined, durationMs: Number(e.durationMs), cached: e.cached === true, reused: e.reused === true, outputs: e.outputs };
      case 'step.skipped':
        return { ...s, status: 'skipped', wait: undefined, reason: String(e.reason ?? '') };
      case 'step.failed':
        return { ...s, status: 'failed', wait: undefined, error: e.error as StepState['error'] };
      case 'step.waiting-slot':
        // on a worker: the step waits for its posting time, the run continues then by itself
        return { ...s, status: 'waiting-slot', wait: undefined, reason: `waits until ${String(e.at)} (${String(e.reason ?? '')})` };
      case 'step.waiting-approval':
        return {
          ...s, status: 'waiting-approval', wait: undefined,
          ...(typeof e.approvalId === 'string' && { approval: { id: e.approvalId, plugin: String(e.plugin ?? s.plugin ?? ''), preview: (e.preview ?? {}) as Record<string, unknown> } }),
        };
      default:
        return s;
    }
  });
}
