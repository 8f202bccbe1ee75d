/**
 * The events of a run this server did not start (the CLI, a worker), rebuilt from the journal:
 * `run.started`, each step's `step.started` and how it ended, and `run.finished` once the run
 * has. Logs, progress, waits and retries are not journaled, so they are not among them. The
 * events are in time order (ties by step and item), so a poll of a running run appends to the
 * list and an event's place in it serves as its SSE id.
 */
import type { RunEvent } from '../engine/events.js';
import type { RunRecord, StepRecord } from '../infra/store/types.js';

export function journalEvents(run: RunRecord, steps: StepRecord[]): RunEvent[] {
  const base = { runId: run.id };
  const out: RunEvent[] = [{ ...base, time: run.startedAt, event: 'run.started', pipeline: run.pipeline, name: run.name, inputs: run.inputs }];
  const sorted = [...steps].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.stepId.localeCompare(b.stepId) || a.index - b.index);
  const ends: RunEvent[] = [];
  for (const s of sorted) {
    const ref = { stepId: s.stepId, ...(s.index >= 0 && { index: s.index }) };
    if (s.status !== 'skipped') out.push({ ...base, ...ref, time: s.startedAt, event: 'step.started', plugin: s.plugin });
    const time = s.finishedAt ?? s.startedAt;
    if (s.status === 'succeeded') ends.push({ ...base, ...ref, time, event: 'step.finished', cached: s.cached, durationMs: s.durationMs ?? 0, outputs: s.outputs });
    else if (s.status === 'failed' && s.error) ends.push({ ...base, ...ref, time, event: 'step.failed', error: s.error });
    else if (s.status === 'skipped') ends.push({ ...base, ...ref, time, event: 'step.skipped', reason: s.skipReason ?? (s.blockedBy ? `not run: step "${s.blockedBy}" failed` : 'skipped') });
  }
  out.push(...ends);
  // stable: at one time, a step starts before it ends
  out.sort((a, b) => (a.event === 'run.started' ? -1 : b.event === 'run.started' ? 1 : a.time.localeCompare(b.time)));
  if (run.status !== 'running' && run.finishedAt) {
    const durationMs = Math.max(0, Date.parse(run.finishedAt) - Date.parse(run.startedAt));
    out.push({ ...base, time: run.finishedAt, event: 'run.finished', status: run.status as 'succeeded' | 'failed' | 'interrupted', outputs: run.outputs, durationMs, ...(run.error && { error: run.error }), ...(run.status === 'waiting-slot' && run.resumeAt && { resumeAt: run.resumeAt }) });
  }
  return out;
}
