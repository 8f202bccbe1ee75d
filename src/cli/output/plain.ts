import { formatDuration } from '../../infra/duration.js';
import type { EventSink, RunEvent } from '../../engine/events.js';
import { forTerminal } from './terminal-text.js';

const label = (e: { stepId: string; index?: number }) => (e.index === undefined ? e.stepId : `${e.stepId}[${e.index}]`);

/** One plain line per event that matters, for logs and pipes (no TTY). */
export function describeEvent(e: RunEvent): string | undefined {
  switch (e.event) {
    case 'run.started': return `▶ ${e.name} (${e.pipeline}) run ${e.runId}${e.resumed ? ' resumed' : ''}`;
    case 'step.started': return `  … ${label(e)} started (${e.plugin}${e.items !== undefined ? `, ${e.items} items` : ''})`;
    case 'step.progress': return e.message ? `  … ${label(e)} ${e.fraction !== undefined ? `${Math.round(e.fraction * 100)}% ` : ''}${e.message}` : undefined;
    case 'step.waiting': return `  ⏸ ${label(e)} waits ${formatDuration(e.waitMs)} for limit "${e.limit}"`;
    case 'step.retrying': return `  ↻ ${label(e)} try ${e.attempt} failed (${e.reason}); retrying in ${formatDuration(e.delayMs)}`;
    case 'step.log': return e.level === 'info' ? `  · ${label(e)}: ${e.message}` : `  ${e.level === 'warn' ? '⚠' : '✖'} ${label(e)}: ${e.message}`;
    case 'step.finished': return `  ✔ ${label(e)} ${e.reused ? '(reused)' : e.cached ? '(cached)' : formatDuration(e.durationMs)}`;
    case 'step.skipped': return `  ↷ ${label(e)} skipped: ${e.reason}`;
    case 'step.waiting-approval': return `  ⏸ ${label(e)} waits for approval ${e.approvalId} before it acts (${e.plugin}${e.preview.postAt ? `, posts at ${e.preview.postAt} once approved` : ''}): mpv2 approve ${e.approvalId}`;
    case 'step.waiting-slot': return `  ⏸ ${label(e)} waits until ${e.at} (${e.reason}) before it acts; the run continues then`;
    case 'step.failed': return `  ✖ ${label(e)} failed: ${e.error.code} ${e.error.message}`;
    case 'run.finished':
      if (e.status === 'waiting-slot') return `⏸ run ${e.runId} pauses until ${e.resumeAt} after ${formatDuration(e.durationMs)}; a queued job continues it then`;
      return `${e.status === 'succeeded' ? '✔' : e.status === 'waiting-approval' ? '⏸' : '✖'} run ${e.runId} ${e.status === 'waiting-approval' ? 'waits for approval after' : `${e.status} in`} ${formatDuration(e.durationMs)}`;
  }
}

export function plainSink(write: (s: string) => void = (s) => process.stderr.write(s)): { sink: EventSink; done(): Promise<void> } {
  let lastProgress = 0;
  return {
    sink: (e) => {
      // progress lines are throttled so a long render does not flood the log
      if (e.event === 'step.progress') {
        const now = Date.now();
        if (now - lastProgress < 2000) return;
        lastProgress = now;
      }
      const line = describeEvent(e);
      if (line) write(`${forTerminal(line)}\n`);
    },
    done: async () => undefined,
  };
}
