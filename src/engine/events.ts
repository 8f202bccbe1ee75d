/** The run's events: the `--json` NDJSON lines, the progress display and the journal hear these. */
import type { ApprovalPreview } from '../infra/store/types.js';

export interface StepRef {
  stepId: string;
  /** Item index inside `foreach`. */
  index?: number;
}

export type RunEventBody =
  | { event: 'run.started'; pipeline: string; name: string; inputs: Record<string, unknown>; resumed?: boolean }
  | ({ event: 'step.started'; plugin: string; items?: number } & StepRef)
  | ({ event: 'step.progress'; fraction?: number; message?: string } & StepRef)
  | ({ event: 'step.waiting'; limit: string; waitMs: number } & StepRef)
  | ({ event: 'step.retrying'; attempt: number; delayMs: number; reason: string } & StepRef)
  | ({ event: 'step.log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string } & StepRef)
  | ({ event: 'step.finished'; cached: boolean; durationMs: number; outputs: unknown; reused?: boolean } & StepRef)
  | ({ event: 'step.skipped'; reason: string } & StepRef)
  | ({ event: 'step.waiting-approval'; approvalId: string; plugin: string; preview: ApprovalPreview } & StepRef)
  /** On a worker: the step waits for its posting time `at` without holding the worker (`reason`: whose slot, or the step's publishAt). */
  | ({ event: 'step.waiting-slot'; at: string; reason: string } & StepRef)
  | ({ event: 'step.failed'; error: { code: string; pluginCode?: string; message: string; hint?: string } } & StepRef)
  | { event: 'run.finished'; status: 'succeeded' | 'failed' | 'interrupted' | 'waiting-approval' | 'waiting-slot'; outputs?: Record<string, unknown>; durationMs: number; error?: { code: string; pluginCode?: string; message: string }; /** `waiting-slot`: when a queued job continues the run. */ resumeAt?: string };

export type RunEvent = RunEventBody & { runId: string; time: string };
export type RunEventName = RunEventBody['event'];

/** Every event name, checked complete by the compiler (docs/json-events.md lists them). */
export const RUN_EVENTS: Record<RunEventName, 1> = {
  'run.started': 1, 'step.started': 1, 'step.progress': 1, 'step.waiting': 1, 'step.retrying': 1, 'step.log': 1,
  'step.finished': 1, 'step.skipped': 1, 'step.waiting-approval': 1, 'step.waiting-slot': 1, 'step.failed': 1, 'run.finished': 1,
};

export type EventSink = (e: RunEvent) => void;
