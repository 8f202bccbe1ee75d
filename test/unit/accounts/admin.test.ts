/** accounts add/list/show/remove/enable/disable against an account type's schema. */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAccount, findAccountType, listAccounts, openAccounts, removeAccount, setDisabled, showAccount, type AccountsHandle } from '../../../src/infra/accounts/index.js';
import { openState, type State } from '../../../src/infra/state.js';
import type { AccountType } from '../../../src/plugin/types.js';

const smtp: AccountType = {
  platform: 'email',
  description: 'SMTP sender',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['host', 'user', 'password'],
    properties: {
      host: { type: 'string', description: 'SMTP host' },
      port: { type: 'integer', default: 587, description: 'SMTP port' },
      secure: { type: 'boolean', default: false, description: 'TLS from the start' },
      user: { type: 'string', description: 'Login' },
      password: { type: 'string', writeOnly: true, description: 'Password' },
    },
  },
};
const types = [smtp, { platform: 'youtube', description: 'yt', schema: { type: 'object' } }];

let state: State;
let h: AccountsHandle;
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mpv2-admin-'));
  state = openState(root);
  h = openAccounts({ root, kv: state.kv, masterKey: 'k' });
});
afterEach(() => state.close());

describe('accounts admin', () => {
  it('unknown platform: E_USAGE naming the known ones and the nearest', () => {
    expect(() => findAccountType(types, 'emial')).toThrow('unknown account platform "emial" (did you mean "email"?); known platforms: email, youtube');
    expect(() => findAccountType([], 'youtube')).toThrow('no installed plugin declares an account type');
  });

  it('add: --set values typed by the schema, defaults filled, a writeOnly field is a secret whatever flag carried it', async () => {
    const r = await addAccount(h, smtp, { name: 'sender', niche: 'b2b', maxPerDay: 50, settings: { host: 'smtp.example.org', port: '2525', user: 'me', password: 'pw-via-set' }, secrets: {} });
    expect(r.created).toBe(true);
    expect(r.account).toMatchObject({ name: 'sender', platform: 'email', niche: 'b2b', maxPerDay: 50, settings: { host: 'smtp.example.org', port: 2525, secure: false, user: 'me' } });
    expect(r.account.settings).not.toHaveProperty('password');
    expect(r.secretKeys).toEqual(['password']);
    expect(await h.credentials.get('sender')).toEqual({ password: 'pw-via-set' });
  });

  it('missing required fields: an error listing them (no terminal), or asked for one by one', async () => {
    await expect(addAccount(h, smtp, { name: 's1', settings: { host: 'h' }, secrets: {} })).rejects.toMatchObject({
      code: 'E_USAGE', message: 'missing required email field(s): user, password', hint: expect.stringContaining('--set user=… --secret password=…'),
    });
    const asked: string[] = [];
    const r = await addAccount(h, smtp, { name: 's1', settings: { host: 'h' }, secrets: {}, ask: async (f) => { asked.push(`${f.key}${f.secret ? ' (secret)' : ''}`); return f.secret ? 'typed-pw' : 'typed-user'; } });
    expect(asked).toEqual(['user', 'password (secret)']);
    expect(r.account.settings.user).toBe('typed-user');
    expect(await h.credentials.get('s1')).toEqual({ password: 'typed-pw' });
  });

  it('invalid values and unknown keys are E_USAGE with the path', async () => {
    await expect(addAccount(h, smtp, { name: 's2', settings: { host: 'h', user: 'u', port: 'many', colour: 'red' }, secrets: { password: 'p' } })).rejects.toMatchObject({
      code: 'E_USAGE', message: expect.stringMatching(/must NOT have additional properties "colour".*port must be integer/),
    });
  });

  it('a second add of the same name fails unless --update, which merges', async () => {
    await addAccount(h, smtp, { name: 's3', settings: { host: 'h', user: 'u' }, secrets: { password: 'p1' } });
    await expect(addAccount(h, smtp, { name: 's3', settings: {}, secrets: {} })).rejects.toMatchObject({ code: 'E_USAGE', message: 'an account named "s3" already exists (email)' });
    const r = await addAccount(h, smtp, { name: 's3', update: true, maxPerDay: 5, settings: { port: '465' }, secrets: { password: 'p2' } });
    expect(r.created).toBe(false);
    expect(r.account).toMatchObject({ maxPerDay: 5, settings: { host: 'h', user: 'u', port: 465 } });
    expect(await h.credentials.get('s3')).toEqual({ password: 'p2' });
  });

  it('a bad name is refused (it becomes a folder name)', async () => {
    await expect(addAccount(h, smtp, { name: '../evil', settings: {}, secrets: {} })).rejects.toMatchObject({ code: 'E_USAGE', message: expect.stringContaining('is not allowed') });
  });

  it('list and show: uses today, cap, disabled, secrets only by name; enable/disable; remove', async () => {
    await addAccount(h, smtp, { name: 'a1', maxPerDay: 3, settings: { host: 'h', user: 'u' }, secrets: { password: 'secret-pw' } });
    await addAccount(h, smtp, { name: 'a2', profile: join(root, 'elsewhere'), settings: { host: 'h', user: 'u' }, secrets: { password: 'secret-pw2' } });
    await h.store.recordUse('a1', new Date());
    expect((await setDisabled(h, 'a2', true)).changed).toBe(true);
    expect((await setDisabled(h, 'a2', true)).changed).toBe(false);
    const { accounts, credentials } = await listAccounts(h);
    expect(accounts.map((a) => [a.name, a.usesToday, a.maxPerDay, !!a.disabled, a.secretKeys])).toEqual([['a1', 1, 3, false, ['password']], ['a2', 0, undefined, true, ['password']]]);
    expect(accounts[1]!.profileDir).toBe(join(root, 'elsewhere'));
    expect(credentials).toMatchObject({ encrypted: true, keySet: true, mode: '0600' });
    const shown = await showAccount(h, 'a1');
    expect(shown.secrets).toEqual({ password: '[REDACTED]' });
    expect(JSON.stringify(shown)).not.toContain('secret-pw');
    mkdirSync(join(root, 'elsewhere'), { recursive: true });
    await removeAccount(h, 'a2', { deleteProfile: true });
    expect(existsSync(join(root, 'elsewhere'))).toBe(false);
    expect(await h.credentials.names()).toEqual(['a1']);
    await expect(removeAccount(h, 'a2')).rejects.toMatchObject({ code: 'E_ACCOUNT' });
  });

  it('list without the key of an encrypted file still lists, marking secrets as encrypted', async () => {
    await addAccount(h, smtp, { name: 'a1', settings: { host: 'h', user: 'u' }, secrets: { password: 'p' } });
    const noKey = openAccounts({ root, kv: state.kv });
    const { accounts, credentials } = await listAccounts(noKey);
    expect(accounts[0]!.secretKeys).toEqual(['(encrypted)']);
    expect(credentials).toMatchObject({ encrypted: true, keySet: false });
  });
});
