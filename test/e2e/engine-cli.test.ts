/** The built CLI: run / validate / plan output and exit codes, --json, --from, resume --force, --out, --input. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, tempProject, type TempProject } from './engine-helpers.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'pipelines');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

let p: TempProject;
beforeAll(() => {
  p = tempProject({
    'pipelines/basic.yaml': fixture('valid-basic.yaml'),
    'pipelines/three.yaml': fixture('invalid-three-problems.yaml'),
    'pipelines/chain.yaml': `name: chain
steps:
  - id: a
    uses: core.set
    with: { v: 1 }
  - id: b
    uses: core.set
    with: { v: "\${{ steps.a.outputs.v }}" }
  - id: c
    uses: core.log
    with: { message: "b gave \${{ steps.b.outputs.v }}" }
`,
    'pipelines/notify.yaml': `name: notify
steps:
  - id: vars
    uses: core.set
    with: { text: hi }
  - id: post
    uses: http.request
    with: { url: "http://127.0.0.1:9/hook", method: POST, json: { text: "\${{ steps.vars.outputs.text }}" } }
`,
    'pipelines/fails.yaml': `name: fails
steps:
  - id: read
    uses: file.read
    with: { path: ../data/later.txt }
  - id: show
    uses: core.log
    with: { message: "\${{ steps.read.outputs.content }}" }
`,
    'pipelines/write.yaml': `name: write
inputs:
  text: { type: string, default: hello }
steps:
  - id: w
    uses: file.write
    with: { path: ../out/greeting.txt, content: "\${{ inputs.text }}" }
outputs:
  file: \${{ steps.w.outputs.path }}
`,
  });
});
afterAll(() => p.remove());

describe('validate', () => {
  it('a valid pipeline: exit 0 and a one-line summary', async () => {
    const r = await p.cli(['validate', 'pipelines/basic.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✔ pipelines\/basic\.yaml is valid: 2 step\(s\), 1 input\(s\)/);
  });

  it('an invalid pipeline: exit 2, every problem with file:line:col, a code frame and hints', async () => {
    const r = await p.cli(['validate', 'pipelines/three.yaml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/✖ E_PLUGIN_NOT_FOUND \[a\] pipelines\/three\.yaml:4:11/);
    expect(r.stderr).toMatch(/did you mean "core\.log"/);
    expect(r.stderr).toMatch(/✖ E_PLUGIN_INPUT_INVALID \[core\.wait\] pipelines\/three\.yaml:8:22/);
    expect(r.stderr).toMatch(/8 \|\s+with: \{ seconds: "abc" \}\n\s+\|\s+\^/);
    expect(r.stderr).toMatch(/✖ E_REF_UNKNOWN_STEP \[c\] pipelines\/three\.yaml:12:16/);
    expect(r.stderr).toMatch(/3 problems found\./);
    expect(existsSync(join(p.root, '.mpv2', 'runs'))).toBe(false);
  });

  it('a pipeline outside the project is refused (exit 2)', async () => {
    const r = await p.cli(['validate', '../../etc/passwd']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/E_PATH_OUTSIDE_ROOT/);
  });
});

describe('plan', () => {
  it('prints the waves; --json gives the steps', async () => {
    const r = await p.cli(['plan', 'pipelines/chain.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wave 1:\n\s+a\s+core\.set/);
    expect(r.stdout).toMatch(/wave 3:\n\s+c\s+core\.log\s+runs \(not cached\)\s+← b/);
    const j = await p.cli(['plan', 'pipelines/chain.yaml', '--json']);
    const plan = JSON.parse(j.stdout) as { steps: Array<{ id: string; wave: number; cache: string }> };
    expect(plan.steps.map((s) => [s.id, s.wave])).toEqual([['a', 0], ['b', 1], ['c', 2]]);
    expect(plan.steps[0]!.cache).toBe('miss');
  });

  it('marks effects, and exits 2 on an invalid pipeline', async () => {
    const r = await p.cli(['plan', 'pipelines/notify.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/post\s+http\.request\s+EFFECT \(acts once per key\)\s+← vars/);
    const bad = await p.cli(['plan', 'pipelines/three.yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/3 problems found/);
  });
});

describe('run', () => {
  it('exit 0; outputs on stdout, progress on stderr', async () => {
    const r = await p.cli(['run', 'pipelines/basic.yaml', '--input', 'topic=owls']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Outputs:\n  title: About owls\n');
    expect(r.stderr).toMatch(/✔ run \S+ succeeded/);
  });

  it('--json prints only JSON events with the documented fields', async () => {
    const r = await p.cli(['run', 'pipelines/chain.yaml', '--json']);
    expect(r.code).toBe(0);
    const evs = events(r.stdout);
    const runId = evs[0]!.runId;
    expect(evs[0]).toMatchObject({ event: 'run.started', pipeline: 'pipelines/chain.yaml', name: 'chain', inputs: {} });
    for (const e of evs) {
      expect(e.runId).toBe(runId);
      expect(new Date(e.time as string).toISOString()).toBe(e.time);
      if (e.event.startsWith('step.')) expect(typeof e.stepId).toBe('string');
    }
    const finished = evs.filter((e) => e.event === 'step.finished');
    expect(finished.map((e) => e.stepId)).toEqual(['a', 'b', 'c']);
    for (const f of finished) expect(f).toEqual(expect.objectContaining({ cached: expect.any(Boolean), durationMs: expect.any(Number), outputs: expect.anything() }));
    expect(evs.find((e) => e.event === 'step.log')).toMatchObject({ stepId: 'c', level: 'info', message: 'b gave 1' });
    expect(evs.at(-1)).toMatchObject({ event: 'run.finished', status: 'succeeded', outputs: {}, durationMs: expect.any(Number) });
  });

  it('a failing step: exit 1, step.failed in --json, the run id to resume', async () => {
    const r = await p.cli(['run', 'pipelines/fails.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/✖ E_FILE/);
    expect(r.stderr).toMatch(/continue with: mpv2 resume \S+/);
    const j = await p.cli(['run', 'pipelines/fails.yaml', '--json']);
    expect(j.code).toBe(1);
    const evs = events(j.stdout);
    expect(evs.find((e) => e.event === 'step.failed')).toMatchObject({ stepId: 'read', error: { code: 'E_FILE', message: expect.any(String) } });
    expect(evs.find((e) => e.event === 'step.skipped')).toMatchObject({ stepId: 'show', reason: expect.stringMatching(/not run/) });
    expect(evs.at(-1)).toMatchObject({ event: 'run.finished', status: 'failed', error: { code: 'E_FILE' } });
  });

  it('an invalid pipeline: exit 2 and nothing run', async () => {
    const r = await p.cli(['run', 'pipelines/three.yaml', '--json']);
    expect(r.code).toBe(2);
    expect(events(r.stdout)).toEqual([expect.objectContaining({ event: 'run.failed', error: expect.objectContaining({ code: 'E_PLUGIN_NOT_FOUND' }) })]);
  });

  it('--input of an undeclared input: exit 2 with a did-you-mean', async () => {
    const r = await p.cli(['run', 'pipelines/basic.yaml', '--input', 'topik=owls']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/E_INPUT_UNKNOWN/);
    expect(r.stderr).toMatch(/did you mean "topic"/);
  });

  it('--out copies the files named in the outputs', async () => {
    const r = await p.cli(['run', 'pipelines/write.yaml', '--input', 'text=bonjour', '--out', 'delivered']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(p.root, 'delivered', 'greeting.txt'), 'utf8')).toBe('bonjour');
    expect(r.stdout).toMatch(/Copied 1 file\(s\): delivered\/greeting\.txt/);
  });

  it('--from reruns that step and what depends on it; upstream is reused', async () => {
    expect((await p.cli(['run', 'pipelines/chain.yaml'])).code).toBe(0);
    const r = await p.cli(['run', 'pipelines/chain.yaml', '--from', 'b', '--json']);
    expect(r.code).toBe(0);
    const fin = Object.fromEntries(events(r.stdout).filter((e) => e.event === 'step.finished').map((e) => [e.stepId, e]));
    expect(fin.a).toMatchObject({ reused: true });
    expect(fin.b!.reused).toBeUndefined();
    expect(fin.c!.reused).toBeUndefined();
    const bad = await p.cli(['run', 'pipelines/chain.yaml', '--from', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from names "nope"/);
  });
});

describe('resume', () => {
  it('refuses a changed pipeline unless --force, then finishes the run', async () => {
    const r = await p.cli(['run', 'pipelines/fails.yaml', '--json']);
    expect(r.code).toBe(1);
    const runId = events(r.stdout)[0]!.runId as string;
    p.write('data/later.txt', 'now it exists');
    p.write('pipelines/fails.yaml', `${readFileSync(join(p.root, 'pipelines/fails.yaml'), 'utf8')}# edited\n`);
    const refused = await p.cli(['resume', runId]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/E_PIPELINE_CHANGED/);
    expect(refused.stderr).toMatch(/--force/);
    const forced = await p.cli(['resume', runId, '--force', '--json']);
    expect(forced.code).toBe(0);
    const evs = events(forced.stdout);
    expect(evs[0]).toMatchObject({ event: 'run.started', runId, resumed: true });
    expect(evs.find((e) => e.event === 'step.log')).toMatchObject({ message: 'now it exists' });
    expect(p.query<{ status: string }>('SELECT status FROM runs WHERE id = ?', runId)[0]!.status).toBe('succeeded');
    const again = await p.cli(['resume', runId]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already succeeded/);
  });

  it('an unknown run id: exit 2', async () => {
    const r = await p.cli(['resume', '20990101-000000Z-abcdef']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no run with id/);
  });
});
