/**
 * A file a step's config names (a brand logo in .mpv2rc.yaml) is read next to the config file
 * and is part of the step cache key by content: a new logo under the same name is a new result.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeProject, type TestProject } from './harness.js';

const PLUGIN = `
import { readFileSync } from 'node:fs';
export default [{
  id: 'stamp.read', version: '1.0.0', description: 'reads the file its config names',
  config: { type: 'object', additionalProperties: false, properties: { file: { type: 'string', format: 'path', description: 'a file' } } },
  output: { type: 'object', properties: { text: { type: 'string' } } },
  async run(ctx) { return { text: readFileSync(ctx.resolvePath(ctx.config.file), 'utf8') }; },
}, {
  id: 'stamp.echo', version: '1.0.0', description: 'returns its text',
  input: { type: 'object', properties: { text: { type: 'string', description: 'any text' } } },
  output: { type: 'object', properties: { text: { type: 'string' } } },
  async run(ctx, input) { return { text: input.text }; },
}];
`;

let p: TestProject;
beforeAll(async () => {
  p = await makeProject({
    'local/stamp.mjs': PLUGIN,
    '.mpv2rc.yaml': 'plugins:\n  - ./local/stamp.mjs\nstamp:\n  file: brand/note.txt\n',
    'brand/note.txt': 'first',
    'pipelines/echo.yaml': 'name: echo\nsteps:\n  - id: echo\n    uses: stamp.echo\n    with: { text: "/" }\n',
    'pipelines/read.yaml': 'name: read\nsteps:\n  - id: read\n    uses: stamp.read\noutputs:\n  text: ${{ steps.read.outputs.text }}\n',
  });
});
afterAll(() => p?.close());

it('reads the file next to the config, and misses the cache when its content changes', async () => {
  const first = await p.run('pipelines/read.yaml');
  expect(first.result.error).toBeUndefined();
  expect(first.result.outputs).toEqual({ text: 'first' });
  expect(first.of('step.finished', 'read')[0]).toMatchObject({ cached: false });

  const again = await p.run('pipelines/read.yaml');
  expect(again.of('step.finished', 'read')[0]).toMatchObject({ cached: true });

  p.write('brand/note.txt', 'second');
  const changed = await p.run('pipelines/read.yaml');
  expect(changed.result.outputs).toEqual({ text: 'second' });
  expect(changed.of('step.finished', 'read')[0]).toMatchObject({ cached: false });
});

it('a text that names a folder outside the project ("/") is keyed as text: the disk is never walked', async () => {
  const first = await p.run('pipelines/echo.yaml');
  expect(first.result.error).toBeUndefined();
  expect((await p.run('pipelines/echo.yaml')).of('step.finished', 'echo')[0]).toMatchObject({ cached: true });
});
