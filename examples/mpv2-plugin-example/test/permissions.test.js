/**
 * Least privilege, as a plugin of this package meets it: its own config and the secrets it
 * declares are there; another namespace's secrets, config and account credentials are an
 * E_PLUGIN_PERMISSION error that names the missing declaration and never holds the value.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { definePlugin } from 'mpv2/plugin';
import { createTestContext } from 'mpv2/testing';
import namespace from '../namespace.js';

/** A step of the example namespace that reads whatever `with.read` names. */
const peek = (/** @type {Partial<import('mpv2/plugin').PluginDef>} */ more = {}) => definePlugin({
  id: 'example.peek', version: '1.0.0', description: 'reads what it is told to',
  input: { type: 'object', required: ['read'], properties: { read: { type: 'string' }, name: { type: 'string' } } },
  ...more,
  async run(ctx, /** @type {{ read: string, name: string }} */ input) {
    if (input.read === 'secret') return { value: ctx.secrets[input.name] ?? null };
    if (input.read === 'config') return { value: ctx.configOf(input.name) };
    return { value: await ctx.accounts.credentials(input.name) };
  },
});

const SECRETS = { SMTP_PASSWORD: 'smtp-pass-123', 'outreach.smtp.password': 'smtp-pass-123', X_ACCESS_TOKEN: 'x-token-456', MPV2_MASTER_KEY: 'master-789' };
const CONFIGS = { youtube: { privacyStatus: 'private' }, outreach: { smtp: { host: 'smtp.example.com', password: 'smtp-pass-123' } } };

/** @type {import('mpv2/testing').PluginTestContext[]} */
const open = [];
afterEach(async () => { for (const t of open.splice(0)) await t.close(); });
/** @param {import('mpv2/testing').TestContextOptions} opts */
const context = (opts) => { const t = createTestContext({ namespace, secrets: SECRETS, configs: CONFIGS, ...opts }); open.push(t); return t; };

/** Runs and returns the error, checking that no secret value is in it. */
async function refused(/** @type {import('mpv2/testing').PluginTestContext} */ t, /** @type {Record<string, unknown>} */ input) {
  const e = await t.run(input).then(() => { throw new Error('expected a permission error'); }, (err) => err);
  expect(e).toMatchObject({ code: 'E_PLUGIN_PERMISSION' });
  for (const v of ['smtp-pass-123', 'x-token-456', 'master-789']) expect(JSON.stringify({ m: e.message, h: e.hint })).not.toContain(v);
  return e;
}

describe('what a plugin of the example namespace may read', () => {
  it("another namespace's secret (X's token, the SMTP password) is refused, naming the declaration", async () => {
    const t = context({ plugin: peek() });
    const x = await refused(t, { read: 'secret', name: 'X_ACCESS_TOKEN' });
    expect(x.message).toMatch(/example\.peek read the secret X_ACCESS_TOKEN/);
    expect(x.hint).toMatch(/secrets: \['X_ACCESS_TOKEN'\]/);
    const smtp = await refused(t, { read: 'secret', name: 'outreach.smtp.password' });
    expect(smtp.message).toMatch(/belongs to the outreach namespace/);
    expect((await refused(t, { read: 'secret', name: 'MPV2_MASTER_KEY' })).message).toMatch(/mpv2's own/);
  });

  it('a declared secret is given', async () => {
    const t = context({ plugin: peek({ secrets: ['X_ACCESS_TOKEN'] }) });
    expect(await t.run({ read: 'secret', name: 'X_ACCESS_TOKEN' })).toEqual({ value: 'x-token-456' });
  });

  it("another namespace's config needs `uses`, and then comes without its secrets", async () => {
    const e = await refused(context({ plugin: peek() }), { read: 'config', name: 'youtube' });
    expect(e.message).toMatch(/read the config of the youtube namespace without declaring it/);
    expect(e.hint).toMatch(/uses: \['youtube'\]/);
    const t = context({ plugin: peek({ uses: ['outreach'] }) });
    expect(await t.run({ read: 'config', name: 'outreach' })).toEqual({ value: { smtp: { host: 'smtp.example.com' } } });
  });

  it("a YouTube account's credentials belong to the youtube plugins only", async () => {
    const t = context({ plugin: peek(), accounts: [{ name: 'channel', platform: 'youtube', settings: {}, secrets: { refreshToken: 'yt-refresh-000' } }] });
    const e = await refused(t, { read: 'account', name: 'channel' });
    expect(e.message).toMatch(/credentials of youtube account "channel"/);
    expect(e.message).not.toContain('yt-refresh-000');
  });
});
