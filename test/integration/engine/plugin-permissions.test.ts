/**
 * Least privilege, enforced by the engine: a third-party plugin (a local package of the
 * project) sees its own namespace's config and secrets, the namespaces it declares in `uses`
 * (their services, and their config without secrets), and the credentials of the account
 * platforms it brings. Reading anything else is E_PLUGIN_PERMISSION naming the missing
 * declaration, and the value appears nowhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessLine, listPlugins } from '../../../src/engine/admin/plugins-report.js';
import { addAccount, openAccounts } from '../../../src/infra/accounts/index.js';
import { youtubeAccountType } from '../../../plugins/youtube/account-type.js';
import { startLlmServer, type LlmServer } from '../../servers/llm.js';
import { makeProject, type TestProject } from './harness.js';

const SPY = `
const read = (id, run, extra = {}) => ({ id, version: '1.0.0', description: id, pure: false, input: { type: 'object' }, ...extra, run });
export default [
  read('spy.secret', async (ctx, input) => ({ value: ctx.secrets[input.name] ?? null })),
  read('spy.ownSecrets', async (ctx) => ({ names: Object.keys(ctx.secrets).sort(), config: ctx.config }), {
    config: { type: 'object', properties: { token: { type: 'string', writeOnly: true }, greeting: { type: 'string' } } },
    accountTypes: [{ platform: 'spyhub', description: 'spy accounts', schema: { type: 'object', properties: { key: { type: 'string', writeOnly: true } } } }],
  }),
  read('spy.config', async (ctx, input) => ({ value: ctx.configOf(input.ns) })),
  read('spy.credentials', async (ctx, input) => ({ value: await ctx.accounts.credentials(input.account) })),
  read('spy.pick', async (ctx, input) => ({ value: (await ctx.accounts.resolve(input.spec)).name })),
  read('spy.count', async (ctx, input) => ({ value: await ctx.accounts[input.method](input.account) })),
  read('spy.complete', async (ctx) => ({ value: await ctx.services.llm.complete({ messages: [{ role: 'user', content: 'hi' }], stream: false }) })),
  read('spy.llmConfig', async (ctx) => ({ value: ctx.configOf('llm') }), { uses: ['llm'] }),
  read('spy.llmService', async (ctx) => {
    const r = await ctx.services.llm.complete({ messages: [{ role: 'user', content: 'hi' }], stream: false });
    return { text: r.text, provider: r.provider };
  }, { uses: ['llm'] }),
  // the head only: a whole secret in the outputs would be redacted
  read('spy.watch', async (ctx) => {
    // a leaky plugin: watches its HTTP client while the llm service runs
    const seen = [];
    ctx.http.interceptors.request.use((c) => { seen.push(String(c.headers?.Authorization ?? c.headers?.authorization ?? '')); return c; });
    const patched = [];
    ctx.log.info = (m) => patched.push(m);
    await ctx.services.llm.complete({ messages: [{ role: 'user', content: 'hi' }], stream: false, cacheTtl: false });
    return { seen, patched };
  }, { uses: ['llm'] }),
  read('spy.declared', async (ctx) => ({ head: ctx.secrets.OPENAI_API_KEY.slice(0, 7) }), { secrets: ['OPENAI_API_KEY'] }),
];
`;

/** A second package that claims the youtube platform for itself. */
const CLAIM = `
export default [{
  id: 'claim.credentials', version: '1.0.0', description: 'claims youtube accounts', pure: false, input: { type: 'object' },
  accountTypes: [{ platform: 'youtube', description: 'not really', schema: { type: 'object' } }],
  async run(ctx, input) { return { value: await ctx.accounts.credentials(input.account) }; },
}];
`;

const SECRETS = {
  YOUTUBE_API_KEY: 'yt-secret-value-1',
  X_API_KEY: 'x-secret-value-2',
  SMTP_PASSWORD: 'smtp-secret-value-3',
  MPV2_MASTER_KEY: 'master-secret-value-4',
  OPENAI_API_KEY: 'openai-secret-value-5',
  REDIS_URL: 'redis://:redis-secret-value-6@127.0.0.1:1',
  MPV2_SERVE_TOKEN: 'serve-token-secret-value-8',
};
const LLM_KEY = 'llm-config-secret-7';
const ALL_SECRET_VALUES = [...Object.values(SECRETS), LLM_KEY, 'spy-token-8', 'youtube-client-secret-9'];

let p: TestProject;
let llm: LlmServer;
beforeAll(async () => {
  llm = await startLlmServer({ apiKey: LLM_KEY, responder: () => ({ text: 'hello from the llm' }) });
  const step = (uses: string, w = '') => `name: t\nsteps:\n  - id: s\n    uses: ${uses}\n${w ? `    with: ${w}\n` : ''}`;
  p = await makeProject({
    'local/spy/package.json': JSON.stringify({ name: 'spy', version: '1.0.0', type: 'module', main: 'index.js' }),
    'local/spy/index.js': SPY,
    'local/claim/package.json': JSON.stringify({ name: 'claim', version: '1.0.0', type: 'module', main: 'index.js' }),
    'local/claim/index.js': CLAIM,
    '.mpv2rc.yaml': [
      'plugins: [./local/spy, ./local/claim]',
      'spy: { token: spy-token-8, greeting: hi }',
      `llm: { defaultProvider: local, providers: { local: { type: openai, baseUrl: "${llm.url}/v1", model: m, apiKey: ${LLM_KEY} } } }`,
      '',
    ].join('\n'),
    ...Object.fromEntries(Object.keys(SECRETS).map((k) => [`secret-${k}.yaml`, step('spy.secret', `{ name: ${k} }`)])),
    'secret-dotted.yaml': step('spy.secret', '{ name: llm.providers.local.apiKey }'),
    'secret-unknown.yaml': step('spy.secret', '{ name: NOBODY_SET_THIS }'),
    'own.yaml': step('spy.ownSecrets'),
    ...Object.fromEntries(['youtube', 'twitter', 'outreach', 'llm', 'queue'].map((ns) => [`config-${ns}.yaml`, step('spy.config', `{ ns: ${ns} }`)])),
    'credentials.yaml': step('spy.credentials', '{ account: chan }'),
    'own-credentials.yaml': step('spy.credentials', '{ account: mine }'),
    'claim.yaml': step('claim.credentials', '{ account: chan }'),
    'pick-name.yaml': step('spy.pick', '{ spec: chan }'),
    'pick-pool.yaml': step('spy.pick', '{ spec: { platform: youtube } }'),
    'pick-own.yaml': step('spy.pick', '{ spec: { platform: spyhub } }'),
    'uses-today.yaml': step('spy.count', '{ method: usesToday, account: chan }'),
    'record-use.yaml': step('spy.count', '{ method: recordUse, account: chan }'),
    'complete.yaml': step('spy.complete'),
    'llm-config.yaml': step('spy.llmConfig'),
    'llm-service.yaml': step('spy.llmService'),
    'declared.yaml': step('spy.declared'),
    'watch.yaml': step('spy.watch'),
  }, SECRETS);
  const accounts = openAccounts({ root: p.root, kv: p.project.state().kv, masterKey: SECRETS.MPV2_MASTER_KEY });
  await addAccount(accounts, youtubeAccountType, { name: 'chan', settings: { driver: 'api' }, secrets: { clientId: 'cid', clientSecret: 'youtube-client-secret-9' } });
  await addAccount(accounts, { platform: 'spyhub', description: 'spy accounts', schema: { type: 'object', properties: { key: { type: 'string', writeOnly: true } } } }, { name: 'mine', settings: {}, secrets: { key: 'spyhub-key-10' } });
});
afterAll(async () => { p.close(); await llm.close(); });

/** Runs a one-step pipeline; returns its failure, and checks no secret value left the step. */
async function failure(file: string) {
  const r = await p.run(file);
  const everything = JSON.stringify(r.events);
  for (const v of ALL_SECRET_VALUES) expect(everything).not.toContain(v);
  expect(r.result.status).toBe('failed');
  return r.of('step.failed', 's')[0]!.error;
}

describe('a plugin reads only its own namespace', () => {
  it.each([
    ['YOUTUBE_API_KEY', 'youtube'], ['X_API_KEY', 'twitter'], ['SMTP_PASSWORD', 'outreach'], ['OPENAI_API_KEY', 'llm'],
  ])('ctx.secrets.%s (the %s namespace\'s) is a clear error naming the declaration', async (name, owner) => {
    const e = await failure(`secret-${name}.yaml`);
    expect(e.code).toBe('E_PLUGIN_PERMISSION');
    // a variable several namespaces declare (OPENAI_API_KEY: llm, tts, media) names them all
    expect(e.message).toMatch(new RegExp(`^spy\\.secret read the secret ${name}, which belongs to the (\\w+, )*${owner}(, \\w+)* namespaces?, without declaring it$`));
    expect(e.hint).toContain(`secrets: ['${name}']`);
  });

  it.each(['MPV2_MASTER_KEY', 'REDIS_URL', 'MPV2_SERVE_TOKEN'])('mpv2\'s own %s is never given, declared or not', async (name) => {
    const e = await failure(`secret-${name}.yaml`);
    expect(e.code).toBe('E_PLUGIN_PERMISSION');
    expect(e.message).toContain('mpv2\'s own');
  });

  it('a secret of another namespace\'s config (llm.providers.*.apiKey) is refused too', async () => {
    const e = await failure('secret-dotted.yaml');
    expect(e).toMatchObject({ code: 'E_PLUGIN_PERMISSION', message: expect.stringContaining('belongs to the llm namespace') });
  });

  it('a name nobody set reads as unset; ctx.secrets and ctx.config list only the plugin\'s own', async () => {
    expect((await p.run('secret-unknown.yaml')).of('step.finished', 's')[0]!.outputs).toEqual({ value: null });
    const r = await p.run('own.yaml');
    const out = r.of('step.finished', 's')[0]!.outputs as { names: string[]; config: Record<string, unknown> };
    expect(out.names).toEqual(['spy.token']);
    expect(out.config).toMatchObject({ greeting: 'hi' });
  });

  it.each(['youtube', 'twitter', 'outreach', 'llm'])('ctx.configOf(\'%s\') without `uses` is a clear error, not the section', async (ns) => {
    const e = await failure(`config-${ns}.yaml`);
    expect(e).toMatchObject({ code: 'E_PLUGIN_PERMISSION', message: `spy.config read the config of the ${ns} namespace without declaring it` });
    expect(e.hint).toContain(`uses: ['${ns}']`);
  });

  it('mpv2\'s own config sections (queue) are never given', async () => {
    const e = await failure('config-queue.yaml');
    expect(e).toMatchObject({ code: 'E_PLUGIN_PERMISSION', message: expect.stringContaining('mpv2\'s own') });
  });

  it('the credentials of a youtube account go to youtube plugins only, even to a package claiming the platform', async () => {
    for (const file of ['credentials.yaml', 'claim.yaml']) {
      const e = await failure(file);
      expect(e.code).toBe('E_PLUGIN_PERMISSION');
      expect(e.message).toMatch(/read the credentials of youtube account "chan", but only the youtube plugins may/);
    }
  });

  it("another platform's accounts cannot be picked, listed by rotation or counted", async () => {
    for (const [file, act] of [
      ['pick-name.yaml', 'picked youtube account "chan"'],
      ['pick-pool.yaml', 'picked an account of the youtube platform'],
      ['uses-today.yaml', 'read the uses of youtube account "chan"'],
      ['record-use.yaml', 'counted a use of youtube account "chan"'],
    ] as const) {
      const e = await failure(file);
      expect(e.code, file).toBe('E_PLUGIN_PERMISSION');
      expect(e.message).toBe(`spy.${file.startsWith('pick') ? 'pick' : 'count'} ${act}, but only the youtube plugins may`);
    }
    const r = await p.run('pick-own.yaml');
    expect(r.of('step.finished', 's')[0]!.outputs).toEqual({ value: 'mine' });
  });

  it('the credentials of an account of the platform the plugin\'s namespace brings are its own', async () => {
    const r = await p.run('own-credentials.yaml');
    expect(r.of('step.finished', 's')[0]!.outputs).toEqual({ value: { key: '[REDACTED]' } });
  });

  it('a service of an undeclared namespace is refused before anything is called', async () => {
    const e = await failure('complete.yaml');
    expect(e).toMatchObject({ code: 'E_PLUGIN_PERMISSION', message: 'spy.complete called ctx.services.llm without declaring it' });
    expect(llm.requests).toHaveLength(0);
  });
});

describe('mpv2 plugins list shows what each plugin may read', () => {
  it('its namespace, declared uses and secrets, account platforms and the services its namespace offers', async () => {
    const { plugins } = await listPlugins(p.project.registry);
    const access = (id: string) => plugins.find((x) => x.id === id)!.access;
    expect(access('spy.llmConfig')).toEqual({ namespace: 'spy', uses: ['llm'], secrets: [], accounts: ['spyhub'], services: [] });
    expect(access('spy.declared')).toMatchObject({ secrets: ['OPENAI_API_KEY'] });
    expect(access('afm.campaign')).toMatchObject({ uses: ['llm'], secrets: [] });
    expect(access('outreach.send')).toMatchObject({ uses: ['llm'], accounts: ['email'] });
    expect(access('llm.generate')).toMatchObject({ uses: [], services: ['complete'] });
    expect(access('claim.credentials')).toMatchObject({ accounts: [], refusedAccounts: ['youtube'] });
    expect(accessLine(access('outreach.send'))).toBe('outreach config and secrets · uses llm · email account credentials');
  });
});

describe('what a plugin declares, it gets', () => {
  it('`uses: [\'llm\']`: the llm config, without its secrets', async () => {
    const r = await p.run('llm-config.yaml');
    const value = (r.of('step.finished', 's')[0]!.outputs as { value: { defaultProvider: string; providers: Record<string, Record<string, unknown>> } }).value;
    expect(value.defaultProvider).toBe('local');
    expect(value.providers.local).toMatchObject({ type: 'openai', model: 'm' });
    expect(value.providers.local).not.toHaveProperty('apiKey');
  });

  it('`uses: [\'llm\']`: ctx.services.llm.complete answers with the llm namespace\'s key, which the caller never sees', async () => {
    const r = await p.run('llm-service.yaml');
    expect(r.result.status).toBe('succeeded');
    expect(r.of('step.finished', 's')[0]!.outputs).toEqual({ text: 'hello from the llm', provider: 'local' });
    expect(llm.requests.at(-1)!.headers.authorization).toBe(`Bearer ${LLM_KEY}`);
  });

  it('the service has its own HTTP client and logger: the caller\'s interceptors and patches see nothing of it', async () => {
    const r = await p.run('watch.yaml');
    expect(r.result.status).toBe('succeeded');
    expect(llm.requests.at(-1)!.headers.authorization).toBe(`Bearer ${LLM_KEY}`);
    expect(r.of('step.finished', 's')[0]!.outputs).toEqual({ seen: [], patched: [] });
  });

  it('`secrets: [\'OPENAI_API_KEY\']`: that secret', async () => {
    const r = await p.run('declared.yaml');
    expect(r.result.status).toBe('succeeded');
    expect(r.of('step.finished', 's')[0]!.outputs).toEqual({ head: SECRETS.OPENAI_API_KEY.slice(0, 7) });
  });
});
