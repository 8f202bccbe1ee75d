/**
 * Runs over HTTP: start, list, view, SSE (live, late-subscriber replay, Last-Event-ID), cancel
 * (as Ctrl-C: interrupted), resume, and a run started outside the server followed through the journal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSchema } from '../../../src/infra/ajv.js';
import { RUN_EVENT_SCHEMA } from '../../../src/engine/event-schema.js';
import { RUN } from '../../../src/serve/schemas.js';
import { FAST_PIPELINE, SLOW_PIPELINE, readUntil, sseReader, startHarness, type ServeHarness } from './harness.js';

let h: ServeHarness;
beforeAll(async () => {
  h = await startHarness({ 'pipelines/fast.yaml': FAST_PIPELINE, 'pipelines/slow.yaml': SLOW_PIPELINE }, { serve: { heartbeatMs: 50 } });
}, 60_000);
afterAll(async () => { await h?.close(); });

const validEvent = compileSchema(RUN_EVENT_SCHEMA);
const validRun = compileSchema(RUN);

async function start(pipeline: string, inputs: Record<string, unknown> = {}): Promise<string> {
  const res = await h.call('POST', '/api/runs', { body: { pipeline, inputs } });
  expect(res.status).toBe(202);
  const body = await res.json() as { runId: string; where: string };
  expect(body.where).toBe('process');
  return body.runId;
}

const events = (runId: string, headers: Record<string, string> = {}) => h.call('GET', `/api/runs/${runId}/events`, { headers });

describe('serve: runs', () => {
  it('starts a run of a pipeline id, streams exactly the --json events, and shows the run from the journal', async () => {
    const runId = await start('fast', { greeting: 'hi' });
    const res = await events(runId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const msgs = await sseReader(res).all(); // the stream ends after run.finished
    const evs = msgs.map((m) => JSON.parse(m.data) as Record<string, unknown>);
    expect(evs.map((e) => e.event)).toEqual(['run.started', 'step.started', 'step.finished', 'step.started', 'step.finished', 'run.finished']);
    for (const e of evs) expect(validEvent(e), JSON.stringify(validEvent.errors)).toBe(true);
    expect(msgs.map((m) => Number(m.id))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(evs[0]).toMatchObject({ runId, pipeline: 'pipelines/fast.yaml', inputs: { greeting: 'hi', times: 2 } });
    expect(evs.at(-1)).toMatchObject({ event: 'run.finished', status: 'succeeded' });

    const view = await (await h.call('GET', `/api/runs/${runId}`)).json() as Record<string, any>;
    expect(validRun(view), JSON.stringify(validRun.errors)).toBe(true);
    expect(view).toMatchObject({ runId, pipeline: 'pipelines/fast.yaml', name: 'fast', status: 'succeeded', inputs: { greeting: 'hi' } });
    expect(view.steps.map((s: { stepId: string; status: string }) => [s.stepId, s.status])).toEqual([['a', 'succeeded'], ['write', 'succeeded']]);
    expect(view.steps[0].outputs).toEqual({ value: 'hi' });
    expect(view.outputs.file).toMatch(new RegExp(`/\\.mpv2/runs/${runId}/out/hello\\.txt$`));

    // a late subscriber gets the whole run again; Last-Event-ID resumes after that event
    const again = (await sseReader(await events(runId)).all()).map((m) => JSON.parse(m.data));
    expect(again).toEqual(evs);
    const rest = await sseReader(await events(runId, { 'last-event-id': '3' })).all();
    expect(rest.map((m) => Number(m.id))).toEqual([4, 5]);
  }, 60_000);

  it('a pipeline given as a file path runs too; bad inputs and unknown pipelines are problem+json, nothing runs', async () => {
    const res = await h.call('POST', '/api/runs', { body: { pipeline: 'pipelines/fast.yaml', dryRun: true } });
    expect(res.status).toBe(202);
    const bad = await h.call('POST', '/api/runs', { body: { pipeline: 'fast', inputs: { times: 'many' } } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'E_INPUT_INVALID', detail: expect.stringContaining('times') });
    const unknown = await h.call('POST', '/api/runs', { body: { pipeline: 'nope' } });
    expect([400, 404]).toContain(unknown.status);
    expect(await unknown.json()).toMatchObject({ code: 'E_NOT_FOUND' });
    const outside = await h.call('POST', '/api/runs', { body: { pipeline: '../x.yaml' } });
    expect(await outside.json()).toMatchObject({ code: 'E_PATH_OUTSIDE_ROOT', status: 400 });
    await sseReader(await events((await res.json() as { runId: string }).runId)).all();
  }, 60_000);

  it('live: a subscriber during the run gets the events so far, then live ones; cancel interrupts it; resume continues it', async () => {
    const runId = await start('slow');
    const live = sseReader(await events(runId));
    const before = await readUntil(live, 'step.started', 'hold');
    expect(before.map((x) => x.event.event)).toEqual(['run.started', 'step.started', 'step.finished', 'step.started']);
    // a late subscriber: the same events so far (same ids)
    const late = sseReader(await events(runId));
    const lateBefore = await readUntil(late, 'step.started', 'hold');
    expect(lateBefore).toEqual(before);

    const listed = await (await h.call('GET', '/api/runs?status=running')).json() as Array<{ runId: string }>;
    expect(listed.map((r) => r.runId)).toContain(runId);

    const cancel = await h.call('POST', `/api/runs/${runId}/cancel`);
    expect(cancel.status).toBe(202);
    expect(await cancel.json()).toEqual({ runId, status: 'cancelling' });
    const after = await live.all();
    // core.wait reports progress once a second: whether one came before the cancel is the clock's business
    expect(after.map((m) => JSON.parse(m.data).event).filter((e) => e !== 'step.progress')).toEqual(['step.failed', 'run.finished']);
    expect(JSON.parse(after.at(-1)!.data)).toMatchObject({ status: 'interrupted' });
    expect((await late.all()).map((m) => m.data)).toEqual(after.map((m) => m.data));
    expect(live.comments).toContain('mpv2 run events');

    const view = await (await h.call('GET', `/api/runs/${runId}`)).json() as { status: string };
    expect(view.status).toBe('interrupted');
    const again = await h.call('POST', `/api/runs/${runId}/cancel`);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'E_USAGE', hint: expect.stringContaining('resume') });

    // resume: the finished step is reused, the wait starts again; its events continue the numbering
    const resumed = await h.call('POST', `/api/runs/${runId}/resume`);
    expect(resumed.status).toBe(202);
    expect(await resumed.json()).toEqual({ runId, where: 'process' });
    const r2 = sseReader(await events(runId));
    const r2events = await readUntil(r2, 'step.started', 'hold');
    expect(r2events[0]!.event).toMatchObject({ event: 'run.started', resumed: true });
    expect(Number(r2events[0]!.id)).toBeGreaterThan(Number(after.at(-1)!.id));
    expect(r2events.find((x) => x.event.stepId === 'first')?.event).toMatchObject({ event: 'step.finished', reused: true });
    const busy = await h.call('POST', `/api/runs/${runId}/resume`);
    expect(busy.status).toBe(409);
    expect(await busy.json()).toMatchObject({ code: 'E_RUN_OWNED' });
    await h.call('POST', `/api/runs/${runId}/cancel`);
    const end = await r2.all();
    expect(JSON.parse(end.at(-1)!.data)).toMatchObject({ event: 'run.finished', status: 'interrupted' });
  }, 60_000);

  it('lists runs newest first, filtered by pipeline and status', async () => {
    const all = await (await h.call('GET', '/api/runs')).json() as Array<{ runId: string; pipeline: string; status: string; startedAt: string }>;
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect([...all].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).map((r) => r.startedAt)).toEqual(all.map((r) => r.startedAt));
    const slow = await (await h.call('GET', '/api/runs?pipeline=slow')).json() as Array<{ pipeline: string }>;
    expect(slow.length).toBeGreaterThan(0);
    expect(new Set(slow.map((r) => r.pipeline))).toEqual(new Set(['pipelines/slow.yaml']));
    const ok = await (await h.call('GET', '/api/runs?status=succeeded&limit=1')).json() as Array<{ status: string }>;
    expect(ok).toHaveLength(1);
    expect(ok[0]!.status).toBe('succeeded');
    const bad = await h.call('GET', '/api/runs/not-a-run');
    expect(bad.status).toBe(400);
    const missing = await h.call('GET', '/api/runs/20260101-000000Z-000000');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'E_NOT_FOUND' });
    expect((await h.call('GET', '/api/runs/20260101-000000Z-000000/events')).status).toBe(404);
  });

  it('a run started by the CLI is read from the journal: view and events (started and ended steps), not cancellable', async () => {
    // the same project folder, run by the engine as `mpv2 run` runs it, outside the server
    const { openProject } = await import('../../../src/engine/project.js');
    const cli = await openProject({ cwd: h.root, env: {}, lazyPlugins: true });
    const { executePrepared, prepareRun } = await import('../../../src/engine/run.js');
    const req = { project: cli, cwd: h.root, file: 'pipelines/fast.yaml', signal: new AbortController().signal, sink: () => undefined };
    const outcome = await executePrepared(req, await prepareRun(req));
    cli.close();
    const evs = (await sseReader(await events(outcome.runId)).all()).map((m) => JSON.parse(m.data) as Record<string, unknown>);
    expect(evs.map((e) => `${e.event}${e.stepId ? `:${e.stepId}` : ''}`)).toEqual(['run.started', 'step.started:a', 'step.finished:a', 'step.started:write', 'step.finished:write', 'run.finished']);
    for (const e of evs) expect(validEvent(e), JSON.stringify(validEvent.errors)).toBe(true);
    expect(evs.at(-1)).toMatchObject({ status: 'succeeded', runId: outcome.runId });
    const cancel = await h.call('POST', `/api/runs/${outcome.runId}/cancel`);
    expect(cancel.status).toBe(409);
  }, 60_000);
});
