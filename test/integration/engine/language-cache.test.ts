/**
 * The step's language is part of the step cache key: the same step in another language is a
 * new result (tts.speak picks another voice), not the cached one of the first language.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openProject } from '../../../src/engine/project.js';
import { executePrepared, prepareRun } from '../../../src/engine/run.js';

const root = mkdtempSync(join(tmpdir(), 'mpv2-language-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(language: string) {
  writeFileSync(join(root, 'pipelines', 'speak.yaml'), `name: speak\nlanguage: ${language}\nsteps:\n  - id: voice\n    uses: tts.speak\n    with: { text: "un deux" }\noutputs:\n  voice: \${{ steps.voice.outputs.voice }}\n`);
  const project = await openProject({ cwd: root, env: {} });
  try {
    const req = { project, cwd: root, file: 'pipelines/speak.yaml', inputs: {}, signal: new AbortController().signal, sink: () => {} };
    const out = await executePrepared(req, await prepareRun(req));
    expect(out.result.error?.message).toBeUndefined();
    return out.result.outputs!.voice;
  } finally {
    project.close();
  }
}

it('a step in another language misses the step cache; the same language hits it', async () => {
  writeFileSync(join(root, 'package.json'), '{"name":"p","private":true}');
  mkdirSync(join(root, 'pipelines'));
  expect(await run('fr')).toBe('fr');
  expect(await run('de')).toBe('de');
  expect(await run('fr')).toBe('fr');
}, 60_000);
