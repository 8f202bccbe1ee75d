/**
 * A moved (or re-mounted) project keeps its history: the journal holds paths relative to the
 * project root, so after renaming the project folder `runs show` names files where they now
 * are, `run --from` hands downstream steps valid absolute paths, and a run killed before the
 * move resumes after it.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../servers/http-scripted.js';
import { ensureBuilt, json, makeProject, mpv2 } from './cli-harness.js';
import { events } from './engine-helpers.js';

let srv: ScriptedServer;
const cleanup: string[] = [];

const PIPELINE = `name: moved
inputs:
  url: { type: string }
steps:
  - id: a
    uses: file.write
    with: { path: "\${{ run.dir }}/a.txt", content: "written by a" }
  - id: call
    uses: http.request
    with: { url: "\${{ inputs.url }}", timeout: 60s }
    needs: a
  - id: b
    uses: file.read
    with: { path: "\${{ steps.a.outputs.path }}" }
    needs: call
outputs:
  file: \${{ steps.a.outputs.path }}
  text: \${{ steps.b.outputs.content }}
`;

beforeAll(async () => {
  await ensureBuilt();
  // /once hangs on its first request (the run is killed meanwhile) and answers later ones
  srv = await startScriptedServer({ '/ok': { json: { ok: true } }, '/once': (_req, hit) => (hit === 0 ? { hang: true } : { json: { ok: true } }) });
}, 300_000);
afterAll(async () => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
  await srv.close();
});

function project(): string {
  const root = makeProject({ 'moved.yaml': PIPELINE });
  cleanup.push(root);
  return root;
}

function move(root: string): string {
  const to = `${root}-moved`;
  renameSync(root, to);
  cleanup.push(to);
  return to;
}

describe('a moved project', () => {
  it('runs show names the files where they are now, and run --from hands valid paths downstream', async () => {
    const root = project();
    const first = await mpv2(['run', 'moved.yaml', '--json', '--input', `url=${srv.url}/ok`], { cwd: root });
    expect(first.code).toBe(0);
    const runId = String(events(first.stdout)[0]!.runId);

    const now = move(root);
    expect(existsSync(root)).toBe(false);
    const shown = await mpv2(['runs', 'show', runId, '--json'], { cwd: now });
    expect(shown.code).toBe(0);
    expect(json<{ outputs: { file: string } }>(shown).outputs.file).toBe(join(now, '.mpv2', 'runs', runId, 'a.txt'));

    const from = await mpv2(['run', 'moved.yaml', '--json', '--from', 'b', '--input', `url=${srv.url}/ok`], { cwd: now });
    expect(from.stderr).toBe('');
    expect(from.code).toBe(0);
    const evs = events(from.stdout);
    expect(evs.find((e) => e.event === 'step.finished' && e.stepId === 'a')).toMatchObject({ reused: true });
    expect(evs.at(-1)).toMatchObject({ event: 'run.finished', status: 'succeeded', outputs: { file: join(now, '.mpv2', 'runs', runId, 'a.txt'), text: 'written by a' } });
  });

  it('a run killed before the move resumes after it', async () => {
    const root = project();
    let pid = 0;
    const killed = mpv2(['run', 'moved.yaml', '--json', '--input', `url=${srv.url}/once`], { cwd: root, onSpawn: (p) => { pid = p; } });
    await srv.arrived('/once'); // step `call` is in flight
    process.kill(pid, 'SIGKILL');
    const k = await killed;
    const runId = String(events(k.stdout)[0]!.runId);

    const now = move(root);
    const resumed = await mpv2(['resume', runId, '--json'], { cwd: now });
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(events(resumed.stdout).at(-1)).toMatchObject({ event: 'run.finished', status: 'succeeded', outputs: { file: join(now, '.mpv2', 'runs', runId, 'a.txt'), text: 'written by a' } });
  });
});
