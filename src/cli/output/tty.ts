/** listr2 progress on a terminal: one task per step, items, retries and limit waits in view. */
import { DefaultRenderer, Listr, type ListrTaskWrapper } from 'listr2';
import { formatDuration } from '../../infra/duration.js';
import type { EventSink, RunEvent } from '../../engine/events.js';
import type { ResolvedPipeline } from '../../engine/pipeline.js';
import { forTerminalDeep } from './terminal-text.js';

interface StepView {
  settle?: (outcome: { ok: true; title: string } | { ok: false; message: string } | { skip: string }) => void;
  task?: ListrTaskWrapper<unknown, typeof ThrottledRenderer, never>;
  items?: number;
  itemsDone: number;
  started?: number;
  /** Approvals `foreach` items of the step wait for. */
  waiting?: string[];
}

/** Shortest time between two frames. */
const FRAME_MS = 100;

/**
 * listr2's renderer draws every task again on each title or state change: with n steps that is
 * n lines per event and about 4n events, so 50 steps took 10 s on a terminal. At most one frame
 * per FRAME_MS keeps the cost to the frames a run lasts.
 */
class ThrottledRenderer extends DefaultRenderer {
  private frame: NodeJS.Timeout | undefined;

  override update(): void {
    this.frame ??= setTimeout(() => {
      this.frame = undefined;
      super.update();
    }, FRAME_MS);
  }

  override end(): void {
    clearTimeout(this.frame);
    this.frame = undefined;
    super.end();
  }
}

export function ttySink(pipeline: ResolvedPipeline): { sink: EventSink; done(): Promise<void> } {
  const views = new Map<string, StepView>(pipeline.steps.map((s) => [s.id, { itemsDone: 0 }]));
  const settled = new Map<string, Parameters<NonNullable<StepView['settle']>>[0]>();
  const list = new Listr(
    pipeline.order.map((id) => ({
      title: `${id} ${pipeline.stepById.get(id)!.plugin.def.id}`,
      task: (_: unknown, task: ListrTaskWrapper<unknown, typeof ThrottledRenderer, never>) => new Promise<void>((resolve, reject) => {
        const v = views.get(id)!;
        v.task = task;
        const settle: NonNullable<StepView['settle']> = (o) => {
          if ('skip' in o) { task.skip(`${id} skipped: ${o.skip}`); resolve(); }
          else if (o.ok) { task.title = o.title; resolve(); }
          else reject(new Error(o.message));
        };
        const early = settled.get(id);
        if (early) settle(early); else v.settle = settle;
      }),
    })),
    { concurrent: true, exitOnError: false, renderer: ThrottledRenderer, rendererOptions: { collapseErrors: false, showErrorMessage: true } as never },
  );
  const running = list.run().catch(() => undefined);
  const closed = new Set<string>();
  const finish = (id: string, o: Parameters<NonNullable<StepView['settle']>>[0]) => {
    if (closed.has(id)) return;
    closed.add(id);
    const v = views.get(id);
    if (v?.settle) v.settle(o); else settled.set(id, o);
  };
  const sink: EventSink = (raw: RunEvent) => {
    if (!('stepId' in raw)) return;
    const e = forTerminalDeep(raw);
    const v = views.get(e.stepId);
    if (!v) return;
    const base = `${e.stepId} ${pipeline.stepById.get(e.stepId)!.plugin.def.id}`;
    const setTitle = (suffix: string) => { if (v.task) v.task.title = `${base} ${suffix}`; };
    switch (e.event) {
      case 'step.started':
        if (e.index === undefined) { v.started = Date.now(); v.items = e.items; if (e.items !== undefined) setTitle(`0/${e.items} items`); }
        break;
      case 'step.progress':
        setTitle(`${e.fraction !== undefined ? `${Math.round(e.fraction * 100)}%` : ''} ${e.message ?? ''}`.trim());
        break;
      case 'step.waiting':
        if (v.task) v.task.output = `waiting ${formatDuration(e.waitMs)} for limit "${e.limit}"`;
        break;
      case 'step.retrying':
        if (v.task) v.task.output = `try ${e.attempt} failed: ${e.reason}; retrying in ${formatDuration(e.delayMs)}`;
        break;
      case 'step.log':
        if (v.task && e.level !== 'debug') v.task.output = e.message;
        break;
      case 'step.finished':
        if (e.index !== undefined) { v.itemsDone++; setTitle(`${v.itemsDone}/${v.items ?? '?'} items`); break; }
        finish(e.stepId, { ok: true, title: `${base} ${e.reused ? '(reused)' : e.cached ? '(cached)' : formatDuration(e.durationMs)}` });
        break;
      case 'step.skipped':
        if (e.index === undefined) finish(e.stepId, { skip: e.reason });
        break;
      case 'step.waiting-approval':
        if (e.index === undefined) finish(e.stepId, { skip: `waits for approval ${e.approvalId}${e.preview.postAt ? ` (posts at ${e.preview.postAt} once approved)` : ''}: mpv2 approve ${e.approvalId}` });
        else { v.waiting = [...(v.waiting ?? []), e.approvalId]; if (v.task) v.task.output = `item ${e.index} waits for approval ${e.approvalId}`; }
        break;
      case 'step.failed':
        if (e.index === undefined) finish(e.stepId, { ok: false, message: `${e.error.code} ${e.error.message}` });
        break;
    }
  };
  return {
    sink,
    done: async () => {
      // steps the run never reached (a failure upstream, Ctrl-C)
      for (const id of pipeline.order) {
        const w = views.get(id)?.waiting;
        finish(id, { skip: w ? `${w.length} item(s) wait for approval: mpv2 approve ${w.join(' / ')}` : 'not run' });
      }
      await running;
    },
  };
}
