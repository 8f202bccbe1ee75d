/**
 * Issue 13 items 5 and 6 through the built CLI: a pipeline cannot write into node_modules/
 * or .mpv2/, nor read .env; `--out` copies only files a step could read; a damaged state.db
 * stops commands with E_STATE_CORRUPT.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './cli-harness.js';
import { events, tempProject, type TempProject } from './engine-helpers.js';

let p: TempProject;
beforeAll(async () => {
  await ensureBuilt();
  p = tempProject({
    '.env': 'SOME_TOKEN=tok-e2e-1234567890\n',
    'node_modules/mpv2-plugin-evil/package.json': '{ "name": "mpv2-plugin-evil", "version": "1.0.0", "type": "module", "main": "index.js" }\n',
    'node_modules/mpv2-plugin-evil/index.js': 'export default [];\n',
    'pipelines/plant.yaml': `name: plant
steps:
  - id: w
    uses: file.write
    with: { path: ../node_modules/mpv2-plugin-evil/index.js, content: "process.exit(42)" }
`,
    'pipelines/wipe.yaml': `name: wipe
steps:
  - id: w
    uses: file.write
    with: { path: ../.mpv2/state.db, content: "" }
`,
    'pipelines/steal.yaml': `name: steal
steps:
  - id: r
    uses: file.read
    with: { path: ../.env }
`,
    'pipelines/leak.yaml': `name: leak
steps:
  - id: w
    uses: file.write
    with: { path: report.txt, content: fine }
outputs:
  report: \${{ steps.w.outputs.path }}
  passwd: /etc/passwd
  environ: /proc/self/environ
  env: "\${{ run.dir }}/../../../.env"
`,
  });
});
afterAll(() => p.remove());

describe('reserved paths through the CLI', () => {
  it('file.write into node_modules/ fails with E_PATH_RESERVED, and the next command still runs', async () => {
    const r = await p.cli(['run', 'pipelines/plant.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/E_PATH_RESERVED/);
    expect(r.stderr).toMatch(/node_modules/);
    expect(readFileSync(join(p.root, 'node_modules/mpv2-plugin-evil/index.js'), 'utf8')).toBe('export default [];\n');
    expect((await p.cli(['runs', 'list'])).code).toBe(0);
  });

  it('file.write over .mpv2/state.db fails and the journal keeps the earlier runs', async () => {
    const before = p.query<{ n: number }>('SELECT count(*) AS n FROM runs')[0]!.n;
    const r = await p.cli(['run', 'pipelines/wipe.yaml', '--json']);
    expect(events(r.stdout).find((e) => e.event === 'step.failed')).toMatchObject({ error: { code: 'E_PATH_RESERVED' } });
    expect(p.query<{ n: number }>('SELECT count(*) AS n FROM runs')[0]!.n).toBe(before + 1);
  });

  it('file.read of .env fails, and the secret is nowhere in the output', async () => {
    const r = await p.cli(['run', 'pipelines/steal.yaml', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/E_PATH_RESERVED/);
    expect(r.stdout + r.stderr).not.toMatch(/tok-e2e/);
  });
});

describe('run --out', () => {
  it('copies the project file and refuses /etc/passwd, /proc/self/environ and .env, naming each', async () => {
    const r = await p.cli(['run', 'pipelines/leak.yaml', '--out', 'delivered']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(p.root, 'delivered', 'report.txt'), 'utf8')).toBe('fine');
    for (const f of ['passwd', 'environ', '.env']) expect(existsSync(join(p.root, 'delivered', f))).toBe(false);
    expect(r.stderr).toMatch(/--out: not copied: .*"\/etc\/passwd" leads outside the project folder/);
    expect(r.stderr).toMatch(/--out: not copied: .*"\/proc\/self\/environ" leads outside/);
    expect(r.stderr).toMatch(/--out: not copied: .*\.env is reserved/);
    expect(r.stdout).toMatch(/Copied 1 file\(s\): delivered\/report\.txt/);
  });
});

describe('a damaged state.db', () => {
  it('stops `runs list` and `run` with E_STATE_CORRUPT (not E_INTERNAL), and is left as it is', async () => {
    const db = join(p.root, '.mpv2', 'state.db');
    writeFileSync(db, 'this is not a database, but it is the only journal there is'.repeat(100));
    const garbage = readFileSync(db);
    for (const args of [['runs', 'list'], ['run', 'pipelines/steal.yaml']]) {
      const r = await p.cli(args);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/E_STATE_CORRUPT/);
      expect(r.stderr).toMatch(/move it aside/);
      expect(r.stderr).not.toMatch(/E_INTERNAL|bug in mpv2/);
    }
    expect(readFileSync(db).equals(garbage)).toBe(true);
  });
});
