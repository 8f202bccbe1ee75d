/**
 * `mpv2 accounts check`: runs each account's platform check (AccountType.check) with that
 * account's credentials given only to the plugin that declared its platform, under a timeout.
 * A check that fails, throws or hangs is one line of the report, never the end of the command;
 * every message passes the redactor, which knows every credential read here.
 */
import type { AccountType, KeyValueStore } from '../../plugin/types.js';
import { createHttpClient, type HttpPolicy } from '../http.js';
import type { Redactor } from '../redact.js';
import type { AccountsHandle } from './admin.js';
import { utcDay } from './store.js';

export interface AccountCheckRow {
  name: string;
  platform: string;
  level: 'ok' | 'warn' | 'error';
  message: string;
  hint?: string;
  scopes?: string[];
  /** What is left of the platform's quota, as the plugin words it. */
  quota?: string;
  /** The account's own cap: acts today (UTC) and `maxPerDay`. */
  usesToday: number;
  maxPerDay?: number;
  disabled: boolean;
}

export interface CheckAccountsRequest {
  /** Accounts to check; every account when empty. */
  names: string[];
  types: Array<{ type: AccountType; namespace: string }>;
  configOf(namespace: string): Readonly<Record<string, unknown>>;
  storeOf(namespace: string): KeyValueStore;
  root: string;
  http?: HttpPolicy;
  redactor: Redactor;
  /** Longest wait for one account's check. */
  timeoutMs: number;
  signal: AbortSignal;
  now?: () => number;
}

export async function checkAccounts(h: AccountsHandle, r: CheckAccountsRequest): Promise<AccountCheckRow[]> {
  const now = r.now ?? Date.now;
  const accounts = r.names.length ? await Promise.all(r.names.map((n) => h.store.require(n))) : await h.store.list();
  const rows: AccountCheckRow[] = [];
  for (const account of accounts) {
    const base = { name: account.name, platform: account.platform, usesToday: await h.store.usesOn(account.name, utcDay(new Date(now()))), maxPerDay: account.maxPerDay, disabled: account.disabled === true };
    const found = r.types.find((t) => t.type.platform === account.platform);
    let report: Pick<AccountCheckRow, 'level' | 'message' | 'hint' | 'scopes' | 'quota'>;
    if (!found) report = { level: 'error', message: `no loaded plugin brings the "${account.platform}" platform`, hint: 'install the plugin that declares it (`mpv2 plugins list`)' };
    else if (!found.type.check) report = { level: 'warn', message: `the ${account.platform} plugin has no account check` };
    else report = await runOne(h, r, found.type.check, found.namespace, account, now);
    rows.push({ ...base, ...redacted(report, r.redactor) });
  }
  return rows;
}

async function runOne(h: AccountsHandle, r: CheckAccountsRequest, check: NonNullable<AccountType['check']>, namespace: string, account: Awaited<ReturnType<AccountsHandle['store']['require']>>, now: () => number) {
  const ac = new AbortController();
  const onAbort = () => ac.abort(r.signal.reason);
  r.signal.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    const credentials = await h.credentials.get(account.name);
    r.redactor.addAll(Object.values(credentials));
    const ctx = {
      account, credentials, config: r.configOf(namespace), store: r.storeOf(namespace), root: r.root, now,
      addSecret: (value: string) => { if (typeof value === 'string' && value) r.redactor.add(value); },
      http: createHttpClient({ signal: ac.signal, policy: r.http, redactor: r.redactor }), signal: ac.signal,
    };
    // a check that ignores its signal still ends the wait at the timeout
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => { ac.abort(); reject(new Error(`no answer within ${r.timeoutMs} ms`)); }, r.timeoutMs);
    });
    return await Promise.race([check(ctx), timedOut]);
  } catch (e) {
    const err = e as { message?: string; hint?: string };
    return { level: 'error' as const, message: String(err.message ?? e), ...(typeof err.hint === 'string' && { hint: err.hint }) };
  } finally {
    clearTimeout(timer);
    r.signal.removeEventListener('abort', onAbort);
  }
}

function redacted<T extends { message: string; hint?: string; scopes?: string[]; quota?: string }>(x: T, redactor: Redactor): T {
  return {
    ...x, message: redactor.redact(x.message),
    ...(x.hint !== undefined && { hint: redactor.redact(x.hint) }),
    ...(x.quota !== undefined && { quota: redactor.redact(x.quota) }),
    ...(x.scopes && { scopes: x.scopes.map((s) => redactor.redact(s)) }),
  };
}
