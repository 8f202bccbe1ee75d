/**
 * `mpv2 accounts …` as a subprocess, with a local plugin that declares an `acme` account type
 * and a step that rotates over acme accounts: add/list/show/remove/enable/disable, secrets
 * encrypted and never in logs, rotation and caps across runs, the pick kept on resume,
 * a wrong master key, and `accounts login` holding the profile lock until the browser ends.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createBrowserFactory, profileLockFile } from '../../src/infra/browser/index.js';
import { ensureBuilt, json, makeProject, mpv2 } from './cli-harness.js';

const KEY = 'e2e-master-key-0123456789';
const SECRET_A = 'pw-alpha-SECRET-7f3a';
const SECRET_B = 'pw-beta-SECRET-91c2';

const PLUGIN = `import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
export default [{
  id: 'acme.post', version: '1.0.0', description: 'Posts as an acme account (test)',
  input: { type: 'object', additionalProperties: false, properties: {
    account: { description: 'A name or a rotation spec', default: '' },
    failOnce: { type: 'boolean', description: 'Fail after the act, the first time only', default: false } } },
  output: { type: 'object', properties: { account: { type: 'string' } } },
  pure: false,
  accountTypes: [{ platform: 'acme', description: 'Acme (test)', browserLogin: true, schema: { type: 'object', additionalProperties: false, required: ['host', 'password'], properties: {
    host: { type: 'string', description: 'Server' },
    loginUrl: { type: 'string', description: 'Sign-in page' },
    password: { type: 'string', writeOnly: true, description: 'Password' } } } }],
  async run(ctx, input) {
    const a = await ctx.accounts.resolve(input.account === '' ? { platform: 'acme' } : input.account);
    const c = await ctx.accounts.credentials(a.name);
    ctx.log.info('posting as ' + a.name + ' with password ' + c.password);
    await ctx.accounts.recordUse(a.name);
    const marker = join(ctx.root, 'failed-once');
    if (input.failOnce && !existsSync(marker)) { writeFileSync(marker, a.name); throw new Error('crashed after posting as ' + a.name); }
    return { account: a.name };
  },
}];
`;

const pipeline = (withBlock: string) => `name: post\nsteps:\n  - id: post\n    uses: acme.post\n    with: ${withBlock}\noutputs:\n  account: \${{ steps.post.outputs.account }}\n`;

type Ev = { event: string; runId: string; outputs?: { account?: string }; status?: string; error?: { code: string; message: string } };
const events = (stdout: string) => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Ev);
const finished = (stdout: string) => events(stdout).find((e) => e.event === 'run.finished')!;

describe('mpv2 accounts', () => {
  let root: string;
  const env = { MPV2_MASTER_KEY: KEY };
  const cli = (args: string[], e: Record<string, string> = env) => mpv2(args, { cwd: root, env: e });

  beforeAll(async () => {
    await ensureBuilt();
    root = makeProject({
      '.mpv2rc.yaml': 'plugins:\n  - ./acme-plugin.mjs\n',
      'acme-plugin.mjs': PLUGIN,
      'rotate.yaml': pipeline('{}'),
      'named.yaml': pipeline('{ account: beta }'),
      'flaky.yaml': pipeline('{ failOnce: true }'),
    });
  }, 300_000);

  it('add: secrets encrypted in credentials.json (0600), missing fields and unknown platforms are clear errors', async () => {
    const a = await cli(['accounts', 'add', 'acme', '--name', 'alpha', '--niche', 'tech', '--set', 'host=a.example', '--secret', `password=${SECRET_A}`]);
    expect(a.stderr).toBe('');
    expect(a.stdout).toContain('✔ Added acme account "alpha" with secret(s) password.');
    expect(a.stdout).toContain('mpv2 accounts login alpha');
    const b = await cli(['accounts', 'add', 'acme', '--name', 'beta', '--max-per-day', '1', '--set', 'host=b.example', '--set', `password=${SECRET_B}`]);
    expect(b.code).toBe(0);
    const file = join(root, '.mpv2', 'credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const raw = readFileSync(file, 'utf8');
    expect(raw).not.toContain(SECRET_A);
    expect(raw).not.toContain(SECRET_B);

    const missing = await cli(['accounts', 'add', 'acme', '--name', 'gamma', '--set', 'host=g']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('E_USAGE');
    expect(missing.stderr).toContain('missing required acme field(s): password');
    expect(missing.stderr).toContain('--secret password=…');

    const unknown = await cli(['accounts', 'add', 'acmee', '--name', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown account platform "acmee" (did you mean "acme"?)');
    expect(unknown.stderr).toMatch(/known platforms: .*acme/);
  });

  it('list and show: no secrets, uses / cap, encryption status', async () => {
    const list = json<{ accounts: Array<{ name: string; maxPerDay?: number; usesToday: number; secretKeys: string[] }>; credentials: { encrypted: boolean; mode: string } }>(await cli(['accounts', 'list', '--json']));
    expect(list.accounts.map((a) => [a.name, a.maxPerDay ?? null, a.usesToday, a.secretKeys])).toEqual([['alpha', null, 0, ['password']], ['beta', 1, 0, ['password']]]);
    expect(list.credentials).toMatchObject({ encrypted: true, mode: '0600' });
    const text = await cli(['accounts', 'list']);
    expect(text.stdout).toMatch(/alpha\s+acme\s+tech\s+-\s+0\/∞\s+ok/);
    expect(text.stdout).toContain('encrypted (AES-256-GCM)');
    const show = await cli(['accounts', 'show', 'alpha']);
    expect(show.stdout).toContain('password');
    expect(show.stdout).toContain('[REDACTED]');
    expect(show.stdout).not.toContain(SECRET_A);
    expect(show.stdout).toContain(join(root, '.mpv2', 'profiles', 'alpha'));
  });

  it('runs rotate round-robin, honour the daily cap across runs, and never log a secret', async () => {
    const picks: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await cli(['run', 'rotate.yaml', '--json']);
      expect(finished(r.stdout)).toMatchObject({ status: 'succeeded' });
      picks.push(finished(r.stdout).outputs!.account!);
    }
    // beta (maxPerDay 1) is capped after its first use
    expect(picks).toEqual(['alpha', 'beta', 'alpha']);
    const named = await cli(['run', 'named.yaml', '--json']);
    expect(named.code).toBe(1);
    expect(events(named.stdout).find((e) => e.event === 'step.failed')).toMatchObject({ error: { code: 'E_ACCOUNT', message: expect.stringContaining('account "beta" cannot be used: capped (1/1 uses today, UTC; maxPerDay 1)') } });
    const logs = readdirSync(join(root, '.mpv2', 'logs')).map((f) => readFileSync(join(root, '.mpv2', 'logs', f), 'utf8')).join('\n');
    expect(logs).toContain('posting as alpha with password [REDACTED]');
    expect(logs).not.toContain(SECRET_A);
    expect(readFileSync(join(root, '.mpv2', 'state.db')).includes(Buffer.from(SECRET_A))).toBe(false);
    const list = json<{ accounts: Array<{ name: string; usesToday: number }> }>(await cli(['accounts', 'list', '--json']));
    expect(list.accounts.map((a) => [a.name, a.usesToday])).toEqual([['alpha', 2], ['beta', 1]]);
  });

  it('disable skips an account with its reason; enable brings it back', async () => {
    expect((await cli(['accounts', 'disable', 'alpha'])).stdout).toContain('is now disabled');
    const none = await cli(['run', 'rotate.yaml', '--json']);
    expect(events(none.stdout).find((e) => e.event === 'step.failed')!.error!.message).toBe('no usable acme account: "alpha" disabled; "beta" capped (1/1 uses today, UTC; maxPerDay 1)');
    expect((await cli(['accounts', 'enable', 'alpha'])).stdout).toContain('is now enabled');
  });

  it('a resumed run keeps the account it picked', async () => {
    await cli(['accounts', 'add', 'acme', '--name', 'beta', '--update', '--max-per-day', '5']);
    const first = await cli(['run', 'flaky.yaml', '--json']);
    expect(first.code).toBe(1);
    const runId = events(first.stdout)[0]!.runId;
    const picked = readFileSync(join(root, 'failed-once'), 'utf8');
    expect(picked).toBe('beta');
    // two other runs move the round-robin cursor on to beta: a fresh pick would now be alpha
    const between: string[] = [];
    for (let i = 0; i < 2; i++) between.push(finished((await cli(['run', 'rotate.yaml', '--json'])).stdout).outputs!.account!);
    expect(between).toEqual(['alpha', 'beta']);
    const resumed = await cli(['resume', runId, '--json']);
    expect(finished(resumed.stdout)).toMatchObject({ status: 'succeeded', outputs: { account: 'beta' } });
  });

  it('a different MPV2_MASTER_KEY is a clear E_MASTER_KEY in every command that opens the credentials', async () => {
    const wrong = { MPV2_MASTER_KEY: 'not-the-key' };
    const r = await cli(['run', 'named.yaml', '--json'], wrong);
    expect(events(r.stdout).find((e) => e.event === 'step.failed')!.error).toMatchObject({ code: 'E_MASTER_KEY', message: expect.stringContaining('MPV2_MASTER_KEY does not open') });
    // issue 13 item 12: these exited 0 without a word
    for (const args of [['accounts', 'list'], ['accounts', 'list', '--json'], ['accounts', 'show', 'alpha'], ['accounts', 'add', 'acme', '--name', 'gamma', '--set', 'host=g.example', '--secret', 'password=pw-gamma-0000']]) {
      const out = await cli(args, wrong);
      expect(out.code, args.join(' ')).toBe(2);
      expect(out.stderr, args.join(' ')).toMatch(/✖ E_MASTER_KEY\n\s+MPV2_MASTER_KEY does not open .*credentials\.json/);
      expect(out.stderr).toContain('Hint: set MPV2_MASTER_KEY');
      expect(out.stdout + out.stderr).not.toContain('not-the-key');
    }
    const doctor = await cli(['doctor', '--json'], wrong);
    expect(JSON.stringify(json(doctor))).toContain('does not open');
    const list = await cli(['accounts', 'list'], {});
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('MPV2_MASTER_KEY is not set');
  });

  it('remove asks for --yes without a terminal, then removes account and secrets', async () => {
    const refused = await cli(['accounts', 'remove', 'beta']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes');
    const ok = await cli(['accounts', 'remove', 'beta', '--yes']);
    expect(ok.stdout).toContain('✔ Removed account "beta".');
    const list = json<{ accounts: Array<{ name: string }> }>(await cli(['accounts', 'list', '--json']));
    expect(list.accounts.map((a) => a.name)).toEqual(['alpha']);
    expect(Object.keys((JSON.parse(readFileSync(join(root, '.mpv2', 'credentials.json'), 'utf8')) as { accounts: object }).accounts)).toEqual(['alpha']);
    expect((await cli(['accounts', 'show', 'beta'])).stderr).toContain('no account named "beta"');
  });

  it.skipIf(!existsSync('/usr/bin/chromium'))('login opens chromium on the profile (no WebDriver) and holds its lock until it ends', async () => {
    const hits: string[] = [];
    const server = createServer((req, res) => { hits.push(req.url ?? ''); res.end('<title>sign in</title>'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/signin`;
    const profileDir = join(root, '.mpv2', 'profiles', 'alpha');
    let pid = 0;
    const login = mpv2(['accounts', 'login', 'alpha', '--url', url, '--headless'], { cwd: root, env, onSpawn: (p) => { pid = p; } });
    try {
      await vi.waitFor(() => expect(hits).toContain('/signin'), { timeout: 20_000, interval: 100 });
      const ps = spawnSync('pgrep', ['-af', profileDir], { encoding: 'utf8' }).stdout;
      expect(ps).toContain(`--user-data-dir=${profileDir}`);
      expect(ps).not.toMatch(/--remote-debugging|--enable-automation/);
      const lock = JSON.parse(readFileSync(profileLockFile(join(root, '.mpv2', 'locks'), profileDir), 'utf8')) as { what: string };
      expect(lock.what).toBe('accounts login');
      const factory = createBrowserFactory({ locksDir: join(root, '.mpv2', 'locks'), log: { debug() {}, info() {}, warn() {} }, lockWaitMs: 0 });
      await expect(factory.open({ profileDir })).rejects.toMatchObject({ code: 'E_LOCKED', message: expect.stringContaining('(accounts login, since') });
    } finally {
      if (pid) process.kill(pid, 'SIGTERM');
    }
    const r = await login;
    await new Promise<void>((res) => server.close(() => res()));
    expect(r.code).toBe(143);
    expect(r.stderr).toContain(`Opening Chromium on ${profileDir} at ${url}`);
    await vi.waitFor(() => expect(spawnSync('pgrep', ['-f', profileDir], { encoding: 'utf8' }).stdout).toBe(''), { timeout: 15_000, interval: 50 });
    expect(existsSync(profileLockFile(join(root, '.mpv2', 'locks'), profileDir))).toBe(false);
  });
});
