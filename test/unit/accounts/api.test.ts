/**
 * ctx.accounts on the real SQLite state: names, rotation (round-robin, least-recent, seeded
 * random), filters, disabled and capped accounts with reasons, the pick journal, caps by UTC day.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccountsApi, openAccounts, type AccountsHandle, type StoredAccount } from '../../../src/infra/accounts/index.js';
import { Redactor } from '../../../src/infra/redact.js';
import { openState, type State } from '../../../src/infra/state.js';

let state: State;
let h: AccountsHandle;
let root: string;
let clock: Date;
const redactor = new Redactor();

const add = (a: Partial<StoredAccount> & { name: string }) => h.store.put({ platform: 'youtube', settings: {}, createdAt: '2026-01-01T00:00:00Z', ...a });
const api = (runId = 'run-1', stepId = 'upload', index?: number) => createAccountsApi({ ...h, redactor, runId, stepId, index, now: () => clock });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mpv2-acc-'));
  state = openState(root);
  h = openAccounts({ root, kv: state.kv, masterKey: 'test-master-key' });
  clock = new Date('2026-11-27T10:00:00Z');
});
afterEach(() => state.close());

describe('resolve by name', () => {
  it('returns the account with an absolute default profile under .mpv2/profiles', async () => {
    await add({ name: 'main', niche: 'tech', settings: { driver: 'api' } });
    const a = await api().resolve('main');
    expect(a).toEqual({ name: 'main', platform: 'youtube', niche: 'tech', settings: { driver: 'api' }, profileDir: join(root, '.mpv2', 'profiles', 'main') });
  });

  it('unknown → E_ACCOUNT listing the known names; disabled and capped → E_ACCOUNT with the reason', async () => {
    await add({ name: 'main' });
    await add({ name: 'off', disabled: true });
    await add({ name: 'small', maxPerDay: 1 });
    await expect(api().resolve('nope')).rejects.toMatchObject({ code: 'E_ACCOUNT', message: 'no account named "nope"', hint: expect.stringContaining('main, off, small'), details: { reason: 'not-found' } });
    await expect(api().resolve('off')).rejects.toMatchObject({ code: 'E_ACCOUNT', message: 'account "off" cannot be used: disabled', details: { reason: 'disabled' } });
    await api().recordUse('small');
    await expect(api('run-2').resolve('small')).rejects.toMatchObject({ code: 'E_ACCOUNT', message: expect.stringContaining('capped (1/1 uses today, UTC; maxPerDay 1)'), details: { reason: 'capped' } });
  });
});

describe('rotation', () => {
  beforeEach(async () => {
    for (const name of ['c', 'a', 'b']) await add({ name, niche: name === 'c' ? 'food' : 'tech' });
    await add({ name: 'x1', platform: 'twitter' });
  });

  it('round-robin walks the platform accounts in name order across runs and wraps', async () => {
    const picks: string[] = [];
    for (let i = 0; i < 5; i++) picks.push((await api(`run-${i}`).resolve({ platform: 'youtube', pick: 'round-robin' })).name);
    expect(picks).toEqual(['a', 'b', 'c', 'a', 'b']);
  });

  it('filters by niche, language and names', async () => {
    expect((await api('r1').resolve({ platform: 'youtube', niche: 'food' })).name).toBe('c');
    expect((await api('r2').resolve({ platform: 'youtube', names: ['b', 'c'], pick: 'least-recent' })).name).toBe('b');
    await expect(api('r3').resolve({ platform: 'youtube', language: 'de' })).rejects.toMatchObject({
      code: 'E_ACCOUNT', message: 'no usable youtube account with language "de": "a" language is unset, not "de"; "b" language is unset, not "de"; "c" language is unset, not "de"',
      details: { reason: 'excluded' },
    });
  });

  it('least-recent picks the account unused the longest (never used first)', async () => {
    clock = new Date('2026-11-27T08:00:00Z');
    await api().recordUse('a');
    clock = new Date('2026-11-27T09:00:00Z');
    await api().recordUse('c');
    clock = new Date('2026-11-27T10:00:00Z');
    expect((await api('r1').resolve({ platform: 'youtube', pick: 'least-recent' })).name).toBe('b');
    await api().recordUse('b');
    expect((await api('r2').resolve({ platform: 'youtube', pick: 'least-recent' })).name).toBe('a');
  });

  it('random is seeded by run and step: the same run+step picks the same, others spread', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const first = (await api(`run-${i}`).resolve({ platform: 'youtube', pick: 'random' })).name;
      // a fresh api object (a resume in a new process) for the same run and step
      expect((await api(`run-${i}`).resolve({ platform: 'youtube', pick: 'random' })).name).toBe(first);
      seen.add(first);
    }
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
  });

  it('skips disabled and capped accounts and lists every reason when none is left', async () => {
    await h.store.patch('a', { disabled: true });
    await h.store.patch('b', { maxPerDay: 2 });
    await h.store.patch('c', { maxPerDay: 1 });
    await api().recordUse('b');
    expect((await api('r1').resolve({ platform: 'youtube' })).name).toBe('b');
    await api().recordUse('b');
    expect((await api('r2').resolve({ platform: 'youtube' })).name).toBe('c');
    await api().recordUse('c');
    const err = await api('r3').resolve({ platform: 'youtube' }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'E_ACCOUNT',
      message: 'no usable youtube account: "a" disabled; "b" capped (2/2 uses today, UTC; maxPerDay 2); "c" capped (1/1 uses today, UTC; maxPerDay 1)',
      details: { reason: 'excluded', platform: 'youtube' },
    });
  });

  it('caps count per UTC day: the next day the account is usable again', async () => {
    await h.store.patch('a', { maxPerDay: 1 });
    clock = new Date('2026-11-27T23:59:59Z');
    await api().recordUse('a');
    expect(await api().usesToday('a')).toBe(1);
    await expect(api('r1').resolve('a')).rejects.toMatchObject({ details: { reason: 'capped' } });
    clock = new Date('2026-11-28T00:00:00Z');
    expect(await api().usesToday('a')).toBe(0);
    expect((await api('r2').resolve('a')).name).toBe('a');
  });

  it('no account of the platform at all: E_ACCOUNT with reason "none"', async () => {
    await expect(api().resolve({ platform: 'email' })).rejects.toMatchObject({ code: 'E_ACCOUNT', message: 'no usable email account: there are no email accounts', details: { reason: 'none' } });
  });
});

describe('the pick journal', () => {
  beforeEach(async () => {
    for (const name of ['a', 'b']) await add({ name, maxPerDay: 1 });
  });

  it('a resume of the same run, step and item gets the same account, even once that act capped it', async () => {
    const spec = { platform: 'youtube', pick: 'round-robin' } as const;
    const first = await api('run-1', 'upload', 0).resolve(spec);
    expect(first.name).toBe('a');
    await api().recordUse('a'); // the act happened, then the process died
    const resumed = await api('run-1', 'upload', 0).resolve(spec);
    expect(resumed.name).toBe('a');
    // another item of the same step, and another run, rotate on
    expect((await api('run-1', 'upload', 1).resolve(spec)).name).toBe('b');
    await api().recordUse('b');
    await expect(api('run-2', 'upload', 0).resolve(spec)).rejects.toMatchObject({ code: 'E_ACCOUNT' });
  });

  it('the item\'s picked account resolved again by name skips the cap check (same act), other items do not', async () => {
    const picked = await api('run-1', 'upload', 0).resolve({ platform: 'youtube' });
    await api().recordUse(picked.name);
    expect((await api('run-1', 'upload', 0).resolve(picked.name)).name).toBe(picked.name);
    await expect(api('run-1', 'upload', 1).resolve(picked.name)).rejects.toMatchObject({ details: { reason: 'capped' } });
  });

  it('a journaled account that was removed or disabled since is a clear error', async () => {
    const spec = { platform: 'youtube' };
    expect((await api('run-9').resolve(spec)).name).toBe('a');
    await h.store.patch('a', { disabled: true });
    await expect(api('run-9').resolve(spec)).rejects.toMatchObject({ code: 'E_ACCOUNT', message: expect.stringContaining('has been disabled since') });
    await h.store.remove('a');
    await expect(api('run-9').resolve(spec)).rejects.toMatchObject({ code: 'E_ACCOUNT', message: expect.stringContaining('has been removed since') });
  });
});

describe('credentials through the api', () => {
  it('registers every value with the redactor; saveCredentials merges', async () => {
    await add({ name: 'main' });
    await h.credentials.set('main', { clientSecret: 'very-secret-value' });
    const r = new Redactor();
    const accounts = createAccountsApi({ ...h, redactor: r, runId: 'r', stepId: 's' });
    expect(await accounts.credentials('main')).toEqual({ clientSecret: 'very-secret-value' });
    expect(r.redact('leak: very-secret-value')).toBe('leak: [REDACTED]');
    await accounts.saveCredentials('main', { refreshToken: 'refresh-token-123' });
    expect(r.redact('refresh-token-123')).toBe('[REDACTED]');
    expect(await accounts.credentials('main')).toEqual({ clientSecret: 'very-secret-value', refreshToken: 'refresh-token-123' });
    await expect(accounts.credentials('ghost')).rejects.toMatchObject({ code: 'E_ACCOUNT' });
  });
});
