/**
 * Accounts (the non-secret part), daily use counts, rotation cursors and the pick journal,
 * kept in the state store's key-value table under the `@accounts` namespace (no plugin
 * namespace starts with `@`). Works on any KvStore: SQLite here, Redis when scaled out.
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import { mpv2Error } from '../../errors.js';
import type { Account, KeyValueStore } from '../../plugin/types.js';
import { namespaceKv, type KvStore } from '../store/types.js';
import type { SlotReservation } from './slots.js';

export const ACCOUNTS_NS = '@accounts';

/** What is stored: the account plus when it was added; `profileDir` as given (relative to the root). */
export interface StoredAccount extends Omit<Account, 'profileDir'> {
  profileDir?: string;
  createdAt: string;
}

export interface AccountView extends Account {
  profileDir: string;
  createdAt: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkAccountName(name: string): void {
  if (!NAME.test(name)) {
    throw mpv2Error('E_USAGE', `account name "${name}" is not allowed: use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
}

/** `YYYY-MM-DD` of the UTC day. */
export const utcDay = (d: Date): string => d.toISOString().slice(0, 10);

export class AccountStore {
  private readonly kv: KeyValueStore;

  constructor(kv: KvStore, private readonly root: string) {
    this.kv = namespaceKv(kv, ACCOUNTS_NS);
  }

  /** The default profile of an account: `.mpv2/profiles/<name>`. */
  defaultProfile(name: string): string {
    return join(this.root, '.mpv2', 'profiles', name);
  }

  /** A profile path as stored: relative to the root when inside it (the project can move). */
  storedProfile(dir: string): string {
    const abs = resolve(this.root, dir);
    const rel = relative(this.root, abs);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
  }

  private view(s: StoredAccount): AccountView {
    return { ...s, settings: s.settings ?? {}, profileDir: s.profileDir ? resolve(this.root, s.profileDir) : this.defaultProfile(s.name) };
  }

  async get(name: string): Promise<AccountView | undefined> {
    const s = await this.kv.get<StoredAccount>(`a/${name}`);
    return s && this.view(s);
  }

  async require(name: string): Promise<AccountView> {
    const a = await this.get(name);
    if (!a) {
      const names = (await this.list()).map((x) => x.name);
      throw mpv2Error('E_ACCOUNT', `no account named "${name}"`, { details: { reason: 'not-found', account: name }, hint: names.length ? `known accounts: ${names.join(', ')}` : 'add one with `mpv2 accounts add <platform> --name <name>`' });
    }
    return a;
  }

  async list(): Promise<AccountView[]> {
    return (await this.kv.list<StoredAccount>('a/')).map((e) => this.view(e.value));
  }

  async put(a: StoredAccount): Promise<void> {
    checkAccountName(a.name);
    await this.kv.set(`a/${a.name}`, a);
  }

  async patch(name: string, p: Partial<Omit<StoredAccount, 'name' | 'createdAt'>>): Promise<AccountView> {
    const s = await this.kv.get<StoredAccount>(`a/${name}`);
    if (!s) return this.require(name);
    const next = { ...s, ...p };
    await this.kv.set(`a/${name}`, next);
    return this.view(next);
  }

  /** Removes the account, its counters and its last-use time (picks already journaled stay, for history). */
  async remove(name: string): Promise<boolean> {
    const had = (await this.kv.get(`a/${name}`)) !== undefined;
    await this.kv.delete(`a/${name}`);
    await this.kv.delete(`last/${name}`);
    for (const prefix of [`u/${name}/`, `slot/${name}/`]) for (const e of await this.kv.list(prefix)) await this.kv.delete(e.key);
    return had;
  }

  async usesOn(name: string, day: string): Promise<number> {
    return (await this.kv.get<number>(`u/${name}/${day}`)) ?? 0;
  }

  async recordUse(name: string, now: Date): Promise<void> {
    // atomic: two runs or two workers acting at once both count (a read-then-write lost one)
    await this.kv.increment(`u/${name}/${utcDay(now)}`);
    await this.kv.set(`last/${name}`, now.toISOString());
  }

  async lastUse(name: string): Promise<string | undefined> {
    return this.kv.get<string>(`last/${name}`);
  }

  async cursor(platform: string): Promise<string | undefined> {
    return this.kv.get<string>(`cursor/${platform}`);
  }

  async setCursor(platform: string, name: string): Promise<void> {
    await this.kv.set(`cursor/${platform}`, name);
  }

  async journaledPick(key: string): Promise<string | undefined> {
    return this.kv.get<string>(`pick/${key}`);
  }

  /** Every account journaled under a key prefix (e.g. one run, step and item, whatever the spec). */
  async journaledPicks(prefix: string): Promise<string[]> {
    return (await this.kv.list<string>(`pick/${prefix}`)).map((e) => e.value);
  }

  async journalPick(key: string, name: string): Promise<void> {
    await this.kv.set(`pick/${key}`, name);
  }

  /** The posting slots reserved on an account (or on every account), in time order. */
  async slots(name?: string): Promise<SlotReservation[]> {
    return (await this.kv.list<SlotReservation>(name ? `slot/${name}/` : 'slot/')).map((e) => e.value).sort((a, b) => a.at.localeCompare(b.at));
  }

  /** Takes a slot if nobody holds it (atomic across processes): true when this call took it. */
  async takeSlot(key: string, r: SlotReservation): Promise<boolean> {
    return this.kv.add(key, r);
  }

  /** Frees a slot `takeSlot` took (its post will not happen). */
  async dropSlot(key: string): Promise<void> {
    await this.kv.delete(key);
  }
}
