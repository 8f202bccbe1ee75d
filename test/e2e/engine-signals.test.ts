/**
 * Crash safety: kill -9 mid-run then resume; Ctrl-C (SIGINT) → 130 and an interrupted run
 * that resumes; SIGTERM → 143. Step b talks to a loopback server that hangs on its first
 * request and answers later ones, so "mid-run" is a fact, not a timing guess.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../servers/http-scripted.js';
import { eventIs, events, tempProject, type TempProject } from './engine-helpers.js';

let srv: ScriptedServer;
let p: TempProject;
const PIPELINE = `name: crash
inputs:
  url: { type: string }
steps:
  - id: a
    uses: core.set
    with: { greeting: hello }
  - id: b
    uses: http.request
    with: { url: "\${{ inputs.url }}", timeout: 60s }
    needs: a
  - id: c
    uses: core.set
    with: { got: "\${{ steps.b.outputs.json.n }}", greeting: "\${{ steps.a.outputs.greeting }}" }
outputs:
  got: \${{ steps.c.outputs.got }}
`;

beforeAll(async () => {
  // first request to each path hangs (the process is killed meanwhile); later ones answer
  const hangOnce = (n: number) => (_req: unknown, hit: number) => (hit === 0 ? { hang: true } : { json: { n } });
  srv = await startScriptedServer({ '/kill9': hangOnce(9), '/sigint': hangOnce(2), '/sigterm': hangOnce(15) });
  p = tempProject({ 'crash.yaml': PIPELINE, 'wait.yaml': 'name: wait\nsteps:\n  - id: w\n    uses: core.wait\n    with: { seconds: 30 }\n' });
});
afterAll(async () => { p.remove(); await srv.close(); });

const runIdOf = (line: string) => (JSON.parse(line) as { runId: string }).runId;
const runStatus = (id: string) => p.query<{ status: string }>('SELECT status FROM runs WHERE id = ?', id)[0]?.status;
const stepRows = (id: string) => Object.fromEntries(p.query<{ step_id: string; status: string }>('SELECT step_id, status FROM steps WHERE run_id = ? AND idx = -1', id).map((r) => [r.step_id, r.status]));

describe('kill -9 mid-run, then resume', () => {
  it('finished steps are kept and reused; the rest runs; exit 0', async () => {
    const run = p.start(['run', 'crash.yaml', '--json', '--input', `url=${srv.url}/kill9`]);
    const started = await run.waitForLine(eventIs('step.started', 'b'));
    await srv.arrived('/kill9'); // b's request is in flight
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.signal).toBe('SIGKILL');
    const runId = runIdOf(started);
    expect(runStatus(runId)).toBe('running'); // the process had no chance to say otherwise
    expect(stepRows(runId)).toMatchObject({ a: 'succeeded', b: 'running' });

    const resumed = await p.cli(['resume', runId, '--json']);
    expect(resumed.code).toBe(0);
    const evs = events(resumed.stdout);
    expect(evs[0]).toMatchObject({ event: 'run.started', runId, resumed: true });
    const fin = Object.fromEntries(evs.filter((e) => e.event === 'step.finished').map((e) => [e.stepId, e]));
    expect(fin.a).toMatchObject({ reused: true, outputs: { greeting: 'hello' } });
    expect(fin.b).toMatchObject({ outputs: { status: 200, json: { n: 9 } } });
    expect(fin.b!.reused).toBeUndefined();
    expect(fin.c).toMatchObject({ outputs: { got: 9, greeting: 'hello' } });
    expect(evs.at(-1)).toMatchObject({ event: 'run.finished', status: 'succeeded', outputs: { got: 9 } });
    expect(runStatus(runId)).toBe('succeeded');
    expect(srv.hits('/kill9')).toBe(2);
  });
});

describe('signals', () => {
  it('SIGINT mid-run → exit 130, run "interrupted" in the journal; resume finishes it', async () => {
    const run = p.start(['run', 'crash.yaml', '--json', '--input', `url=${srv.url}/sigint`]);
    const started = await run.waitForLine(eventIs('step.started', 'b'));
    await srv.arrived('/sigint');
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    const evs = events(r.stdout);
    expect(evs.find((e) => e.event === 'step.failed')).toMatchObject({ stepId: 'b', error: { code: 'E_ABORTED' } });
    expect(evs.at(-1)).toMatchObject({ event: 'run.finished', status: 'interrupted' });
    const runId = runIdOf(started);
    expect(runStatus(runId)).toBe('interrupted');
    expect(stepRows(runId)).toMatchObject({ a: 'succeeded', b: 'interrupted' });

    const resumed = await p.cli(['resume', runId]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe('Outputs:\n  got: 2\n');
    expect(runStatus(runId)).toBe('succeeded');
  });

  it('SIGTERM mid-run → exit 143', async () => {
    const run = p.start(['run', 'wait.yaml', '--json']);
    const started = await run.waitForLine(eventIs('step.started', 'w'));
    run.child.kill('SIGTERM');
    const r = await run.done;
    expect(r.code).toBe(143);
    expect(events(r.stdout).at(-1)).toMatchObject({ event: 'run.finished', status: 'interrupted' });
    expect(runStatus(runIdOf(started))).toBe('interrupted');
  });
});
