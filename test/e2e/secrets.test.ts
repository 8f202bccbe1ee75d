/**
 * Secrets stay secret, through the built CLI (issue 13 items 9–11): no encoding of a secret
 * (plain, URL/form, JSON, HTML, base64 at any alignment, hex, a cut-off piece) in `--json`,
 * stderr, the human output, `runs show`, the journal, the cache table or the run log; steps
 * whose outputs held a secret are run again on resume and `run --from` instead of handing
 * `[REDACTED]` on; a done effect whose result was stored redacted fails clearly; terminal
 * control sequences in values never reach the terminal raw.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecret, secretEncodings } from '../helpers/secret-encodings.js';
import { startScriptedServer, type ScriptedServer } from '../servers/http-scripted.js';
import { ensureBuilt, makeProject, mpv2, type CliResult } from './cli-harness.js';

/** `!`, spaces, `+`, `/`, non-ASCII and an emoji: every encoding differs from the plain text. */
const SECRET = 'Sk! live+key/ü€ 😀 tail-1234567890';
const ENV = { X_BEARER_TOKEN: SECRET, MPV2_LOG__LEVEL: 'debug' };

type Ev = { event: string; runId: string; status?: string; stepId?: string; error?: { code: string; message: string } };
const events = (stdout: string) => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Ev);
const runIdOf = (r: CliResult) => events(r.stdout).find((e) => e.event === 'run.started')!.runId;

let root: string;
let server: ScriptedServer;
const cli = (args: string[], env: Record<string, string> = ENV) => mpv2(args, { cwd: root, env });

/** Every place a secret could end up on disk: journal, effects, kv and cache tables, run logs. */
function stored(): string {
  const db = new Database(join(root, '.mpv2', 'state.db'), { readonly: true });
  try {
    const rows = ['runs', 'steps', 'effects', 'kv', 'cache'].map((t) => JSON.stringify(db.prepare(`SELECT * FROM ${t}`).all()));
    const logsDir = join(root, '.mpv2', 'logs');
    const logs = readdirSync(logsDir).map((f) => readFileSync(join(logsDir, f), 'utf8'));
    return [...rows, ...logs].join('\n');
  } finally {
    db.close();
  }
}

/** A plugin whose call-level cache (`ctx.cache.wrap`) would hold a secret. */
const TOKEN_PLUGIN = `export default [{
  id: 'tok.fetch', version: '1.0.0', description: 'a call cache entry that holds a secret (test)', pure: false,
  // X's token is the twitter namespace's: reading it is declared
  secrets: ['X_BEARER_TOKEN'],
  async run(ctx) {
    const v = await ctx.cache.wrap({ what: 'token' }, '1h', async () => ({ header: 'Bearer ' + ctx.secrets.X_BEARER_TOKEN, fresh: Date.now() }));
    const plain = await ctx.cache.wrap({ what: 'plain' }, '1h', async () => ({ ok: true }));
    return { length: v.header.length, plain: plain.ok };
  },
}];
`;

const PIPELINES: Record<string, string> = {
  '.mpv2rc.yaml': 'plugins:\n  - ./local/tok.mjs\n',
  'local/tok.mjs': TOKEN_PLUGIN,
  'calltoken.yaml': 'name: calltoken\nsteps:\n  - id: t\n    uses: tok.fetch\n',

  // a server that echoes the secret back in every encoding: outputs hold them all
  'leak.yaml': `name: leak
inputs:
  server: { type: string }
steps:
  - id: echo
    uses: http.request
    with:
      url: "\${{ inputs.server }}/encodings"
      query: { t: "\${{ secrets.X_BEARER_TOKEN }}" }
  - id: keep
    uses: core.set
    with:
      all: \${{ steps.echo.outputs.json }}
      header: "Bearer \${{ secrets.X_BEARER_TOKEN }}"
outputs:
  forms: \${{ steps.keep.outputs.all }}
  header: \${{ steps.keep.outputs.header }}
`,
  'parse.yaml': `name: parse
steps:
  - id: parse
    uses: core.set
    with: { v: "\${{ fromJSON(secrets.X_BEARER_TOKEN) }}" }
`,
  'wait.yaml': `name: wait
steps:
  - id: bad
    uses: core.wait
    with: { seconds: "a long padding text before it: \${{ secrets.X_BEARER_TOKEN }} and after" }
`,
  'resume.yaml': `name: resume
inputs:
  server: { type: string }
steps:
  - id: auth
    uses: core.set
    with: { header: "Bearer \${{ secrets.X_BEARER_TOKEN }}" }
  - id: post
    uses: http.request
    with: { url: "\${{ inputs.server }}/hook", method: POST, json: { auth: "\${{ steps.auth.outputs.header }}" } }
`,
  'from.yaml': `name: from
inputs:
  server: { type: string }
steps:
  - id: auth
    uses: core.set
    with: { header: "Bearer \${{ secrets.X_BEARER_TOKEN }}" }
  - id: check
    uses: http.request
    cache: false
    with: { url: "\${{ inputs.server }}/check", query: { auth: "\${{ steps.auth.outputs.header }}" } }
`,
  'input.yaml': `name: input
inputs:
  server: { type: string }
  token: { type: string }
steps:
  - id: post
    uses: http.request
    with: { url: "\${{ inputs.server }}/hook-input", method: POST, json: { auth: "\${{ inputs.token }}" } }
`,
  'effect.yaml': `name: effect
inputs:
  server: { type: string }
steps:
  - id: post
    uses: http.request
    with: { url: "\${{ inputs.server }}/echo-once", method: POST, json: { auth: "\${{ secrets.X_BEARER_TOKEN }}" } }
  - id: after
    uses: core.set
    with: { status: "\${{ steps.post.outputs.status }}" }
`,
  'term.yaml': `name: term
inputs:
  msg: { type: string }
steps:
  - id: say
    uses: core.log
    with: { message: "said: \${{ inputs.msg }}" }
  - id: keep
    uses: core.set
    with: { v: "\${{ inputs.msg }}" }
outputs:
  v: \${{ steps.keep.outputs.v }}
`,
  'term-fail.yaml': `name: term-fail
inputs:
  msg: { type: string }
steps:
  - id: bad
    uses: core.wait
    with: { seconds: "\${{ inputs.msg }}" }
`,
};

beforeAll(async () => {
  server = await startScriptedServer({
    '/encodings': (req) => {
      const t = String(req.query.t);
      const forms = secretEncodings(t);
      return {
        headers: { 'x-echo-form': forms.form!, 'x-echo-basic': `Basic ${Buffer.from(`user:${t}`).toString('base64')}` },
        json: { ...forms, basic: `Basic ${Buffer.from(`user:${t}`).toString('base64')}`, shifted: Buffer.from(`ab${t}cd`).toString('base64url'), sentence: `you sent ${t}, thanks` },
      };
    },
    '/hook': [{ status: 400, json: { error: 'not yet' } }, { json: { ok: true } }],
    '/hook-input': [{ status: 400, json: { error: 'not yet' } }, { json: { ok: true } }],
    '/check': { json: { ok: true } },
    '/echo-once': { echo: true },
  });
  await ensureBuilt();
  root = makeProject(PIPELINES);
}, 300_000);
afterAll(() => server?.close());

describe('no encoding of a secret leaks (item 9)', () => {
  it('outputs that echo the secret in every encoding: absent from --json, human output, runs show, the journal, the cache and the log', async () => {
    const input = ['--input', `server=${server.url}`];
    const first = await cli(['run', 'leak.yaml', '--json', ...input]);
    expect(events(first.stdout).at(-1)).toMatchObject({ event: 'run.finished', status: 'succeeded' });
    const id = runIdOf(first);
    // a second run: outputs that hold a secret were never cached, so the steps run again
    const second = await cli(['run', 'leak.yaml', '--json', ...input]);
    expect(events(second.stdout).filter((e) => e.event === 'step.finished').map((e) => (e as { cached?: boolean }).cached)).toEqual([false, false]);
    expect(server.hits('/encodings')).toBe(2);
    const human = await cli(['run', 'leak.yaml', ...input]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Outputs:');
    const shows = [await cli(['runs', 'show', id]), await cli(['runs', 'show', id, '--json'])];
    for (const [where, text] of [
      ['run --json stdout', first.stdout], ['run --json stderr', first.stderr], ['second run', second.stdout + second.stderr],
      ['human run stdout', human.stdout], ['human run stderr', human.stderr],
      ['runs show', shows[0]!.stdout + shows[0]!.stderr], ['runs show --json', shows[1]!.stdout],
      ['state.db and logs', stored()],
    ] as const) expectNoSecret(text, SECRET, where);
  });

  it('the call cache (ctx.cache.wrap) keeps no value that holds a secret, and keeps the others', async () => {
    const r = await cli(['run', 'calltoken.yaml', '--json']);
    expect(events(r.stdout).at(-1)).toMatchObject({ event: 'run.finished', status: 'succeeded' });
    const db = new Database(join(root, '.mpv2', 'state.db'), { readonly: true });
    const keys = (db.prepare(`SELECT key FROM cache WHERE key LIKE '%call:tok.fetch:%'`).all() as Array<{ key: string }>).map((x) => x.key);
    db.close();
    expect(keys).toHaveLength(1);
    expectNoSecret(stored(), SECRET, 'state.db and logs');
  });

  it('a secret that is not JSON: fromJSON says so without quoting a piece of it (stderr, --json, journal)', async () => {
    const human = await cli(['run', 'parse.yaml']);
    expect(human.code).toBe(1);
    // quoted whole (and so redacted whole) or not at all; the parser's own message, which quotes a piece, is left out
    expect(human.stderr).toMatch(/fromJSON\(\) got text that is not JSON \((?:"\[REDACTED\]"|a text of \d+ characters)\): not valid JSON/);
    const j = await cli(['run', 'parse.yaml', '--json']);
    expect(events(j.stdout).find((e) => e.event === 'step.failed')!.error!.code).toBe('E_EXPR_EVAL');
    for (const [where, text] of [['stderr', human.stderr], ['--json', j.stdout + j.stderr], ['state.db and logs', stored()]] as const) expectNoSecret(text, SECRET, where);
  });

  it('an input that fails validation with a secret inside a long value: the value is described, not cut off mid-secret', async () => {
    const r = await cli(['run', 'wait.yaml', '--json']);
    const failed = events(r.stdout).find((e) => e.event === 'step.failed')!;
    expect(failed.error).toMatchObject({ code: 'E_PLUGIN_INPUT_INVALID', message: expect.stringContaining('with.seconds must be number (got a text of') });
    expectNoSecret(r.stdout + r.stderr + stored(), SECRET, 'wait run');
  });
});

describe('resume never feeds a placeholder (item 10)', () => {
  it('resume runs a step whose journaled outputs were redacted again: the server gets the real value', async () => {
    const first = await cli(['run', 'resume.yaml', '--json', '--input', `server=${server.url}`]);
    expect(events(first.stdout).at(-1)).toMatchObject({ event: 'run.finished', status: 'failed' });
    const id = runIdOf(first);
    const db = new Database(join(root, '.mpv2', 'state.db'), { readonly: true });
    expect(db.prepare(`SELECT redacted, outputs FROM steps WHERE run_id = ? AND step_id = 'auth'`).get(id)).toEqual({ redacted: 1, outputs: '{"header":"Bearer [REDACTED]"}' });
    db.close();
    const resumed = await cli(['resume', id, '--json']);
    expect(events(resumed.stdout).at(-1)).toMatchObject({ event: 'run.finished', status: 'succeeded' });
    const bodies = server.requests('/hook').map((r) => JSON.parse(r.body) as { auth: string });
    expect(bodies).toEqual([{ auth: `Bearer ${SECRET}` }, { auth: `Bearer ${SECRET}` }]);
    expectNoSecret(first.stdout + resumed.stdout + resumed.stderr + stored(), SECRET, 'resume');
  });

  it('a run whose inputs held a secret is not resumed with [REDACTED] inputs: a clear refusal', async () => {
    const first = await cli(['run', 'input.yaml', '--json', '--input', `server=${server.url}`, '--input', `token=Bearer ${SECRET}`]);
    expect(events(first.stdout).at(-1)).toMatchObject({ event: 'run.finished', status: 'failed' });
    const resumed = await cli(['resume', runIdOf(first)]);
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toMatch(/E_USAGE\n.*cannot be resumed: an input held a secret/);
    expect(server.requests('/hook-input').map((r) => (JSON.parse(r.body) as { auth: string }).auth)).toEqual([`Bearer ${SECRET}`]);
    expectNoSecret(first.stdout + resumed.stdout + resumed.stderr + stored(), SECRET, 'input resume');
  });

  it('run --from runs an upstream step with redacted outputs again instead of reusing them', async () => {
    const input = ['--input', `server=${server.url}`];
    expect((await cli(['run', 'from.yaml', ...input])).code).toBe(0);
    const again = await cli(['run', 'from.yaml', '--from', 'check', '--json', ...input]);
    expect(events(again.stdout).at(-1)).toMatchObject({ event: 'run.finished', status: 'succeeded' });
    expect(server.requests('/check').map((r) => r.query.auth)).toEqual([`Bearer ${SECRET}`, `Bearer ${SECRET}`]);
  });

  it('a done effect whose result held a secret is not repeated and not handed on as [REDACTED]: the step fails clearly', async () => {
    const input = ['--input', `server=${server.url}`];
    const first = await cli(['run', 'effect.yaml', '--json', ...input]);
    expect(events(first.stdout).at(-1)).toMatchObject({ status: 'succeeded' });
    const second = await cli(['run', 'effect.yaml', ...input]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('E_EFFECT_RESULT_NOT_KEPT');
    expect(second.stderr).toContain('mpv2 effects resolve');
    expect(server.hits('/echo-once')).toBe(1);
    // what the hint says: settle it as done, and the next run goes on without the result, not acting again
    const key = (JSON.parse((await cli(['effects', 'list', '--json'])).stdout) as Array<{ key: string; stepId: string; runId: string }>).find((e) => e.runId === runIdOf(first))!.key;
    expect((await cli(['effects', 'resolve', key, '--done'])).code).toBe(0);
    const third = await cli(['run', 'effect.yaml', '--json', ...input]);
    expect(events(third.stdout).at(-1)).toMatchObject({ status: 'succeeded' });
    expect(server.hits('/echo-once')).toBe(1);
    expectNoSecret(first.stdout + second.stdout + second.stderr + third.stdout + stored(), SECRET, 'effect runs');
  });
});

describe('terminal control sequences are shown escaped (item 11)', () => {
  const NASTY = '\u001b]0;pwned\u0007\u001b[2J\u009b31mred\u202etxt.exe\rover';
  const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  it('in step logs, outputs, errors and runs show of the human output; --json stays JSON with them escaped', async () => {
    const ok = await cli(['run', 'term.yaml', '--input', `msg=${NASTY}`]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('said: \\u001b]0;pwned\\u0007\\u001b[2J\\u009b31mred\\u202etxt.exe\\u000dover');
    expect(ok.stdout).toContain('v: \\u001b]0;pwned');
    const bad = await cli(['run', 'term-fail.yaml', '--input', `msg=${NASTY}`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('E_PLUGIN_INPUT_INVALID');
    const j = await cli(['run', 'term.yaml', '--json', '--input', `msg=${NASTY}`]);
    const finished = events(j.stdout).at(-1) as Ev & { outputs: { v: string } };
    expect(finished.outputs.v).toBe(NASTY);
    const id = finished.runId;
    const show = await cli(['runs', 'show', id]);
    const list = await cli(['runs', 'list']);
    for (const [where, text] of [['run', ok.stdout + ok.stderr], ['failed run', bad.stdout + bad.stderr], ['--json', j.stdout + j.stderr], ['runs show', show.stdout + show.stderr], ['runs list', list.stdout]] as const) {
      expect(raw.test(text.replace(/\n|\t/g, '')), `${where}: ${JSON.stringify(text)}`).toBe(false);
    }
  });
});
