/**
 * Approvals over HTTP: a run stops at an effect step with `approval: required` (the SSE stream
 * carries step.waiting-approval and ends with run.finished waiting-approval); GET /api/approvals
 * lists it with its preview; approving continues the run in the server and the POST reaches the
 * loopback server exactly once; a second decision is 409; rejecting skips the step with the note.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSchema } from '../../../src/infra/ajv.js';
import { APPROVAL } from '../../../src/serve/schemas.js';
import { startScriptedServer, type ScriptedServer } from '../../servers/http-scripted.js';
import { readUntil, sseReader, startHarness, type ServeHarness } from './harness.js';

const PIPELINE = `name: publish
inputs:
  url: { type: string }
steps:
  - id: text
    uses: core.set
    with: { text: "hello world" }
  - id: post
    uses: http.request
    approval: required
    with: { url: "\${{ inputs.url }}/posts", method: POST, json: { text: "\${{ steps.text.outputs.text }}" } }
outputs:
  status: \${{ steps.post.outputs.status }}
`;

let target: ScriptedServer;
let url: string;
/** The bodies POSTed to the loopback server, in order. */
const posts = () => target.requests().filter((r) => r.method === 'POST').map((r) => r.body);
let h: ServeHarness;
const validApproval = compileSchema(APPROVAL);

beforeAll(async () => {
  const created = { status: 201, json: { id: 'post-1' } };
  target = await startScriptedServer({ '/posts': created, '/other/posts': created });
  url = target.url;
  h = await startHarness({ 'pipelines/publish.yaml': PIPELINE });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await target?.close();
});

/** Starts a run and reads its stream until it stops for approval. */
async function runUntilApproval(target = url): Promise<{ runId: string; lastId: string }> {
  const res = await h.call('POST', '/api/runs', { body: { pipeline: 'publish', inputs: { url: target } } });
  const { runId } = await res.json() as { runId: string };
  const evs = await sseReader(await h.call('GET', `/api/runs/${runId}/events`)).all();
  const parsed = evs.map((m) => JSON.parse(m.data) as Record<string, unknown>);
  expect(parsed.find((e) => e.event === 'step.waiting-approval')).toMatchObject({ stepId: 'post', plugin: 'http.request', approvalId: expect.stringMatching(/^ap-/) });
  expect(parsed.at(-1)).toMatchObject({ event: 'run.finished', status: 'waiting-approval' });
  return { runId, lastId: evs.at(-1)!.id! };
}

describe('serve: approvals', () => {
  it('lists the waiting approval with its preview; approve continues the run here and the effect acts once', async () => {
    const { runId, lastId } = await runUntilApproval();
    expect(posts()).toHaveLength(0);
    expect((await (await h.call('GET', `/api/runs/${runId}`)).json() as { status: string }).status).toBe('waiting-approval');
    const list = await (await h.call('GET', '/api/approvals')).json() as Array<Record<string, any>>;
    expect(list).toHaveLength(1);
    expect(validApproval(list[0]), JSON.stringify(validApproval.errors)).toBe(true);
    expect(list[0]).toMatchObject({ runId, stepId: 'post', plugin: 'http.request', status: 'pending', source: 'local' });
    expect(list[0]!.preview.wouldDo).toMatchObject({ method: 'POST', url: `${url}/posts` });
    const id = list[0]!.id as string;
    expect(await (await h.call('GET', `/api/approvals/${id}`)).json()).toEqual(list[0]);

    const decided = await h.call('POST', `/api/approvals/${id}`, { body: { decision: 'approve', note: 'looks good' } });
    expect(decided.status).toBe(200);
    expect(await decided.json()).toMatchObject({ approval: { id, status: 'approved', note: 'looks good' }, continued: { runId, where: 'process' } });
    const rest = sseReader(await h.call('GET', `/api/runs/${runId}/events`, { headers: { 'last-event-id': lastId } }));
    const after = await readUntil(rest, 'run.finished');
    expect(after[0]!.event).toMatchObject({ event: 'run.started', resumed: true });
    expect(after.at(-1)!.event).toMatchObject({ status: 'succeeded', outputs: { status: 201 } });
    expect(posts()).toEqual(['{"text":"hello world"}']);

    const again = await h.call('POST', `/api/approvals/${id}`, { body: { decision: 'reject' } });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'E_APPROVAL_DECIDED', hint: expect.any(String) });
    expect(await (await h.call('GET', '/api/approvals')).json()).toEqual([]);
    const history = await (await h.call('GET', '/api/approvals?status=decided')).json() as Array<{ id: string; status: string }>;
    expect(history.map((a) => [a.id, a.status])).toEqual([[id, 'approved']]);
    expect(posts()).toHaveLength(1);
  }, 60_000);

  it('reject skips the step with the note as its reason; nothing is posted', async () => {
    target.clear();
    // another request than the first test's (that effect is done and would not wait again)
    const { runId } = await runUntilApproval(`${url}/other`);
    const [a] = await (await h.call('GET', '/api/approvals')).json() as Array<{ id: string }>;
    const res = await h.call('POST', `/api/approvals/${a!.id}`, { body: { decision: 'reject', note: 'wrong tone' } });
    expect(await res.json()).toMatchObject({ approval: { status: 'rejected', note: 'wrong tone' }, continued: { runId } });
    const evs = (await sseReader(await h.call('GET', `/api/runs/${runId}/events`)).all()).map((m) => JSON.parse(m.data) as Record<string, unknown>);
    expect(evs.find((e) => e.event === 'step.skipped' && e.stepId === 'post')).toMatchObject({ reason: expect.stringContaining('wrong tone') });
    expect(posts()).toHaveLength(0);
    const bad = await h.call('POST', `/api/approvals/${a!.id}`, { body: { decision: 'maybe' } });
    expect(bad.status).toBe(400);
    expect((await h.call('POST', '/api/approvals/ap-nope', { body: { decision: 'approve' } })).status).toBe(404);
  }, 60_000);
});
