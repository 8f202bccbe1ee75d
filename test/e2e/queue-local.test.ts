/**
 * The local queue through the CLI: schedules (add, list with next fires, pause, resume,
 * remove) fired by `mpv2 worker` once per tick; enqueue deduplicated; SIGTERM with a grace
 * period (exit 143, run interrupted, resumed by the next worker with its effect done once);
 * /healthz and /metrics; one local worker per project.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './cli-harness.js';
import type { Running, TempProject } from './engine-helpers.js';
import { queueProject, readLog, ready, until } from './queue-helpers.js';

let p: TempProject;
const started: Running[] = [];
const worker = (...args: string[]) => { const w = p.start(['worker', '--json', '--poll-interval', '100', ...args]); started.push(w); return w; };
const runs = () => p.query<{ id: string; status: string; inputs: string }>('SELECT id, status, inputs FROM runs ORDER BY started_at');

beforeAll(async () => {
  await ensureBuilt();
  p = queueProject();
}, 240_000);
afterAll(() => {
  for (const w of started) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  p?.remove();
});

describe('local worker', { timeout: 120_000 }, () => {
  it('fires a schedule once per tick, lists next fires, pauses, resumes and removes', async () => {
    const add = await p.cli(['schedule', 'add', 'work.yaml', '--cron', '*/1 * * * * *', '--name', 'tick', '--input', 'n=7', '--json']);
    expect(add.code).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({ name: 'tick', pipeline: 'work.yaml', inputs: { n: 7, sleepMs: 0 }, overlap: 'skip', missed: 'run-once', next: expect.any(Array) });
    const bad = await p.cli(['schedule', 'add', 'work.yaml', '--cron', 'daily', '--input', 'n=1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a valid cron pattern/);
    const w = worker();
    await ready(w);
    await until('3 scheduled runs', () => readLog(p, 'executions.log').filter((l) => l.n === 7).length >= 3, 60_000);
    expect((await p.cli(['schedule', 'pause', 'tick'])).code).toBe(0);
    w.child.kill('SIGTERM');
    expect((await w.done).code).toBe(0);
    const fired = runs().filter((r) => JSON.parse(r.inputs).n === 7);
    expect(fired.length).toBe(readLog(p, 'executions.log').filter((l) => l.n === 7).length);
    expect(new Set(fired.map((r) => r.id)).size).toBe(fired.length); // one run per tick id
    const list = JSON.parse((await p.cli(['schedule', 'list', '--json'])).stdout) as Array<{ name: string; paused: boolean; next: string[]; lastTick?: { status: string } }>;
    expect(list).toEqual([expect.objectContaining({ name: 'tick', paused: true, next: [] })]);
    expect((await p.cli(['schedule', 'resume', 'tick'])).code).toBe(0);
    const active = JSON.parse((await p.cli(['schedule', 'list', '--json', '--next', '2'])).stdout) as typeof list;
    expect(active[0]!.next).toHaveLength(2);
    expect((await p.cli(['schedule', 'remove', 'tick'])).code).toBe(0);
    expect((await p.cli(['schedule', 'list'])).stdout).toMatch(/No schedules/);
    const gone = await p.cli(['schedule', 'remove', 'tick']);
    expect(gone.code).toBe(2);
  });

  it('enqueue: the same run is queued once; SIGTERM aborts after the grace period (143) and the next worker resumes it', async () => {
    const first = await p.cli(['enqueue', 'killme.yaml', '--input', 'n=11', '--json']);
    const second = await p.cli(['enqueue', 'killme.yaml', '--input', 'n=11', '--json']);
    expect(JSON.parse(first.stdout)).toMatchObject({ added: true, queue: 'local' });
    expect(JSON.parse(second.stdout)).toMatchObject({ added: false, status: 'queued', runId: JSON.parse(first.stdout).runId });
    const { runId } = JSON.parse(first.stdout) as { runId: string };
    const w = worker('--grace', '300ms');
    await ready(w);
    await until('the hold step', () => readLog(p, 'executions.log').some((l) => l.kind === 'hold' && l.n === 11));
    const other = await p.cli(['worker']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/E_LOCKED\s+another mpv2 worker/);
    w.child.kill('SIGTERM');
    expect((await w.done).code).toBe(143);
    expect(runs().find((r) => r.id === runId)?.status).toBe('interrupted');
    writeFileSync(join(p.root, 'release'), '');
    const w2 = worker('--health-port', '0');
    const readyLine = await ready(w2);
    const port = (JSON.parse(readyLine) as { healthPort: number }).healthPort;
    await until('the resumed run', () => runs().find((r) => r.id === runId)?.status === 'succeeded', 60_000);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, mode: 'local' });
    let metrics = '';
    // the journal says succeeded a moment before the worker counts the job
    await until('the job in /metrics', async () => /mpv2_jobs_total\{status="succeeded"\} 1/.test(metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()), 60_000);
    expect(metrics).toMatch(/mpv2_job_duration_seconds_count 1/);
    w2.child.kill('SIGTERM');
    expect((await w2.done).code).toBe(0);
    expect(readLog(p, 'effects.log').filter((l) => l.n === 11)).toHaveLength(1);
    expect(w2.lines.some((l) => l.includes('"stepId":"post"') && l.includes('"reused":true'))).toBe(true);
  });
});
