/**
 * The built CLI's one error shape: a plugin's own code printed after the core code with the
 * plugin id, `--json` of a one-shot command carrying { error: { code, message, hint } } on
 * stdout beside the human text on stderr, and --verbose read from the parsed flags.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './cli-harness.js';
import { events, REPO, tempProject, type TempProject } from './engine-helpers.js';

const ERRORS_MODULE = pathToFileURL(join(REPO, 'dist', 'src', 'errors.js')).href;

let p: TempProject;
beforeAll(async () => {
  await ensureBuilt();
  p = tempProject({
    '.mpv2rc.yaml': 'plugins:\n  - ./local/demo.mjs\n',
    'local/demo.mjs': `import { pluginError } from ${JSON.stringify(ERRORS_MODULE)};
export default [{
  id: 'demo.reject', version: '1.0.0', description: 'fails with its own code', pure: false,
  async run() { throw pluginError('demo/REJECTED', 'the server said no', { hint: 'ask nicely', cause: new Error('550 go away') }); },
}];
`,
    'reject.yaml': 'name: reject\nsteps:\n  - id: r\n    uses: demo.reject\n',
    'two.yaml': 'name: two\nsteps:\n  - id: a\n    uses: core.nope\n  - id: a\n    uses: core.set\n',
  });
}, 300_000);
afterAll(() => p?.remove());

describe('plugin errors in the CLI', () => {
  it('printed as E_PLUGIN_FAILED <pluginCode> [plugin id], exit 1', async () => {
    const r = await p.cli(['run', 'reject.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('✖ E_PLUGIN_FAILED demo/REJECTED [demo.reject]\n  the server said no\n  Hint: ask nicely');
  });

  it('--json events carry code and pluginCode', async () => {
    const r = await p.cli(['run', 'reject.yaml', '--json']);
    const evs = events(r.stdout);
    expect(evs.find((e) => e.event === 'step.failed')).toMatchObject({ error: { code: 'E_PLUGIN_FAILED', pluginCode: 'demo/REJECTED', message: 'the server said no', hint: 'ask nicely' } });
    expect(evs.at(-1)).toMatchObject({ event: 'run.finished', status: 'failed', error: { code: 'E_PLUGIN_FAILED', pluginCode: 'demo/REJECTED' } });
  });

  it('runs show names the plugin code', async () => {
    const r = await p.cli(['runs', 'show', 'latest']);
    expect(r.stdout).toContain('✖ r: E_PLUGIN_FAILED demo/REJECTED the server said no');
  });
});

describe('--json of one-shot commands', () => {
  it('a failure is { error } on stdout with the error JSON, the human text on stderr, the exit code of the catalogue', async () => {
    const r = await p.cli(['runs', 'show', 'no-such-run', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'E_NOT_FOUND', message: 'no run with id no-such-run', hint: '`mpv2 runs list` shows recent runs' } });
    expect(r.stderr).toContain('✖ E_NOT_FOUND');
  });

  it('several problems: the first one\'s code, and every problem in errors', async () => {
    const r = await p.cli(['validate', 'two.yaml', '--json']);
    expect(r.code).toBe(2);
    const { error } = JSON.parse(r.stdout) as { error: { code: string; errors: Array<{ code: string; loc: { line: number } }> } };
    expect(error.errors.map((e) => e.code).sort()).toEqual(['E_DUPLICATE_STEP', 'E_PLUGIN_NOT_FOUND']);
    expect(error.code).toBe(error.errors[0]!.code);
  });

  it('a result is one JSON document on stdout and nothing else there', async () => {
    const r = await p.cli(['cache', 'stats', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ entries: expect.any(Number), blobs: expect.any(Number) });
  });

  it('--verbose (from the parsed flags) adds the causes, in one-shot and streaming commands', async () => {
    const quiet = await p.cli(['validate', 'nope.yaml']);
    expect(quiet.stderr).not.toContain('caused by');
    const loud = await p.cli(['validate', 'nope.yaml', '--verbose']);
    expect(loud.code).toBe(2);
    expect(loud.stderr).toContain('caused by: ENOENT');
    const r = await p.cli(['run', 'reject.yaml', '--verbose']);
    expect(r.stderr).toContain('caused by: 550 go away');
  });
});
