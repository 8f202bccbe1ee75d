/**
 * `mpv2/testing` gives a plugin test what a run gives the plugin: the engine's ctx, inputs and
 * config with defaults, checked outputs, effect records with their real states, dry runs and events.
 * Written as a third-party package would write it: only `mpv2/plugin` and `mpv2/testing`.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { definePlugin, mpv2Error, notDone } from 'mpv2/plugin';
import { createTestContext, SkipStep } from 'mpv2/testing';

const greet = definePlugin<{ name: string; times: number }, { text: string }>({
  id: 'hello.greet',
  version: '1.0.0',
  description: 'says hello',
  input: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string' }, times: { type: 'integer', default: 2 } } },
  output: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
  config: { type: 'object', properties: { greeting: { type: 'string', default: 'hello' } } },
  async run(ctx, input) {
    if (input.name === '') ctx.skip('nobody to greet');
    ctx.progress({ fraction: 1, message: 'greeted' });
    ctx.log.info(`greeting ${input.name}`);
    const text = await ctx.cache.wrap(['greet', input], undefined, async () => Array(input.times).fill(`${ctx.config.greeting as string} ${input.name}`).join(', '));
    return { text };
  },
});

/** An effect plugin whose act is scripted by the test. */
const sender = (act: () => Promise<unknown>, log: string[] = []) => definePlugin<{ to: string }, { sent?: unknown }>({
  id: 'mail.send',
  version: '1.0.0',
  description: 'sends',
  effect: true,
  input: { type: 'object', required: ['to'], properties: { to: { type: 'string' } } },
  async run(ctx, input) {
    const sent = await ctx.effect(['send', input.to], act, {
      describe: { to: input.to },
      ready: async () => { log.push('ready'); },
      reconcile: async () => { log.push('reconcile'); return undefined; },
    });
    return { sent };
  },
});

describe('createTestContext', () => {
  it('fills input and config defaults, checks outputs, records events and call-cache misses', async () => {
    const t = createTestContext({ plugin: greet });
    try {
      expect(await t.run({ name: 'Ada' })).toEqual({ text: 'hello Ada, hello Ada' });
      expect(await t.run({ name: 'Ada' })).toEqual({ text: 'hello Ada, hello Ada' });
      expect(t.cacheMisses).toBe(1);
      expect(t.progress).toEqual([{ fraction: 1, message: 'greeted' }, { fraction: 1, message: 'greeted' }]);
      expect(t.logs[0]).toMatchObject({ level: 'info', message: 'greeting Ada' });
      expect(t.events.map((e) => e.event)).toEqual(['step.started', 'step.progress', 'step.log', 'step.finished', 'step.started', 'step.progress', 'step.log', 'step.finished']);
      expect(t.events.at(-1)).toMatchObject({ runId: 'test', stepId: 'step', outputs: { text: 'hello Ada, hello Ada' } });
    } finally { await t.close(); }
  });

  it('rejects input and config the schemas refuse, as a run does', async () => {
    const t = createTestContext({ plugin: greet });
    try {
      await expect(t.run({ name: 'Ada', extra: 1 })).rejects.toMatchObject({ code: 'E_PLUGIN_INPUT_INVALID' });
      expect(t.events.at(-1)).toMatchObject({ event: 'step.failed', error: { code: 'E_PLUGIN_INPUT_INVALID' } });
    } finally { await t.close(); }
    expect(() => createTestContext({ plugin: greet, config: { greeting: 3 } })).toThrow(expect.objectContaining({ code: 'E_CONFIG_INVALID' }));
  });

  it('config secrets (writeOnly) are secrets, as the config loader makes them: in ctx.secrets, redacted from events', async () => {
    const leaky = definePlugin({
      id: 'weather.now', version: '1.0.0', description: 'logs its key',
      config: { type: 'object', properties: { token: { type: 'string', writeOnly: true }, units: { type: 'object', properties: { temp: { type: 'string', default: 'C' } } } } },
      run: (ctx) => { ctx.log.warn(`token ${ctx.config.token as string}`); return { secrets: Object.keys(ctx.secrets), units: ctx.config.units }; },
    });
    const t = createTestContext({ plugin: leaky, config: { token: 'weather-token-1234' } });
    try {
      expect(await t.run({})).toEqual({ secrets: ['weather.token'], units: { temp: 'C' } });
      expect(t.events.find((e) => e.event === 'step.log')).toMatchObject({ message: 'token [REDACTED]' });
    } finally { await t.close(); }
  });

  it('ctx.addSecret masks a value obtained at run time (a session token) in logs and events, in any encoding', async () => {
    const session = definePlugin({
      id: 'social.post', version: '1.0.0', description: 'logs its session token',
      run: (ctx) => {
        const jwt = 'eyJhbGciOi.session-token-5f2c9a';
        ctx.addSecret(jwt);
        ctx.log.warn(`session ${jwt} / ${Buffer.from(jwt).toString('base64')}`);
        return { token: jwt };
      },
    });
    const t = createTestContext({ plugin: session });
    try {
      await t.run({});
      expect(JSON.stringify(t.events)).not.toContain('session-token');
      const line = t.events.find((e) => e.event === 'step.log') as { message: string };
      expect(line.message).toBe('session [REDACTED] / [REDACTED]');
    } finally { await t.close(); }
  });

  it('refuses outputs that do not match the output schema', async () => {
    const broken = definePlugin({ ...greet, run: () => ({ text: 42 }) });
    const t = createTestContext({ plugin: broken });
    try {
      await expect(t.run({ name: 'Ada' })).rejects.toMatchObject({ code: 'E_PLUGIN_OUTPUT_INVALID' });
    } finally { await t.close(); }
  });

  it('ctx.skip rejects with SkipStep and records step.skipped', async () => {
    const t = createTestContext({ plugin: greet });
    try {
      await expect(t.run({ name: '' })).rejects.toBeInstanceOf(SkipStep);
      expect(t.events.at(-1)).toMatchObject({ event: 'step.skipped', reason: 'nobody to greet' });
    } finally { await t.close(); }
  });

  it('effects: done once, never repeated; `ready` runs before the record', async () => {
    let acts = 0;
    const log: string[] = [];
    const t = createTestContext({ plugin: sender(async () => ({ id: ++acts }), log) });
    try {
      expect(await t.run({ to: 'a@b.test' })).toEqual({ sent: { id: 1 } });
      expect(await t.run({ to: 'a@b.test' })).toEqual({ sent: { id: 1 } });
      expect(acts).toBe(1);
      expect(log).toEqual(['ready']);
      expect((await t.effects()).map(({ status, result, plugin }) => ({ status, result, plugin }))).toEqual([{ status: 'done', result: { id: 1 }, plugin: 'mail.send' }]);
    } finally { await t.close(); }
  });

  it('effects: an error that proves nothing happened is failed; any other leaves the act in doubt', async () => {
    const refused = createTestContext({ plugin: sender(async () => { throw notDone(mpv2Error('E_AUTH', 'login refused')); }) });
    const reset = createTestContext({ plugin: sender(async () => { throw mpv2Error('E_HTTP', 'socket hang up'); }) });
    try {
      await expect(refused.run({ to: 'a@b.test' })).rejects.toMatchObject({ code: 'E_AUTH' });
      expect((await refused.effects()).map((e) => e.status)).toEqual(['failed']);
      await expect(reset.run({ to: 'a@b.test' })).rejects.toMatchObject({ code: 'E_EFFECT_IN_DOUBT' });
      expect((await reset.effects('pending'))).toHaveLength(1);
    } finally { await refused.close(); await reset.close(); }
  });

  it('leaveInDoubt makes the next run reconcile, as after a crash mid-act', async () => {
    let acts = 0;
    const log: string[] = [];
    const t = createTestContext({ plugin: sender(async () => ++acts, log) });
    try {
      await t.run({ to: 'a@b.test' });
      await t.leaveInDoubt(['send', 'a@b.test']);
      expect((await t.effects()).map((e) => e.status)).toEqual(['pending']);
      await t.run({ to: 'a@b.test' });
      // the reconcile found nothing, so the act ran again
      expect(log).toEqual(['ready', 'reconcile', 'ready']);
      expect(acts).toBe(2);
    } finally { await t.close(); }
  });

  it('dry run: the act never runs, its description is recorded with secrets redacted', async () => {
    let acts = 0;
    const t = createTestContext({ plugin: sender(async () => ++acts), dryRun: true, secrets: { SMTP_PASSWORD: 'hunter2-secret' } });
    try {
      await t.run({ to: 'hunter2-secret@b.test' });
      expect(acts).toBe(0);
      expect(await t.effects()).toEqual([]);
      expect(t.dryRunRecords()).toEqual([{ key: expect.stringMatching(/^mail\.send:/), plugin: 'mail.send', wouldDo: { to: '[REDACTED]@b.test' } }]);
    } finally { await t.close(); }
  });

  it('accounts are the real store: rotation, caps per UTC day, credentials redacted from events', async () => {
    const poster = definePlugin<Record<string, never>, { account: string }>({
      id: 'social.post', version: '1.0.0', description: 'posts',
      // credentials go only to the namespace that brings the platform
      accountTypes: [{ platform: 'social', description: 'a social network', schema: { type: 'object', properties: { token: { type: 'string', writeOnly: true } } } }],
      async run(ctx) {
        const a = await ctx.accounts.resolve({ platform: 'social' });
        const { token } = await ctx.accounts.credentials(a.name);
        ctx.log.info(`posting with ${token}`);
        await ctx.accounts.recordUse(a.name);
        return { account: a.name };
      },
    });
    const t = createTestContext({ plugin: poster, accounts: [{ name: 'one', platform: 'social', maxPerDay: 1, secrets: { token: 'tok-one-secret' } }] });
    try {
      expect(await t.run({}, { stepId: 'first' })).toEqual({ account: 'one' });
      expect(t.events.find((e) => e.event === 'step.log')).toMatchObject({ message: 'posting with [REDACTED]' });
      await expect(t.run({}, { stepId: 'second' })).rejects.toMatchObject({ code: 'E_ACCOUNT' });
    } finally { await t.close(); }
  });

  it('an abort ends the step as in a run, even when the plugin does not listen to ctx.signal', async () => {
    const stuck = definePlugin({ id: 'slow.hang', version: '1.0.0', description: 'never ends', run: () => new Promise(() => {}) });
    const ac = new AbortController();
    const t = createTestContext({ plugin: stuck, signal: ac.signal });
    try {
      const run = t.run({});
      ac.abort();
      await expect(run).rejects.toMatchObject({ code: 'E_ABORTED' });
    } finally { await t.close(); }
  });

  it('close removes the temporary project it made', async () => {
    const t = createTestContext({ plugin: greet });
    await t.run({ name: 'Ada' });
    expect(existsSync(t.root)).toBe(true);
    await t.close();
    expect(existsSync(t.root)).toBe(false);
  });
});
