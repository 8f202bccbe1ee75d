/**
 * The run's snapshot of the accounts store for `accounts(platform)` in expressions: enabled
 * account names by platform, sorted. Taken once per run and kept in the state store under the
 * run's id, so a resumed run (or another worker running it) lists the same accounts as the
 * first attempt and its `foreach` items keep their indexes and journaled results.
 */
import type { AccountStore } from '../infra/accounts/store.js';
import type { KvStore } from '../infra/store/types.js';

const NS = '@run-accounts';

/** `platforms`: the platforms the loaded plugins bring, listed even when they have no account. */
export async function accountsSnapshot(kv: KvStore, runId: string, store: AccountStore, platforms: Iterable<string>): Promise<Record<string, string[]>> {
  const kept = await kv.get<Record<string, string[]>>(NS, runId);
  if (kept) return kept;
  const snap: Record<string, string[]> = {};
  for (const p of platforms) snap[p] = [];
  for (const a of await store.list()) if (!a.disabled) (snap[a.platform] ??= []).push(a.name);
  for (const names of Object.values(snap)) names.sort();
  // two processes racing on the same run keep the first snapshot written
  await kv.add(NS, runId, snap);
  return (await kv.get<Record<string, string[]>>(NS, runId)) ?? snap;
}

/** `mpv2 runs prune`: a deleted run's snapshot goes with it. */
export async function forgetAccountsSnapshot(kv: KvStore, runId: string): Promise<void> {
  await kv.delete(NS, runId);
}
