/**
 * `accounts(platform)` and `steps.<id>.errors` through the engine: a foreach over the enabled
 * accounts of a plugin's platform (sorted, disabled ones left out, from the real accounts
 * store), each failed item's error redacted and aligned with the outputs, and a resume that sees
 * the first attempt's account list and item errors although an account was added meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneRuns } from '../../../src/engine/admin/runs-report.js';
import { addAccount, openAccounts, setDisabled, type AccountsHandle } from '../../../src/infra/accounts/index.js';
import type { AccountType } from '../../../src/plugin/types.js';
import { makeProject, type TestProject } from './harness.js';

const TYPE: AccountType = { platform: 'demohub', description: 'demo accounts', schema: { type: 'object', properties: {} } };

const PLUGIN = `
export default [{
  id: 'demohub.post', version: '1.0.0', description: 'posts as an account; fails for "bad" with the key in the message',
  input: { type: 'object', required: ['account', 'key'], properties: { account: { type: 'string' }, key: { type: 'string' } } },
  accountTypes: [${JSON.stringify(TYPE)}],
  pure: false,
  async run(ctx, input) {
    if (input.account === 'bad') throw new Error('login with ' + input.key + ' was refused');
    return { account: input.account };
  },
}];
`;

const PIPELINE = (extra: string) => `
name: each-account
steps:
  - id: post
    uses: demohub.post
    foreach: \${{ accounts('demohub') }}
    as: account
    continueOnError: true
    with: { account: "\${{ account }}", key: "\${{ secrets.OPENAI_API_KEY }}" }
${extra}
outputs:
  names: \${{ accounts('demohub') }}
  posts: \${{ steps.post.outputs }}
  errors: \${{ steps.post.errors }}
`;

let p: TestProject;
let accounts: AccountsHandle;
beforeAll(async () => {
  p = await makeProject({
    '.mpv2rc.yaml': 'plugins:\n  - ./local/demohub.mjs\n',
    'local/demohub.mjs': PLUGIN,
    'each.yaml': PIPELINE(''),
    'then-fail.yaml': PIPELINE('  - id: after\n    uses: file.read\n    with: { path: "later.txt" }\n    needs: [post]'),
    'no-foreach.yaml': 'name: nf\nsteps:\n  - id: s\n    uses: core.set\n    with: { v: 1 }\noutputs:\n  e: ${{ steps.s.errors }}\n',
    'typo.yaml': "name: typo\nsteps:\n  - id: s\n    uses: core.set\n    with: { v: \"${{ accounts('demohb') }}\" }\n",
  }, { OPENAI_API_KEY: 'sk-test-acct-5e1f0c', MPV2_MASTER_KEY: 'accounts-errors-master-key-01' });
  accounts = openAccounts({ root: p.root, kv: p.project.state().kv, masterKey: 'accounts-errors-master-key-01' });
  for (const name of ['zed', 'bad', 'amy', 'off']) await addAccount(accounts, TYPE, { name, settings: {}, secrets: {} });
  await setDisabled(accounts, 'off', true);
});
afterAll(() => p.close());

const FAILED = { code: 'E_PLUGIN_FAILED', message: expect.stringMatching(/^login with .+ was refused$/) };

describe('accounts() and steps.<id>.errors', () => {
  it('posts to every enabled account, sorted; the failed one is null in outputs and its redacted error sits at the same index', async () => {
    const r = await p.run('each.yaml');
    expect(r.result.status, JSON.stringify(r.result.error)).toBe('succeeded');
    const out = r.result.outputs as { names: string[]; posts: unknown[]; errors: unknown[] };
    expect(out.names).toEqual(['amy', 'bad', 'zed']);
    expect(out.posts).toEqual([{ account: 'amy' }, null, { account: 'zed' }]);
    expect(out.errors).toEqual([null, FAILED, null]);
    expect(JSON.stringify(out) + JSON.stringify(r.events)).not.toContain('acct-5e1f0c');
  });

  it('an unknown platform is E_EXPR_EVAL naming the near one', async () => {
    const r = await p.run('typo.yaml');
    expect(r.result.status).toBe('failed');
    expect(r.result.error).toMatchObject({ code: 'E_EXPR_EVAL', message: expect.stringMatching(/unknown platform 'demohb' \(did you mean `demohub`\?\)/) });
  });

  it('`errors` of a step without foreach is refused before anything runs', async () => {
    await expect(p.run('no-foreach.yaml')).rejects.toMatchObject({ message: expect.stringMatching(/reads `steps\.s\.errors`, but step "s" has no `foreach`/) });
  });

  it('a resume sees the first attempt\'s accounts and item errors, not an account added since', async () => {
    const first = await p.run('then-fail.yaml');
    expect(first.result.status).toBe('failed');
    await addAccount(accounts, TYPE, { name: 'new', settings: {}, secrets: {} });
    p.write('later.txt', 'now here\n');
    const resumed = await p.run('then-fail.yaml', { resume: first.runId });
    expect(resumed.result.status, JSON.stringify(resumed.result.error)).toBe('succeeded');
    const out = resumed.result.outputs as { names: string[]; posts: unknown[]; errors: unknown[] };
    expect(out.names).toEqual(['amy', 'bad', 'zed']);
    expect(out.posts).toEqual([{ account: 'amy' }, null, { account: 'zed' }]);
    expect(out.errors).toEqual([null, FAILED, null]);
    expect(JSON.stringify(out)).not.toContain('acct-5e1f0c');
    // a new run lists the account added meanwhile
    const fresh = await p.run('each.yaml');
    expect((fresh.result.outputs as { names: string[] }).names).toEqual(['amy', 'bad', 'new', 'zed']);
    // pruning a run drops its snapshot with it
    const kv = p.project.state().kv;
    expect(await kv.get('@run-accounts', first.runId)).toBeDefined();
    await pruneRuns(p.project.state(), 0);
    expect(await kv.get('@run-accounts', first.runId)).toBeUndefined();
  });
});
