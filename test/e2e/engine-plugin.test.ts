/**
 * A third-party plugin as users get it: `npm pack` the example package, install the tarball
 * into a fresh project, run a pipeline that uses it through the CLI. A broken plugin package
 * next to it must not take the others down.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, REPO, tempProject, type TempProject } from './engine-helpers.js';

const run = promisify(execFile);
const EXAMPLE = join(REPO, 'examples', 'mpv2-plugin-example');
let packDir: string;
let p: TempProject;

beforeAll(async () => {
  packDir = mkdtempSync(join(tmpdir(), 'mpv2-pack-'));
  await run('npm', ['pack', '--pack-destination', packDir, '--silent'], { cwd: EXAMPLE });
  const tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
  p = tempProject({
    'uses-example.yaml': `name: title-stats
inputs:
  title: { type: string, default: "Crème brûlée: 5 facts you didn't know! Really." }
steps:
  - id: stats
    uses: example.wordCount
    with: { text: "\${{ inputs.title }}" }
  - id: slug
    uses: mpv2-plugin-example/example.slug
    with: { text: "\${{ inputs.title }}", maxLength: 30 }
outputs:
  words: \${{ steps.stats.outputs.words }}
  sentences: \${{ steps.stats.outputs.sentences }}
  slug: \${{ steps.slug.outputs.slug }}
`,
    'typo.yaml': 'name: typo\nsteps:\n  - id: s\n    uses: example.wordCount\n    with: { text: hi }\n  - id: t\n    uses: core.log\n    with: { message: "${{ steps.s.outputs.wrods }}" }\n',
    'uses-broken.yaml': 'name: broken\nsteps:\n  - id: x\n    uses: broken.thing\n    with: {}\n',
  });
  // the package's only dependency is mpv2, an optional peer (the running mpv2 serves `mpv2/plugin`), so an offline install works
  await run('npm', ['install', tarball, '--no-audit', '--no-fund', '--offline', '--ignore-scripts'], { cwd: p.root });
  // written after the install (npm prunes packages package.json does not list)
  p.write('node_modules/mpv2-plugin-broken/package.json', '{ "name": "mpv2-plugin-broken", "version": "0.0.1", "type": "module", "main": "index.js" }\n');
  p.write('node_modules/mpv2-plugin-broken/index.js', "throw new Error('broken on purpose');\n");
});
afterAll(() => {
  p?.remove();
  rmSync(packDir, { recursive: true, force: true });
});

describe('third-party plugin package', () => {
  it('installed from its tarball, found in node_modules and run by bare id and by package/id', async () => {
    const r = await p.cli(['run', 'uses-example.yaml', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const evs = events(r.stdout);
    expect(evs.find((e) => e.event === 'step.started' && e.stepId === 'slug')).toMatchObject({ plugin: 'example.slug' });
    expect(evs.at(-1)).toMatchObject({ event: 'run.finished', status: 'succeeded', outputs: { words: 8, sentences: 2, slug: 'creme-brulee-5-facts-you-didn' } });
  });

  it('its output schema is used by validation (did-you-mean on a wrong field)', async () => {
    const r = await p.cli(['validate', 'typo.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/example\.wordCount has no "wrods".*did you mean "words"/);
  });

  it('a broken plugin package: pipelines that do not use it run; one that does names the broken module', async () => {
    const ok = await p.cli(['run', 'uses-example.yaml']);
    expect(ok.code, ok.stderr).toBe(0);
    const r = await p.cli(['run', 'uses-broken.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/E_PLUGIN_NOT_FOUND/);
    expect(r.stderr).toMatch(/mpv2-plugin-broken/);
  });
});
