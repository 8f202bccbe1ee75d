/**
 * Issue 14 item 3: a package adds `mpv2 <namespace> <command>` the way the built-ins add
 * theirs (`export const namespace = defineNamespace({ commands })`), and declares its config
 * section and the environment variable that fills it. A package in a temp project's
 * node_modules, importing `mpv2/plugin` as any third party would.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, json, makeProject, mpv2, REPO } from './cli-harness.js';

const PLUGIN = `import { Args, Flags, defineNamespace, definePlugin } from 'mpv2/plugin';

export default [definePlugin({
  id: 'acme.count', version: '1.0.0', description: 'counts its runs',
  async run(ctx) {
    const n = ((await ctx.store.get('n')) ?? 0) + 1;
    await ctx.store.set('n', n);
    return { n };
  },
})];

export const namespace = defineNamespace({
  namespace: 'acme',
  description: 'Acme counters',
  config: { schema: { type: 'object', additionalProperties: false, properties: { token: { type: 'string', writeOnly: true } } }, env: { ACME_TOKEN: 'token' } },
  commands: {
    count: {
      summary: 'Show how often acme.count ran',
      description: 'Reads the count acme.count keeps in the project.',
      examples: ['<%= config.bin %> acme count runs --twice'],
      args: { label: Args.string({ description: 'What to call it', required: false }) },
      flags: { twice: Flags.boolean({ description: 'Double it', default: false }) },
      async run(ctx, { args, flags }) {
        const n = (await ctx.store.get('n')) ?? 0;
        ctx.log(\`\${args.label ?? 'count'}: \${flags.twice ? n * 2 : n}\`);
      },
    },
    // a careless command that prints what it should not
    leak: { summary: 'Print the token', async run(ctx) { ctx.log(\`token=\${process.env.ACME_TOKEN}\`); } },
    // its own config and secrets, as its steps see them; another namespace's secret is refused
    auth: {
      summary: 'Say whether the token is set',
      flags: { peek: Flags.string({ description: 'Another secret to read' }) },
      async run(ctx, { flags }) {
        ctx.log(\`token \${ctx.config.token === ctx.secrets.ACME_TOKEN && ctx.config.token ? 'set' : 'unset'}\`);
        if (flags.peek) ctx.log(\`peeked \${ctx.secrets[flags.peek]}\`);
      },
    },
  },
});
`;

let root: string;
beforeAll(async () => {
  await ensureBuilt();
  root = makeProject({
    'node_modules/mpv2-plugin-acme/package.json': JSON.stringify({ name: 'mpv2-plugin-acme', version: '1.0.0', type: 'module', main: 'index.js' }),
    'node_modules/mpv2-plugin-acme/index.js': PLUGIN,
    'count.yaml': 'name: count\nsteps:\n  - id: c\n    uses: acme.count\n    cache: false\n',
  });
  // the package finds `mpv2/plugin` as it would once mpv2 is installed in the project
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  symlinkSync(REPO, join(root, 'node_modules', 'mpv2'), 'dir');
}, 300_000);

describe('a contributed command', () => {
  it('runs with its args and flags and sees its namespace store', async () => {
    const before = await mpv2(['acme', 'count', 'runs', '--twice'], { cwd: root });
    expect(before.stderr).toBe('');
    expect(before.stdout).toBe('runs: 0\n');
    for (let i = 0; i < 2; i++) expect((await mpv2(['run', 'count.yaml'], { cwd: root })).code).toBe(0);
    const after = await mpv2(['acme', 'count'], { cwd: root });
    expect(after).toMatchObject({ code: 0, stdout: 'count: 2\n' });
  }, 120_000);

  it('has help of its own, and the root help lists its namespace', async () => {
    const help = await mpv2(['acme', 'count', '--help'], { cwd: root });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Show how often acme.count ran');
    expect(help.stdout).toMatch(/--twice\s+Double it/);
    expect(help.stdout).toContain('$ mpv2 acme count runs --twice');
    const top = await mpv2(['--help'], { cwd: root });
    expect(top.stdout).toMatch(/acme\s+Acme counters/);
    // the built-ins' commands are listed the same way
    expect(top.stdout).toMatch(/outreach\s+Email outreach/);
    const ns = await mpv2(['acme', '--help'], { cwd: root });
    expect(ns.stdout).toMatch(/acme count\s+Show how often/);
  }, 120_000);

  it('an unknown command of a namespace or an unknown namespace is a usage error (exit 2)', async () => {
    const wrongFlag = await mpv2(['acme', 'count', '--thrice'], { cwd: root });
    expect(wrongFlag.code).toBe(2);
    expect(wrongFlag.stderr).toContain('--thrice');
    const nope = await mpv2(['acme', 'nope'], { cwd: root });
    expect(nope.code).toBe(2);
    expect(nope.stderr).toContain('command acme nope not found');
    expect(nope.stdout).toMatch(/acme count\s+Show how often/);
    const none = await mpv2(['nosuch', 'thing'], { cwd: root });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('command nosuch thing not found');
  }, 120_000);

  it("the namespace's variable fills its setting and is a secret", async () => {
    const r = json<{ values: Array<{ path: string; value: unknown; origin: string }> }>(await mpv2(['config', 'show', '--json'], { cwd: root, env: { ACME_TOKEN: 'acme-secret-123' } }));
    expect(JSON.stringify(r)).not.toContain('acme-secret-123');
    expect(r.values.find((x) => x.path === 'acme.token')).toEqual({ path: 'acme.token', value: '[REDACTED]', origin: 'env ACME_TOKEN' });
    // what a contributed command prints is redacted like mpv2's own output
    const leak = await mpv2(['acme', 'leak'], { cwd: root, env: { ACME_TOKEN: 'acme-secret-123' } });
    expect(leak).toMatchObject({ code: 0, stdout: 'token=[REDACTED]\n' });
  }, 120_000);

  it("gets its namespace's config and secrets, and not another namespace's", async () => {
    const env = { ACME_TOKEN: 'acme-secret-123', YOUTUBE_API_KEY: 'yt-key-456789' };
    expect(await mpv2(['acme', 'auth'], { cwd: root, env })).toMatchObject({ code: 0, stdout: 'token set\n' });
    expect(await mpv2(['acme', 'auth'], { cwd: root })).toMatchObject({ code: 0, stdout: 'token unset\n' });
    const peek = await mpv2(['acme', 'auth', '--peek', 'YOUTUBE_API_KEY'], { cwd: root, env });
    expect(peek.code).toBe(1);
    expect(peek.stderr).toContain('E_PLUGIN_PERMISSION');
    expect(peek.stderr).toContain('YOUTUBE_API_KEY');
    expect(peek.stdout + peek.stderr).not.toContain('yt-key-456789');
    const own = await mpv2(['acme', 'auth', '--peek', 'MPV2_MASTER_KEY'], { cwd: root, env: { ...env, MPV2_MASTER_KEY: 'm'.repeat(64) } });
    expect(own.stderr).toContain("mpv2's own");
  }, 120_000);
});
