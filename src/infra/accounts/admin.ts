/** What `mpv2 accounts add|list|show|remove|enable|disable` do; the commands only parse flags and print. */
import { rmSync } from 'node:fs';
import { mpv2Error } from '../../errors.js';
import type { AccountType } from '../../plugin/types.js';
import { REDACTED } from '../redact.js';
import { closest } from '../suggest.js';
import type { CredentialStore, CredentialsStatus } from './credentials.js';
import { coerce, fieldsOf, missingRequired, validateFields, type FieldInfo } from './fields.js';
import { checkSlots } from './slots.js';
import { checkAccountName, utcDay, type AccountStore, type AccountView } from './store.js';

export interface AccountsHandle {
  store: AccountStore;
  credentials: CredentialStore;
}

/** The account type of `platform` among the plugins' types; unknown → E_USAGE naming the known ones. */
export function findAccountType(types: AccountType[], platform: string): AccountType {
  const t = types.find((x) => x.platform === platform);
  if (t) return t;
  const known = [...new Set(types.map((x) => x.platform))].sort();
  const near = closest(platform, known);
  throw mpv2Error('E_USAGE', `unknown account platform "${platform}"${near ? ` (did you mean "${near}"?)` : ''}; ${known.length ? `known platforms: ${known.join(', ')}` : 'no installed plugin declares an account type'}`, {
    hint: 'platforms come from plugins (`accountTypes`); `mpv2 plugins list` shows the installed ones',
  });
}

export interface AddRequest {
  name: string;
  niche?: string;
  language?: string;
  profile?: string;
  maxPerDay?: number;
  /** Local posting times `HH:MM` (`--slots 09:00,18:00`), for `publishAt: next-slot`. */
  slots?: string[];
  /** IANA time zone of the slots (`--timezone Europe/Berlin`). */
  timezone?: string;
  /** `--set key=value` */
  settings: Record<string, string>;
  /** `--secret key=value` */
  secrets: Record<string, string>;
  /** Change an existing account (given fields replace the stored ones) instead of failing. */
  update?: boolean;
  /** Asks for a missing required field (a terminal); absent: missing fields are an error. */
  ask?: (field: FieldInfo) => Promise<string>;
  now?: Date;
}

export async function addAccount(h: AccountsHandle, type: AccountType, r: AddRequest): Promise<{ account: AccountView; secretKeys: string[]; created: boolean }> {
  checkAccountName(r.name);
  const existing = await h.store.get(r.name);
  if (existing && !r.update) throw mpv2Error('E_USAGE', `an account named "${r.name}" already exists (${existing.platform})`, { hint: `change it with \`mpv2 accounts add ${existing.platform} --name ${r.name} --update …\`, or remove it first` });
  if (existing && existing.platform !== type.platform) throw mpv2Error('E_USAGE', `account "${r.name}" is a ${existing.platform} account, not ${type.platform}`);
  if (r.maxPerDay !== undefined && (!Number.isInteger(r.maxPerDay) || r.maxPerDay < 0)) throw mpv2Error('E_USAGE', `--max-per-day must be an integer ≥ 0, got ${r.maxPerDay}`);
  if (r.slots !== undefined || r.timezone !== undefined) checkSlots(r.slots ?? existing?.slots ?? [], r.timezone ?? existing?.timezone);
  const fields = new Map(fieldsOf(type).map((f) => [f.key, f]));
  // a field the schema marks secret is a secret whichever flag carried it
  const settings: Record<string, unknown> = { ...(existing?.settings ?? {}) };
  const secrets: Record<string, string> = existing ? await h.credentials.get(r.name) : {};
  for (const [k, v] of Object.entries(r.settings)) {
    if (fields.get(k)?.secret) secrets[k] = v;
    else settings[k] = coerce(fields.get(k), v);
  }
  Object.assign(secrets, r.secrets);
  const missing = missingRequired(type, { ...settings, ...secrets });
  if (missing.length > 0) {
    if (!r.ask) {
      throw mpv2Error('E_USAGE', `missing required ${type.platform} field(s): ${missing.map((f) => f.key).join(', ')}`, {
        hint: `pass them as ${missing.map((f) => `${f.secret ? '--secret' : '--set'} ${f.key}=…`).join(' ')} (or run on a terminal to be asked)`,
      });
    }
    for (const f of missing) {
      const v = await r.ask(f);
      if (f.secret) secrets[f.key] = v;
      else settings[f.key] = coerce(f, v);
    }
  }
  const cleanSettings = validateFields(type, settings, secrets);
  const account = {
    name: r.name, platform: type.platform,
    niche: r.niche ?? existing?.niche, language: r.language ?? existing?.language,
    profileDir: r.profile !== undefined ? h.store.storedProfile(r.profile) : existing && h.store.storedProfile(existing.profileDir),
    maxPerDay: r.maxPerDay ?? existing?.maxPerDay,
    slots: r.slots ?? existing?.slots,
    timezone: r.timezone ?? existing?.timezone,
    disabled: existing?.disabled,
    settings: cleanSettings,
    createdAt: existing?.createdAt ?? (r.now ?? new Date()).toISOString(),
  };
  // secrets first: an account must never exist without the credentials it was added with
  if (Object.keys(secrets).length > 0 || existing) await h.credentials.set(r.name, secrets);
  await h.store.put(JSON.parse(JSON.stringify(account)) as typeof account);
  return { account: (await h.store.get(r.name))!, secretKeys: Object.keys(secrets).sort(), created: !existing };
}

export interface AccountRow extends AccountView {
  usesToday: number;
  lastUse?: string;
  secretKeys: string[];
}

export async function listAccounts(h: AccountsHandle, now = new Date()): Promise<{ accounts: AccountRow[]; credentials: CredentialsStatus }> {
  h.credentials.checkKey();
  const day = utcDay(now);
  const accounts: AccountRow[] = [];
  for (const a of await h.store.list()) {
    accounts.push({ ...a, usesToday: await h.store.usesOn(a.name, day), lastUse: await h.store.lastUse(a.name), secretKeys: await secretKeys(h, a.name) });
  }
  return { accounts, credentials: h.credentials.status() };
}

/** One account with its secrets shown as `[REDACTED]` (their names only). */
export async function showAccount(h: AccountsHandle, name: string, now = new Date()): Promise<AccountRow & { secrets: Record<string, string> }> {
  const a = await h.store.require(name);
  h.credentials.checkKey();
  const keys = await secretKeys(h, name);
  return {
    ...a, usesToday: await h.store.usesOn(name, utcDay(now)), lastUse: await h.store.lastUse(name), secretKeys: keys,
    secrets: Object.fromEntries(keys.map((k) => [k, REDACTED])),
  };
}

/**
 * The names of an account's secrets. Without MPV2_MASTER_KEY an encrypted file is shown as
 * `(encrypted)` in listings (the last line says the key is missing), and one altered record
 * does not hide the others; a wrong key (checked before) or an unreadable file is an error.
 */
async function secretKeys(h: AccountsHandle, name: string): Promise<string[]> {
  try {
    return Object.keys(await h.credentials.get(name)).sort();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'E_MASTER_KEY' && !h.credentials.status().keySet) return ['(encrypted)'];
    if (code === 'E_AUTH') return ['(cannot be decrypted)'];
    throw e;
  }
}

export async function removeAccount(h: AccountsHandle, name: string, o: { deleteProfile?: boolean } = {}): Promise<{ account: AccountView; profileDeleted: boolean }> {
  const account = await h.store.require(name);
  await h.store.remove(name);
  await h.credentials.remove(name);
  if (o.deleteProfile) rmSync(account.profileDir, { recursive: true, force: true });
  return { account, profileDeleted: !!o.deleteProfile };
}

export async function setDisabled(h: AccountsHandle, name: string, disabled: boolean): Promise<{ account: AccountView; changed: boolean }> {
  const before = await h.store.require(name);
  const account = await h.store.patch(name, { disabled: disabled || undefined });
  return { account, changed: !!before.disabled !== disabled };
}
