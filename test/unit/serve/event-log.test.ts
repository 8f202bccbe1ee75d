/** The events the server keeps for SSE subscribers, and the events rebuilt from the journal for runs started elsewhere. */
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/engine/events.js';
import { EventLog, MAX_KEPT_EVENTS, STREAM_ID_FLOOR } from '../../../src/serve/event-log.js';
import { journalEvents } from '../../../src/serve/journal-events.js';
import type { RunRecord, StepRecord } from '../../../src/infra/store/types.js';

const base = { runId: 'r', time: '2026-01-01T00:00:00.000Z' };
const log = (i: number): RunEvent => ({ ...base, event: 'step.log', stepId: 's', level: 'info', message: `line ${i}` });

describe('EventLog', () => {
  it('replays after an id, then sends live events; numbering continues from firstId', () => {
    const l = new EventLog(10);
    l.push({ ...base, event: 'run.started', pipeline: 'p.yaml', name: 'p', inputs: {} });
    l.push(log(1));
    const seen: number[] = [];
    const stop = l.subscribe(10, (n) => seen.push(n.id));
    l.push(log(2));
    stop();
    l.push(log(3));
    expect(seen).toEqual([11, 12]);
    expect(l.nextId).toBe(14);
    expect(l.finished).toBe(false);
    l.push({ ...base, event: 'run.finished', status: 'succeeded', durationMs: 1 });
    expect(l.finished).toBe(true);
  });

  it('past the cap, logs and progress go out live but are not kept; every other event is', () => {
    const l = new EventLog();
    for (let i = 0; i < MAX_KEPT_EVENTS + 5; i++) l.push(log(i));
    l.push({ ...base, event: 'run.finished', status: 'succeeded', durationMs: 1 });
    const replayed: string[] = [];
    l.subscribe(undefined, (n) => replayed.push(n.event.event));
    expect(replayed).toHaveLength(MAX_KEPT_EVENTS + 1);
    expect(replayed.at(-1)).toBe('run.finished');
  });

  it('a Last-Event-ID of the other kind (a stream id against journal places, or back) replays everything; one at run.finished says the client saw the end', () => {
    const l = new EventLog();
    l.push({ ...base, event: 'run.started', pipeline: 'p.yaml', name: 'p', inputs: {} });
    l.push({ ...base, event: 'run.finished', status: 'succeeded', durationMs: 1 });
    const seen = (after: number | undefined) => {
      const ids: number[] = [];
      let ended = false;
      l.subscribe(after, (n) => ids.push(n.id), () => { ended = true; });
      return { ids, ended };
    };
    expect(seen(STREAM_ID_FLOOR + 123)).toEqual({ ids: [0, 1], ended: false });
    expect(seen(0)).toEqual({ ids: [1], ended: false });
    expect(seen(1)).toEqual({ ids: [], ended: true });
    const s = new EventLog();
    s.push(log(1), STREAM_ID_FLOOR + 5);
    const got: number[] = [];
    s.subscribe(3, (n) => got.push(n.id));
    expect(got).toEqual([STREAM_ID_FLOOR + 5]);
  });
});

describe('journalEvents', () => {
  const run: RunRecord = { id: 'r', pipeline: 'pipelines/p.yaml', pipelineHash: 'h', name: 'p', status: 'running', inputs: { a: 1 }, startedAt: '2026-01-01T00:00:00.000Z' };
  const step = (stepId: string, index: number, status: StepRecord['status'], startedAt: string, finishedAt?: string, more: Partial<StepRecord> = {}): StepRecord =>
    ({ runId: 'r', stepId, index, status, plugin: 'core.set', attempts: 1, cached: false, startedAt, ...(finishedAt && { finishedAt, durationMs: 5 }), ...more });

  it('rebuilds starts and ends in time order; a later poll of the running run only appends', () => {
    const early = [step('a', -1, 'succeeded', '2026-01-01T00:00:01.000Z', '2026-01-01T00:00:02.000Z', { outputs: { v: 1 } }), step('b', -1, 'running', '2026-01-01T00:00:03.000Z')];
    const first = journalEvents(run, early);
    expect(first.map((e) => `${e.event}:${'stepId' in e ? e.stepId : ''}`)).toEqual(['run.started:', 'step.started:a', 'step.finished:a', 'step.started:b']);
    const later = [...early.slice(0, 1), step('b', -1, 'failed', '2026-01-01T00:00:03.000Z', '2026-01-01T00:00:04.000Z', { error: { code: 'E_HTTP', message: 'no' } }),
      step('c', 0, 'skipped', '2026-01-01T00:00:05.000Z', '2026-01-01T00:00:05.000Z', { blockedBy: 'b' })];
    const second = journalEvents({ ...run, status: 'failed', finishedAt: '2026-01-01T00:00:06.000Z', error: { code: 'E_HTTP', message: 'no' } }, later);
    expect(second.slice(0, first.length)).toEqual(first);
    expect(second.slice(first.length).map((e) => e.event)).toEqual(['step.failed', 'step.skipped', 'run.finished']);
    expect(second.find((e) => e.event === 'step.skipped')).toMatchObject({ index: 0, reason: 'not run: step "b" failed' });
    expect(second.at(-1)).toMatchObject({ status: 'failed', durationMs: 6000 });
  });
});
