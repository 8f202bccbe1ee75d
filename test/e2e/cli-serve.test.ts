/**
 * `mpv2 serve` as a user starts it: `--host 0.0.0.0` without MPV2_SERVE_TOKEN prints the URL and
 * a generated token once, the API answers 401 without it; SIGTERM during a run stops the run
 * as Ctrl-C stops `mpv2 run` (journaled interrupted, resumable) and the server exits 0.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, ensureBuilt, makeProject, REPO } from './cli-harness.js';

const SLOW = 'name: slow\nsteps:\n  - id: hold\n    uses: core.wait\n    with: { seconds: 3600 }\n';

let root: string;
/** Every server started, so a failing test leaves none running. */
const children: ChildProcessWithoutNullStreams[] = [];
beforeAll(async () => {
  await ensureBuilt();
  root = makeProject({ 'pipelines/slow.yaml': SLOW });
}, 300_000);
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** Starts `mpv2 serve`, resolving once it printed its address (and token, when it makes one). */
function serve(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; lines: string[]; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'run.js'), 'serve', ...args], { cwd: root, env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      const parts = buf.split('\n');
      buf = parts.pop()!;
      lines.push(...parts);
      const wantToken = args.includes('0.0.0.0');
      if (lines.some((l) => l.startsWith('mpv2 serve: ')) && (!wantToken || lines.some((l) => l.startsWith('token: ')))) resolve({ child, lines, exited });
    });
    child.on('close', (code) => reject(new Error(`mpv2 serve exited ${code}: ${stderr}`)));
  });
}

describe('mpv2 serve (e2e)', () => {
  it('--host 0.0.0.0 prints a token once; the API answers 401 without it; SIGTERM stops a running run and exits 0', async () => {
    const s = await serve(['--host', '0.0.0.0', '--port', '0']);
    const url = s.lines.find((l) => l.startsWith('mpv2 serve: '))!.slice('mpv2 serve: '.length);
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
    const token = s.lines.find((l) => l.startsWith('token: '))!.slice('token: '.length);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const base = `http://127.0.0.1:${new URL(url).port}`;
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    const denied = await fetch(`${base}/api/runs`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const auth = { authorization: `Bearer ${token}` };
    const started = await fetch(`${base}/api/runs`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ pipeline: 'slow' }) });
    expect(started.status).toBe(202);
    const { runId } = await started.json() as { runId: string };
    // wait (by events, not time) until the step runs
    const stream = (await fetch(`${base}/api/runs/${runId}/events`, { headers: auth })).body!.getReader();
    let seen = '';
    while (!seen.includes('"step.started"')) seen += new TextDecoder().decode((await stream.read()).value);
    s.child.kill('SIGTERM');
    let rest = '';
    for (let r = await stream.read(); !r.done; r = await stream.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toContain('"status":"interrupted"');
    expect(await s.exited).toBe(0);
    expect(s.lines.filter((l) => l.includes(token))).toHaveLength(1);

    // the journal says interrupted: `mpv2 resume` (or POST /resume) continues it
    const again = await serve(['--port', '0']);
    const base2 = again.lines.find((l) => l.startsWith('mpv2 serve: '))!.slice('mpv2 serve: '.length).replace(/\/$/, '');
    const view = await (await fetch(`${base2}/api/runs/${runId}`)).json() as { status: string; steps: Array<{ status: string }> };
    expect(view.status).toBe('interrupted');
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  }, 120_000);
});
