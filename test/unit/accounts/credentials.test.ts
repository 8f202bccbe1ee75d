/** credentials.json: mode 0600, AES-256-GCM per record with a master key, plain without, wrong or missing key → E_MASTER_KEY. */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialStore } from '../../../src/infra/accounts/credentials.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'mpv2-cred-')), '.mpv2', 'credentials.json');
const mode = (f: string) => statSync(f).mode & 0o777;

describe('CredentialStore', () => {
  it('with MPV2_MASTER_KEY: records are sealed (no plaintext on disk), each with its own IV and tag', async () => {
    const file = fresh();
    const s = new CredentialStore(file, 'correct horse battery staple');
    await s.set('alpha', { password: 'hunter2-alpha', token: 'tok-AAAA' });
    await s.set('beta', { password: 'hunter2-beta' });
    const raw = readFileSync(file, 'utf8');
    expect(raw).not.toContain('hunter2');
    expect(raw).not.toContain('tok-AAAA');
    const json = JSON.parse(raw) as { kdf: { name: string }; accounts: Record<string, { iv: string; tag: string; data: string }> };
    expect(json.kdf.name).toBe('scrypt');
    expect(json.accounts.alpha!.iv).not.toBe(json.accounts.beta!.iv);
    expect(Buffer.from(json.accounts.alpha!.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(json.accounts.alpha!.tag, 'base64')).toHaveLength(16);
    expect(mode(file)).toBe(0o600);
    expect(await s.get('alpha')).toEqual({ password: 'hunter2-alpha', token: 'tok-AAAA' });
    expect(s.status()).toMatchObject({ encrypted: true, keySet: true, plainRecords: 0, mode: '0600' });
    // a second process with the same key reads them
    expect(await new CredentialStore(file, 'correct horse battery staple').get('beta')).toEqual({ password: 'hunter2-beta' });
  });

  it('a different key is a clear E_MASTER_KEY, and nothing is overwritten', async () => {
    const file = fresh();
    await new CredentialStore(file, 'key-one').set('alpha', { password: 'p-alpha' });
    const before = readFileSync(file, 'utf8');
    const wrong = new CredentialStore(file, 'key-two');
    await expect(wrong.get('alpha')).rejects.toMatchObject({ code: 'E_MASTER_KEY', message: expect.stringContaining('MPV2_MASTER_KEY does not open') });
    await expect(wrong.set('beta', { password: 'x' })).rejects.toMatchObject({ code: 'E_MASTER_KEY' });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('an encrypted file without the key is E_MASTER_KEY telling to set MPV2_MASTER_KEY', async () => {
    const file = fresh();
    await new CredentialStore(file, 'key-one').set('alpha', { password: 'p-alpha' });
    await expect(new CredentialStore(file).get('alpha')).rejects.toMatchObject({ code: 'E_MASTER_KEY', hint: expect.stringContaining('MPV2_MASTER_KEY') });
  });

  it('a record moved to another name or altered does not decrypt', async () => {
    const file = fresh();
    const s = new CredentialStore(file, 'k');
    await s.set('alpha', { password: 'p-alpha' });
    const json = JSON.parse(readFileSync(file, 'utf8')) as { accounts: Record<string, unknown> };
    json.accounts.mallory = json.accounts.alpha;
    writeFileSync(file, JSON.stringify(json));
    await expect(s.get('mallory')).rejects.toMatchObject({ code: 'E_AUTH' });
  });

  it('without a key: stored plain but still 0600, reported; sealed on the first write once a key is set', async () => {
    const file = fresh();
    const plain = new CredentialStore(file);
    await plain.set('alpha', { password: 'p-alpha' });
    expect(mode(file)).toBe(0o600);
    expect(plain.status()).toMatchObject({ encrypted: false, keySet: false, plainRecords: 1 });
    expect(readFileSync(file, 'utf8')).toContain('p-alpha');
    const keyed = new CredentialStore(file, 'now-a-key');
    expect(await keyed.get('alpha')).toEqual({ password: 'p-alpha' });
    await keyed.set('beta', { token: 't-beta' });
    expect(readFileSync(file, 'utf8')).not.toContain('p-alpha');
    expect(keyed.status()).toMatchObject({ encrypted: true, plainRecords: 0 });
    expect(await keyed.get('alpha')).toEqual({ password: 'p-alpha' });
  });

  it('merge keeps the other fields; remove drops the record', async () => {
    const file = fresh();
    const s = new CredentialStore(file, 'k');
    await s.set('alpha', { clientId: 'cid', clientSecret: 'csec' });
    await s.set('alpha', { refreshToken: 'rt-1' }, { merge: true });
    expect(await s.get('alpha')).toEqual({ clientId: 'cid', clientSecret: 'csec', refreshToken: 'rt-1' });
    await s.remove('alpha');
    expect(await s.get('alpha')).toEqual({});
    expect(await s.names()).toEqual([]);
  });
});

describe('checkCredentials (the doctor line)', () => {
  it('ok when none, warn when plain, error with a wrong or missing key, ok when readable', async () => {
    const { checkCredentials } = await import('../../../src/infra/accounts/check.js');
    const root = mkdtempSync(join(tmpdir(), 'mpv2-check-'));
    expect(await checkCredentials(root)).toMatchObject({ level: 'ok', message: 'no account secrets stored yet' });
    const file = join(root, '.mpv2', 'credentials.json');
    await new CredentialStore(file).set('a', { password: 'p' });
    expect(await checkCredentials(root)).toMatchObject({ level: 'warn', message: expect.stringContaining('is NOT encrypted (1 record(s)') });
    await new CredentialStore(file, 'key-1').set('b', { password: 'q' });
    expect(await checkCredentials(root, 'key-1')).toMatchObject({ level: 'ok', message: expect.stringContaining('2 account(s), encrypted') });
    expect(await checkCredentials(root, 'key-2')).toMatchObject({ level: 'error', message: expect.stringContaining('does not open') });
    expect(await checkCredentials(root)).toMatchObject({ level: 'error', message: expect.stringContaining('MPV2_MASTER_KEY is not set') });
  });
});
