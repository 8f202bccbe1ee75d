/**
 * Issue 14 item 7: the example plugin package is what a third party ships. Packed with
 * `npm pack`, installed into a fresh project with `mpv2 plugins install <tgz>` (no scripts, no
 * network: its only dependency is the optional peer mpv2), it runs a step in a pipeline and its own
 * `mpv2 example count` command. A variant written here, installed the same way, reads other
 * namespaces' secrets and config and gets E_PLUGIN_PERMISSION naming the missing declaration,
 * never the value.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, json, makeProject, mpv2, REPO } from './cli-harness.js';

const EXAMPLE = join(REPO, 'examples', 'mpv2-plugin-example');

const STATS = `name: stats
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
  seconds: \${{ steps.stats.outputs.readingSeconds }}
  slug: \${{ steps.slug.outputs.slug }}
`;

/** A plugin that reads what it was not given, as a careless (or nosy) package would. */
const NOSY = `import { definePlugin } from 'mpv2/plugin';
export default [definePlugin({
  id: 'nosy.peek', version: '1.0.0', description: 'reads a secret or a config section',
  input: { type: 'object', required: ['read', 'name'], properties: { read: { enum: ['secret', 'config'] }, name: { type: 'string' } } },
  async run(ctx, input) {
    const value = input.read === 'secret' ? ctx.secrets[input.name] : ctx.configOf(input.name);
    return { found: value !== undefined };
  },
})];
`;

const peek = (read: string, name: string, then = '') => `name: peek\nsteps:\n  - id: p\n    uses: nosy.peek\n    cache: false\n    with: { read: ${read}, name: ${name} }\n${then}`;

/**
 * The pipeline also has a step of the namespace that owns the secret (as a real one that
 * counts words and uploads would), so that namespace is loaded and its variable mapped; the
 * step never runs.
 */
const after = (uses: string, withValue: string) => `  - id: then\n    uses: ${uses}\n    if: \${{ steps.p.outputs.found }}\n    with: ${withValue}\n`;
const YOUTUBE_STEP = after('youtube.upload', '{ video: clip.mp4, title: Hello }');
const TWITTER_STEP = after('twitter.post', '{ text: Hello }');
const OUTREACH_STEP = after('outreach.send', '{ campaign: c, leads: [] }');

const SECRET_ENV = {
  YOUTUBE_API_KEY: 'yt-key-0001',
  X_ACCESS_TOKEN: 'x-token-0002',
  SMTP_PASSWORD: 'smtp-pass-0003',
};

function pack(dir: string): string {
  const out = mkdtempSync(join(tmpdir(), 'mpv2-pack-'));
  const r = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', out], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
  return join(out, readdirSync(out).find((f) => f.endsWith('.tgz'))!);
}

let root: string;
beforeAll(async () => {
  await ensureBuilt();
  root = makeProject({
    'stats.yaml': STATS,
    'script.txt': 'One small step. Then another one!\nAnd a last line',
    'peek-youtube-key.yaml': peek('secret', 'YOUTUBE_API_KEY', YOUTUBE_STEP),
    'peek-x-token.yaml': peek('secret', 'X_ACCESS_TOKEN', TWITTER_STEP),
    'peek-smtp.yaml': peek('secret', 'SMTP_PASSWORD', OUTREACH_STEP),
    'peek-alone.yaml': peek('secret', 'X_ACCESS_TOKEN'),
    'peek-outreach.yaml': peek('config', 'outreach'),
    'peek-youtube.yaml': peek('config', 'youtube'),
    'mpv2.config.yaml': 'outreach:\n  smtp:\n    host: smtp.example.com\n',
  });
  const install = await mpv2(['plugins', 'install', pack(EXAMPLE)], { cwd: root });
  expect(install.code, install.stderr).toBe(0);
  expect(install.stdout).toMatch(/example\.wordCount 1\.1\.0 .*\n    may read: /);

  const nosy = mkdtempSync(join(tmpdir(), 'mpv2-plugin-nosy-'));
  writeFileSync(join(nosy, 'package.json'), JSON.stringify({ name: 'mpv2-plugin-nosy', version: '1.0.0', type: 'module', main: 'index.js', peerDependencies: { mpv2: '>=0.1.0' }, peerDependenciesMeta: { mpv2: { optional: true } } }));
  writeFileSync(join(nosy, 'index.js'), NOSY);
  const nosyInstall = await mpv2(['plugins', 'install', pack(nosy)], { cwd: root });
  expect(nosyInstall.code, nosyInstall.stderr).toBe(0);
}, 300_000);

describe('the example plugin, packed and installed', () => {
  it('runs its steps in a pipeline, by bare id and by package/id; its env variable sets its config (EXAMPLE_SLUG_SEPARATOR)', async () => {
    const r = json<{ status: string; outputs: Record<string, unknown> }>(await mpv2(['run', 'stats.yaml', '--json', '--no-cache'], { cwd: root }).then((x) => ({ ...x, stdout: x.stdout.trim().split('\n').at(-1)! })));
    expect(r).toMatchObject({ status: 'succeeded', outputs: { words: 8, seconds: 3.2, slug: 'creme-brulee-5-facts-you-didn' } });
    const under = json<{ outputs: Record<string, unknown> }>(await mpv2(['run', 'stats.yaml', '--json', '--no-cache'], { cwd: root, env: { EXAMPLE_SLUG_SEPARATOR: '_' } }).then((x) => ({ ...x, stdout: x.stdout.trim().split('\n').at(-1)! })));
    expect(under.outputs).toMatchObject({ words: 8, slug: 'creme_brulee_5_facts_you_didn' });
  }, 120_000);

  it('adds `mpv2 example count` with flags, help and its namespaced error', async () => {
    expect(await mpv2(['example', 'count', 'script.txt', '--wpm', '60'], { cwd: root }))
      .toMatchObject({ code: 0, stdout: 'script.txt: 10 words, 3 sentences, 10s to read\n' });
    const help = await mpv2(['example', 'count', '--help'], { cwd: root });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Count the words of a text file');
    expect(help.stdout).toMatch(/--min-words=<value>\s+Fail with example\/TOO_FEW_WORDS/);
    const short = await mpv2(['example', 'count', 'script.txt', '--min-words', '50'], { cwd: root });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('example/TOO_FEW_WORDS');
    expect(short.stderr).toContain('script.txt has 10 words, fewer than the 50 asked for');
    expect(short.stderr).toMatch(/lower minWords/);
  }, 120_000);

  it('`mpv2 plugins list` shows the installed plugins', async () => {
    const r = await mpv2(['plugins', 'list'], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/example\.wordCount/);
    expect(r.stdout).toMatch(/nosy\.peek/);
  }, 120_000);
});

describe('mpv2/plugin comes from the running mpv2', () => {
  it('a project without mpv2 in its node_modules installs the package (the optional peer is not fetched) and runs it', async () => {
    const bare = makeProject({ 'stats.yaml': STATS, 'script.txt': 'Two words.' });
    const install = await mpv2(['plugins', 'install', pack(EXAMPLE)], { cwd: bare });
    expect(install.code, install.stderr).toBe(0);
    expect(existsSync(join(bare, 'node_modules', 'mpv2'))).toBe(false);
    const r = await mpv2(['run', 'stats.yaml'], { cwd: bare });
    expect(r.code, r.stderr).toBe(0);
    expect(await mpv2(['example', 'count', 'script.txt'], { cwd: bare })).toMatchObject({ code: 0, stdout: 'script.txt: 2 words, 1 sentences, 0.8s to read\n' });
  }, 120_000);
});

describe("a plugin that reads YouTube's, X's or outreach's secrets or config without declaring them", () => {
  for (const [file, name, owner] of [
    ['peek-youtube-key.yaml', 'YOUTUBE_API_KEY', 'youtube'],
    ['peek-x-token.yaml', 'X_ACCESS_TOKEN', 'twitter'],
    ['peek-smtp.yaml', 'SMTP_PASSWORD', 'outreach'],
  ] as const) {
    it(`the secret ${name} is E_PLUGIN_PERMISSION naming the missing declaration, not the value`, async () => {
      const r = await mpv2(['run', file], { cwd: root, env: SECRET_ENV });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('E_PLUGIN_PERMISSION');
      expect(r.stderr).toContain(`nosy.peek read the secret ${name}, which belongs to the ${owner} namespace`);
      expect(r.stderr).toContain(`secrets: ['${name}']`);
      for (const v of Object.values(SECRET_ENV)) expect(r.stdout + r.stderr).not.toContain(v);
    }, 120_000);
  }

  it('a secret set for a namespace the run does not load is still refused, naming the declaration, not the value', async () => {
    const r = await mpv2(['run', 'peek-alone.yaml', '--json'], { cwd: root, env: SECRET_ENV });
    expect(r.code).not.toBe(0);
    const failed = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; error?: { code: string; message: string } }).find((e) => e.event === 'step.failed');
    expect(failed?.error?.code).toBe('E_PLUGIN_PERMISSION');
    expect(failed?.error?.message).toMatch(/nosy\.peek read the secret \w+, which is not its namespace's, without declaring it/);
    for (const v of Object.values(SECRET_ENV)) expect(r.stdout + r.stderr).not.toContain(v);
  }, 120_000);

  for (const ns of ['outreach', 'youtube']) {
    it(`the ${ns} config is E_PLUGIN_PERMISSION naming \`uses\``, async () => {
      const r = await mpv2(['run', `peek-${ns}.yaml`], { cwd: root, env: SECRET_ENV });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('E_PLUGIN_PERMISSION');
      expect(r.stderr).toContain(`read the config of the ${ns} namespace without declaring it`);
      expect(r.stderr).toContain(`uses: ['${ns}']`);
      for (const v of Object.values(SECRET_ENV)) expect(r.stdout + r.stderr).not.toContain(v);
    }, 120_000);
  }
});
