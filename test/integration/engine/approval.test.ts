/**
 * Approve before publish, through the engine: an effect step with `approval: required` (or the
 * config's default) stops where its act is due, the run finishes its independent work and ends
 * `waiting-approval`; resume while pending stops again on the same approval; approve → the
 * act happens once (counted at a loopback server); reject → skipped with the note.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runReport } from '../../../src/engine/admin/runs-report.js';
import { decideApproval, listApprovals } from '../../../src/engine/approvals.js';
import { startScriptedServer, type ScriptedServer } from '../../servers/http-scripted.js';
import { makeProject, type TestProject } from './harness.js';

let server: ScriptedServer;
let base: string;
/** The bodies POSTed to the loopback server, in order. */
const posts = () => server.requests().filter((r) => r.method === 'POST').map((r) => r.body);

beforeAll(async () => {
  server = await startScriptedServer({
    '/posts': { status: 201, json: { id: 'post-1' } },
    // the body has arrived, then the connection drops: the act may have happened
    '/reset/posts': { reset: true },
  });
  base = server.url;
});
afterAll(() => server.close());

const PIPELINE = (approval: string) => `name: publish
inputs:
  url: { type: string }
steps:
  - id: text
    uses: core.set
    with: { text: "hello world" }
  - id: post
    uses: http.request
${approval}    with: { url: "\${{ inputs.url }}/posts", method: POST, json: { text: "\${{ steps.text.outputs.text }}" } }
  - id: after
    uses: core.set
    with: { status: "\${{ steps.post.outputs.status }}" }
  - id: other
    uses: core.set
    with: { v: 1 }
outputs:
  status: \${{ steps.post.outputs.status }}
`;

let p: TestProject | undefined;
afterEach(() => { p?.close(); p = undefined; server.clear(); });

const input = () => ({ inputs: { url: base } });

describe('approve before publish', () => {
  it('stops before the act, finishes independent work, and ends waiting-approval', async () => {
    p = await makeProject({ 'p.yaml': PIPELINE('    approval: required\n') });
    const r = await p.run('p.yaml', input());
    expect(r.result.status).toBe('waiting-approval');
    expect(posts()).toHaveLength(0);
    const waits = r.of('step.waiting-approval', 'post');
    expect(waits).toHaveLength(1);
    expect(waits[0]!.plugin).toBe('http.request');
    expect(waits[0]!.preview.key).toMatch(/^http\.request:/);
    expect(waits[0]!.preview.wouldDo).toMatchObject({ method: 'POST', url: `${base}/posts` }); // what --dry-run writes for it
    expect(r.of('step.finished', 'other')).toHaveLength(1);
    expect(r.of('step.skipped', 'after')[0]!.reason).toBe('not run: step "post" waits for approval');
    expect(r.of('run.finished')[0]!.status).toBe('waiting-approval');
    const state = p.project.state();
    expect((await state.journal.getRun(r.runId))!.status).toBe('waiting-approval');
    expect((await state.journal.getSteps(r.runId)).find((s) => s.stepId === 'post')!.status).toBe('waiting-approval');
    // no owner is left holding the run
    expect(await state.journal.ownerOf(r.runId)).toBeUndefined();
    const pending = await listApprovals(state.approvals);
    expect(pending.map((a) => [a.id, a.runId, a.stepId, a.index, a.status])).toEqual([[waits[0]!.approvalId, r.runId, 'post', -1, 'pending']]);
    // nothing was recorded pending: the act was never started
    expect(await state.effects.list()).toEqual([]);
    // `mpv2 runs show` has them
    expect((await runReport(state, r.runId)).approvals?.map((a) => [a.id, a.status])).toEqual([[waits[0]!.approvalId, 'pending']]);
  });

  it('a resume while pending stops again on the same approval; approve → the act happens exactly once', async () => {
    p = await makeProject({ 'p.yaml': PIPELINE('    approval: required\n') });
    const first = await p.run('p.yaml', input());
    const again = await p.run('p.yaml', { resume: first.runId });
    expect(again.result.status).toBe('waiting-approval');
    expect(again.of('step.waiting-approval', 'post')[0]!.approvalId).toBe(first.of('step.waiting-approval', 'post')[0]!.approvalId);
    const state = p.project.state();
    expect(await listApprovals(state.approvals, { status: 'all' })).toHaveLength(1);
    expect(posts()).toHaveLength(0);

    const id = first.of('step.waiting-approval', 'post')[0]!.approvalId;
    const decided = await decideApproval(state.approvals, id, 'approve', { note: 'looks good' });
    expect(decided).toMatchObject({ status: 'approved', note: 'looks good' });
    await expect(decideApproval(state.approvals, id, 'approve')).rejects.toMatchObject({ code: 'E_APPROVAL_DECIDED' });
    await expect(decideApproval(state.approvals, id, 'reject', { note: 'too late' })).rejects.toMatchObject({ code: 'E_APPROVAL_DECIDED' });

    const done = await p.run('p.yaml', { resume: first.runId });
    expect(done.result.status).toBe('succeeded');
    expect(done.result.outputs).toEqual({ status: 201 });
    expect(posts()).toEqual([JSON.stringify({ text: 'hello world' })]);
    expect(done.of('step.finished', 'other')[0]!.reused).toBe(true);
    // a further resume of the finished run is refused, and the act is never repeated
    await expect(p.run('p.yaml', { resume: first.runId })).rejects.toMatchObject({ code: 'E_USAGE' });
    expect(posts()).toHaveLength(1);
  });

  it('reject → the step is skipped with the note as its reason; nothing is sent', async () => {
    p = await makeProject({ 'p.yaml': PIPELINE('    approval: required\n') });
    const first = await p.run('p.yaml', input());
    const id = first.of('step.waiting-approval', 'post')[0]!.approvalId;
    await decideApproval(p.project.state().approvals, id, 'reject', { note: 'wrong tone' });
    const done = await p.run('p.yaml', { resume: first.runId });
    expect(done.of('step.skipped', 'post')[0]!.reason).toBe('rejected: wrong tone');
    expect(done.result.status).toBe('succeeded');
    expect(posts()).toHaveLength(0);
    const step = (await p.project.state().journal.getSteps(first.runId)).find((s) => s.stepId === 'post')!;
    expect(step).toMatchObject({ status: 'skipped', skipReason: 'rejected: wrong tone' });
  });

  it('the config default by namespace makes a step wait; approval: none on the step wins; a dry run creates no approval', async () => {
    p = await makeProject({
      '.mpv2rc.json': JSON.stringify({ approvals: { http: 'required' } }),
      'default.yaml': PIPELINE(''),
      'none.yaml': PIPELINE('    approval: none\n'),
    });
    expect((await p.run('default.yaml', input())).result.status).toBe('waiting-approval');
    expect(posts()).toHaveLength(0);
    expect((await p.run('none.yaml', input())).result.status).toBe('succeeded');
    expect(posts()).toHaveLength(1);
    const before = await listApprovals(p.project.state().approvals, { status: 'all' });
    const dry = await p.run('default.yaml', { ...input(), dryRun: true });
    expect(dry.result.status).toBe('succeeded');
    expect(dry.of('step.waiting-approval')).toEqual([]);
    expect(await listApprovals(p.project.state().approvals, { status: 'all' })).toEqual(before);
    expect(posts()).toHaveLength(1);
  });

  it('foreach: each item waits for its own approval; the approved ones act once each', async () => {
    p = await makeProject({
      'each.yaml': `name: each
inputs:
  url: { type: string }
steps:
  - id: post
    uses: http.request
    approval: required
    foreach: [a, b]
    with: { url: "\${{ inputs.url }}/posts", method: POST, json: { text: "\${{ item }}" } }
`,
    });
    const first = await p.run('each.yaml', input());
    expect(first.result.status).toBe('waiting-approval');
    const waits = first.of('step.waiting-approval', 'post');
    expect(waits.map((w) => w.index)).toEqual([0, 1]);
    const state = p.project.state();
    await decideApproval(state.approvals, waits[0]!.approvalId, 'approve');
    const second = await p.run('each.yaml', { resume: first.runId });
    expect(second.result.status).toBe('waiting-approval');
    expect(posts()).toEqual([JSON.stringify({ text: 'a' })]);
    await decideApproval(state.approvals, waits[1]!.approvalId, 'reject', { note: 'not b' });
    const third = await p.run('each.yaml', { resume: first.runId });
    expect(third.result.status).toBe('succeeded');
    expect(third.of('step.skipped', 'post').map((e) => [e.index, e.reason])).toEqual([[1, 'rejected: not b']]);
    expect(posts()).toEqual([JSON.stringify({ text: 'a' })]);
  });

  it('approve → the act is cut off mid-way → it stays in doubt on every resume, never asked again nor repeated', async () => {
    p = await makeProject({ 'p.yaml': PIPELINE('    approval: required\n') });
    const first = await p.run('p.yaml', { inputs: { url: `${base}/reset` } });
    const state = p.project.state();
    await decideApproval(state.approvals, first.of('step.waiting-approval', 'post')[0]!.approvalId, 'approve');
    const cut = await p.run('p.yaml', { resume: first.runId });
    expect(cut.of('step.failed', 'post')[0]!.error.code).toBe('E_EFFECT_IN_DOUBT');
    expect(posts()).toHaveLength(1);
    expect((await state.effects.list()).map((e) => e.status)).toEqual(['pending']);
    const again = await p.run('p.yaml', { resume: first.runId });
    expect(again.of('step.failed', 'post')[0]!.error.code).toBe('E_EFFECT_IN_DOUBT');
    expect(again.of('step.waiting-approval')).toEqual([]);
    expect(posts()).toHaveLength(1);
    expect(await listApprovals(state.approvals, { status: 'all' })).toHaveLength(1);
  });

  it('two resumes racing after one approval: one act', async () => {
    p = await makeProject({ 'p.yaml': PIPELINE('    approval: required\n') });
    const first = await p.run('p.yaml', input());
    await decideApproval(p.project.state().approvals, first.of('step.waiting-approval', 'post')[0]!.approvalId, 'approve');
    const both = await Promise.allSettled([p.run('p.yaml', { resume: first.runId }), p.run('p.yaml', { resume: first.runId })]);
    const ok = both.filter((r) => r.status === 'fulfilled' && r.value.result.status === 'succeeded');
    expect(ok).toHaveLength(1);
    for (const r of both) if (r.status === 'rejected') expect(['E_RUN_OWNED', 'E_USAGE']).toContain(r.reason.code);
    expect(posts()).toHaveLength(1);
  });
});

describe('an approval holds for the inputs it previewed', () => {
  it('inputs changed after the approval (resume --force of an edited pipeline): E_APPROVAL_STALE, nothing sent', async () => {
    p = await makeProject({ 'p.yaml': PIPELINE('    approval: required\n') });
    const first = await p.run('p.yaml', input());
    await decideApproval(p.project.state().approvals, first.of('step.waiting-approval', 'post')[0]!.approvalId, 'approve');
    p.write('p.yaml', PIPELINE('    approval: required\n').replace('json: { text:', 'json: { extra: 1, text:'));
    const resumed = await p.run('p.yaml', { resume: first.runId, force: true });
    expect(resumed.of('step.failed', 'post')[0]!.error.code).toBe('E_APPROVAL_STALE');
    expect(posts()).toHaveLength(0);
  });
});

describe('the config approvals default', () => {
  it('a key that names no namespace, or no plugin of a loaded one, is a config error with a suggestion', async () => {
    p = await makeProject({ '.mpv2rc.json': JSON.stringify({ approvals: { htp: 'required' } }), 'p.yaml': PIPELINE('') });
    await expect(p.run('p.yaml', input())).rejects.toMatchObject({ code: 'E_CONFIG_INVALID', message: expect.stringMatching(/approvals: "htp" \(file .*\) names no plugin namespace \(did you mean "http"\?\)/) });
    p.close();
    p = await makeProject({ '.mpv2rc.json': JSON.stringify({ approvals: { 'http.reqest': 'required' } }), 'p.yaml': PIPELINE('') });
    await expect(p.run('p.yaml', input())).rejects.toMatchObject({ code: 'E_CONFIG_INVALID', message: expect.stringContaining('"http.reqest" (file .mpv2rc.json) is not a plugin of the http namespace (did you mean "http.request"?)') });
    expect(posts()).toHaveLength(0);
  });
});
