/**
 * A plugin's errors as the engine carries them: a namespaced code raised with pluginError
 * stays E_PLUGIN_FAILED with its pluginCode, the plugin id and the step; a plain Error of a
 * third-party plugin is wrapped the same way, its message kept and redacted.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, type TestProject } from './harness.js';

const ERRORS_MODULE = pathToFileURL(join(import.meta.dirname, '..', '..', '..', 'src', 'errors.ts')).href;

const PLUGIN = `
import { pluginError } from ${JSON.stringify(ERRORS_MODULE)};
export default [
  {
    id: 'demo.reject', version: '1.0.0', description: 'fails with its own code',
    pure: false,
    async run() { throw pluginError('demo/REJECTED', 'the server said no', { hint: 'ask nicely' }); },
  },
  {
    id: 'demo.plain', version: '1.0.0', description: 'a library throws a plain Error holding a secret',
    input: { type: 'object', properties: { key: { type: 'string', description: 'an API key' } } },
    pure: false,
    async run(ctx, input) { throw new Error('login as bob with ' + input.key + ' failed'); },
  },
];
`;

let p: TestProject;
beforeAll(async () => {
  p = await makeProject({
    '.mpv2rc.yaml': 'plugins:\n  - ./local/demo.mjs\n',
    'local/demo.mjs': PLUGIN,
    'reject.yaml': 'name: reject\nsteps:\n  - id: r\n    uses: demo.reject\n',
    'plain.yaml': 'name: plain\nsteps:\n  - id: p\n    uses: demo.plain\n    with: { key: "${{ secrets.OPENAI_API_KEY }}" }\n',
  }, { OPENAI_API_KEY: 'sk-test-3f9a8c7e1d' });
});
afterAll(() => p.close());

describe('plugin errors through the engine', () => {
  it('pluginError: E_PLUGIN_FAILED with pluginCode in the event, the run record and the result, plugin id and step added', async () => {
    const r = await p.run('reject.yaml');
    expect(r.result.status).toBe('failed');
    expect(r.of('step.failed', 'r')[0]!.error).toEqual({ code: 'E_PLUGIN_FAILED', pluginCode: 'demo/REJECTED', message: 'the server said no', hint: 'ask nicely' });
    expect(r.events.at(-1)).toMatchObject({ event: 'run.finished', error: { code: 'E_PLUGIN_FAILED', pluginCode: 'demo/REJECTED' } });
    expect(r.result.error).toMatchObject({ code: 'E_PLUGIN_FAILED', pluginCode: 'demo/REJECTED', plugin: 'demo.reject', step: 'r' });
    const run = await p.project.state().journal.getRun(r.runId);
    expect(run?.error).toEqual({ code: 'E_PLUGIN_FAILED', pluginCode: 'demo/REJECTED', message: 'the server said no' });
  });

  it('a plain Error: E_PLUGIN_FAILED with the plugin id, the message kept, the secret redacted', async () => {
    const r = await p.run('plain.yaml');
    const err = r.of('step.failed', 'p')[0]!.error;
    expect(err.code).toBe('E_PLUGIN_FAILED');
    expect(err.message).toMatch(/^login as bob with .+ failed$/);
    expect(err.message).not.toContain('3f9a8c7e1d');
    expect(r.result.error).toMatchObject({ code: 'E_PLUGIN_FAILED', plugin: 'demo.plain', step: 'p' });
    expect(r.result.error!.pluginCode).toBeUndefined();
  });
});
