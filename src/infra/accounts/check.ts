/** The credentials line of `mpv2 doctor`: encrypted or not, readable with the key that is set. */
import { existsSync } from 'node:fs';
import { credentialsFile } from './paths.js';
import { CredentialStore } from './credentials.js';

export interface CredentialsCheck {
  name: 'credentials';
  level: 'ok' | 'warn' | 'error';
  message: string;
  hint?: string;
}

export async function checkCredentials(root: string, masterKey?: string): Promise<CredentialsCheck> {
  const file = credentialsFile(root);
  if (!existsSync(file)) return { name: 'credentials', level: 'ok', message: `no account secrets stored yet${masterKey ? ' (MPV2_MASTER_KEY set: they will be encrypted)' : ''}` };
  const store = new CredentialStore(file, masterKey || undefined);
  let s;
  try {
    s = store.status();
  } catch (e) {
    return { name: 'credentials', level: 'error', message: (e as Error).message, hint: 'the file is damaged; remove it and add the accounts\' secrets again' };
  }
  if (s.mode !== '0600') return { name: 'credentials', level: 'warn', message: `${file} has mode ${s.mode}`, hint: `chmod 600 ${file}` };
  if (!s.encrypted) {
    return { name: 'credentials', level: 'warn', message: `${file} is NOT encrypted (${s.plainRecords} record(s) in plain text, mode 0600)`, hint: 'set MPV2_MASTER_KEY (environment or .env); the next `mpv2 accounts add … --update` encrypts every record' };
  }
  const names = await store.names();
  try {
    for (const n of names.slice(0, 1)) await store.get(n); // the key check covers the whole file
    if (!masterKey) throw new Error('MPV2_MASTER_KEY is not set');
  } catch (e) {
    const message = (e as { code?: string }).code === 'E_MASTER_KEY' ? (e as Error).message : `${file} is encrypted but cannot be read: ${(e as Error).message}`;
    return { name: 'credentials', level: 'error', message, hint: 'set MPV2_MASTER_KEY to the key the file was written with' };
  }
  return { name: 'credentials', level: 'ok', message: `${file}: ${names.length} account(s), encrypted (AES-256-GCM), mode 0600` };
}
