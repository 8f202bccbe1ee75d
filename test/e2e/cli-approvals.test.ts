/**
 * Approve before publish through the built CLI: `mpv2 run` stops with the approval id (exit
 * 3), `mpv2 approvals` lists it, `mpv2 approve <id>` continues the run and the loopback server
 * sees the POST exactly once; deciding again is E_APPROVAL_DECIDED; `mpv2 reject` skips the
 * step with the note; two `mpv2 approve` processes racing on one approval act once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../servers/http-scripted.js';
import { ensureBuilt, json, makeProject, mpv2 } from './cli-harness.js';

const PIPELINE = `name: post
inputs:
  url: { type: string }
  text: { type: string }
steps:
  - id: post
    uses: http.request
    approval: required
    with: { url: "\${{ inputs.url }}/posts", method: POST, json: { text: "\${{ inputs.text }}" } }
  - id: after
    uses: core.set
    with: { status: "\${{ steps.post.outputs.status }}" }
outputs:
  status: \${{ steps.post.outputs.status }}
`;

let server: ScriptedServer;
let base: string;
/** The `text` of every POST that reached the loopback server, in order. */
const posts = () => server.requests().filter((r) => r.method === 'POST').map((r) => (JSON.parse(r.body) as { text: string }).text);
let root: string;
let onHang: (() => void) | undefined;
const cli = (args: string[]) => mpv2(args, { cwd: root });
const runPost = (text: string, ...more: string[]) => cli(['run', 'pipelines/post.yaml', '--input', `url=${base}`, '--input', `text=${text}`, ...more]);
const approvalIdIn = (s: string) => /\b(ap-[0-9a-f]{12})\b/.exec(s)?.[1];

beforeAll(async () => {
  server = await startScriptedServer({
    '/posts': { status: 201, json: { id: 'p1' } },
    // the request arrived and is never answered: the act may have happened
    '/hang/posts': () => { onHang?.(); return { hang: true }; },
  });
  base = server.url;
  await ensureBuilt();
  root = makeProject({ 'pipelines/post.yaml': PIPELINE });
}, 300_000);
afterAll(async () => {
  await server?.close();
});

describe('mpv2 approvals / approve / reject', { timeout: 240_000 }, () => {
  it('plan says which effects wait for approval', async () => {
    const plan = json<{ steps: Array<{ id: string; kind: string; approval: boolean }> }>(await cli(['plan', 'pipelines/post.yaml', '--input', `url=${base}`, '--input', 'text=x', '--json']));
    expect(plan.steps.map((s) => [s.id, s.kind, s.approval])).toEqual([['post', 'effect', true], ['after', 'pure', false]]);
    expect((await cli(['plan', 'pipelines/post.yaml', '--input', `url=${base}`, '--input', 'text=x'])).stdout).toContain('waits for approval first');
  });

  it('run stops with the approval id; approvals lists it; approve posts exactly once; a second decision is refused', async () => {
    const run = await runPost('first');
    expect(run.code, run.stderr).toBe(3);
    const id = approvalIdIn(run.stderr)!;
    expect(run.stderr).toContain(`mpv2 approve ${id}`);
    expect(posts()).toEqual([]);

    const listed = json<Array<{ id: string; runId: string; stepId: string; plugin: string; status: string; preview: { wouldDo: { url: string } } }>>(await cli(['approvals', '--json']));
    expect(listed.map((a) => [a.id, a.stepId, a.plugin, a.status])).toEqual([[id, 'post', 'http.request', 'pending']]);
    expect(listed[0]!.preview.wouldDo.url).toBe(`${base}/posts`);
    const table = await cli(['approvals']);
    expect(table.stdout).toContain(id);
    expect(table.stdout).toContain(`${base}/posts`);

    const approve = await cli(['approve', id, '--note', 'ok to post']);
    expect(approve.code, approve.stderr).toBe(0);
    expect(approve.stderr).toContain(`Approved ${id}`);
    expect(approve.stdout).toContain('status: 201');
    expect(posts()).toEqual(['first']);

    const twice = await cli(['approve', id]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('E_APPROVAL_DECIDED');
    expect(posts()).toEqual(['first']);
    expect(json<unknown[]>(await cli(['approvals', '--json']))).toEqual([]);
    const all = json<Array<{ id: string; status: string; note?: string }>>(await cli(['approvals', '--all', '--json']));
    expect(all).toEqual([expect.objectContaining({ id, status: 'approved', note: 'ok to post' })]);
  });

  it('--json: the waiting event; reject skips the step with the note and never posts', async () => {
    const run = await runPost('second', '--json');
    expect(run.code).toBe(3);
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; approvalId?: string; status?: string });
    const wait = events.find((e) => e.event === 'step.waiting-approval')!;
    expect(wait).toMatchObject({ stepId: 'post', plugin: 'http.request', preview: { files: [] } });
    expect(events.at(-1)).toMatchObject({ event: 'run.finished', status: 'waiting-approval' });

    const reject = await cli(['reject', wait.approvalId!, '--note', 'wrong tone', '--json']);
    expect(reject.code, reject.stderr).toBe(0);
    const after = reject.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; stepId?: string; reason?: string });
    expect(after.find((e) => e.event === 'step.skipped' && e.stepId === 'post')?.reason).toBe('rejected: wrong tone');
    expect(posts()).toEqual(['first']);
  });

  it('--no-resume only records; two approve processes racing: one wins, one act', async () => {
    const run = await runPost('third');
    const id = approvalIdIn(run.stderr)!;
    const [a, b] = await Promise.all([cli(['approve', id]), cli(['approve', id])]);
    expect([a.code, b.code].sort()).toEqual([0, 2]);
    expect((a.code === 2 ? a : b).stderr).toContain('E_APPROVAL_DECIDED');
    expect(posts()).toEqual(['first', 'third']);

    const fourth = await runPost('fourth');
    const id4 = approvalIdIn(fourth.stderr)!;
    const only = await cli(['approve', id4, '--no-resume']);
    expect(only.code).toBe(0);
    expect(only.stderr).toContain('mpv2 resume');
    expect(posts()).toEqual(['first', 'third']);
    const runId = /Run id: (\S+)/.exec(fourth.stderr)![1]!;
    const resumed = await cli(['resume', runId]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(posts()).toEqual(['first', 'third', 'fourth']);
  });

  it('approve, then the process is killed mid-act: the resume reports it in doubt and never posts again nor asks again', async () => {
    const run = await cli(['run', 'pipelines/post.yaml', '--input', `url=${base}/hang`, '--input', 'text=killed']);
    const id = approvalIdIn(run.stderr)!;
    const runId = /Run id: (\S+)/.exec(run.stderr)![1]!;
    let pid = 0;
    const arrived = new Promise<void>((resolve) => { onHang = resolve; });
    const approving = mpv2(['approve', id], { cwd: root, onSpawn: (p) => { pid = p; } });
    await arrived;
    process.kill(pid, 'SIGKILL');
    expect((await approving).code).toBe(137);
    expect(posts().filter((t) => t === 'killed')).toHaveLength(1);
    const resumed = await cli(['resume', runId]);
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain('E_EFFECT_IN_DOUBT');
    expect(resumed.stderr).not.toContain('waits for approval');
    expect(posts().filter((t) => t === 'killed')).toHaveLength(1);
    const mine = json<Array<{ runId: string; status: string }>>(await cli(['approvals', '--all', '--json'])).filter((a) => a.runId === runId);
    expect(mine.map((a) => a.status)).toEqual(['approved']);
  });
});

