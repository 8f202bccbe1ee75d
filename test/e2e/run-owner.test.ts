/**
 * One live owner per run, through the built CLI against a loopback server that holds a
 * request until the test lets it go (so "while the run is going" is a fact, not a timing
 * guess): `mpv2 resume` of a live run is refused with E_RUN_OWNED and nothing is sent twice;
 * a second run of the same pipeline waits for the first one's effect instead of calling it
 * "in doubt", and uses its result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../servers/http-scripted.js';
import { ensureBuilt } from './cli-harness.js';
import { eventIs, events, tempProject, type TempProject } from './engine-helpers.js';

let srv: ScriptedServer;
let p: TempProject;

/** A gate that holds requests until `open()`. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((r) => { open = r; });
  return { open, opened };
}
const gates = { live: gate(), twice: gate() };

/** The first request waits until its gate opens; later ones answer at once. */
const holdFirst = (g: ReturnType<typeof gate>, n: number) => async (_req: unknown, hit: number) => { if (hit === 0) await g.opened; return { json: { n } }; };

const PIPELINE = (name: string, method: string) => `name: ${name}
inputs:
  url: { type: string }
steps:
  - id: a
    uses: core.set
    with: { greeting: hello }
  - id: b
    uses: http.request
    with: { url: "\${{ inputs.url }}/b", method: ${method}, timeout: 60s }
    needs: a
  - id: c
    uses: http.request
    with: { url: "\${{ inputs.url }}/c" }
outputs:
  got: \${{ steps.b.outputs.json.n }}
`;

beforeAll(async () => {
  await ensureBuilt();
  srv = await startScriptedServer({ '/live/b': holdFirst(gates.live, 1), '/live/c': { json: { c: true } }, '/twice/b': holdFirst(gates.twice, 2), '/twice/c': { json: { c: true } } });
  p = tempProject({ 'live.yaml': PIPELINE('live', 'GET'), 'twice.yaml': PIPELINE('twice', 'POST') });
}, 300_000);
afterAll(async () => { gates.live.open(); gates.twice.open(); p.remove(); await srv.close(); });

const runIdOf = (line: string) => (JSON.parse(line) as { runId: string }).runId;

describe('mpv2 resume of a run that is still going', () => {
  it('is refused with E_RUN_OWNED naming the owner; the run finishes once; each request reached the server once', async () => {
    const first = p.start(['run', 'live.yaml', '--json', '--input', `url=${srv.url}/live`]);
    const runId = runIdOf(await first.waitForLine(eventIs('step.started', 'b')));
    await srv.arrived('/live/b'); // b's request is at the server, held there

    const second = await p.cli(['resume', runId]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('E_RUN_OWNED');
    expect(second.stderr).toContain(`run ${runId} is still going: process ${first.child.pid} on `);
    const asJson = await p.cli(['resume', runId, '--json']);
    expect(events(asJson.stdout)).toEqual([expect.objectContaining({ event: 'run.failed', error: expect.objectContaining({ code: 'E_RUN_OWNED' }) })]);

    gates.live.open();
    const done = await first.done;
    expect(done.code).toBe(0);
    expect(events(done.stdout).at(-1)).toMatchObject({ event: 'run.finished', status: 'succeeded', outputs: { got: 1 } });
    expect(srv.hits('/live/b')).toBe(1);
    expect(srv.hits('/live/c')).toBe(1);
    // the owner gave the run up at the end
    expect(p.query<{ owner: string | null; status: string }>('SELECT owner, status FROM runs WHERE id = ?', runId)[0]).toEqual({ owner: null, status: 'succeeded' });
  });
});

describe('two runs of the same pipeline at once', () => {
  it('the second waits for the first run\'s POST and uses its result: one POST', async () => {
    const first = p.start(['run', 'twice.yaml', '--json', '--input', `url=${srv.url}/twice`]);
    const firstId = runIdOf(await first.waitForLine(eventIs('step.started', 'b')));
    await srv.arrived('/twice/b');

    const second = p.start(['run', 'twice.yaml', '--json', '--input', `url=${srv.url}/twice`]);
    await second.waitForLine(eventIs('step.started', 'b'));
    gates.twice.open();
    const [a, b] = await Promise.all([first.done, second.done]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(events(b.stdout).at(-1)).toMatchObject({ event: 'run.finished', status: 'succeeded', outputs: { got: 2 } });
    expect(b.stdout).not.toContain('E_EFFECT_IN_DOUBT');
    expect(srv.hits('/twice/b')).toBe(1);
    expect(firstId).not.toBe(runIdOf(b.stdout.split('\n')[0]!));
  });
});
