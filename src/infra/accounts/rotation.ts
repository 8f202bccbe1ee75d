/** Choosing one account from a pool: filters, exclusions with reasons, and the three picks. */
import { createHash } from 'node:crypto';
import type { AccountSpec } from '../../plugin/types.js';
import type { AccountView } from './store.js';

export type PoolSpec = Exclude<AccountSpec, string>;
export type PickMode = NonNullable<PoolSpec['pick']>;

export interface Candidate {
  account: AccountView;
  usesToday: number;
  /** ISO time of the last recorded use. */
  lastUse?: string;
}

export interface Exclusion {
  name: string;
  reason: string;
}

/** Why an account cannot act now (disabled, or its daily cap reached), or undefined. */
export function unusableReason(c: Candidate): string | undefined {
  if (c.account.disabled) return 'disabled';
  const cap = c.account.maxPerDay;
  if (cap !== undefined && c.usesToday >= cap) return `capped (${c.usesToday}/${cap} uses today, UTC; maxPerDay ${cap})`;
  return undefined;
}

/** Splits a platform's accounts into the usable ones and the rest, each with its reason. */
export function screen(all: Candidate[], spec: PoolSpec): { usable: Candidate[]; excluded: Exclusion[] } {
  const usable: Candidate[] = [];
  const excluded: Exclusion[] = [];
  for (const c of all) {
    const a = c.account;
    if (a.platform !== spec.platform) continue;
    const reason =
      spec.names && !spec.names.includes(a.name) ? 'not in `names`'
      : spec.niche !== undefined && a.niche !== spec.niche ? `niche is ${a.niche === undefined ? 'unset' : `"${a.niche}"`}, not "${spec.niche}"`
      : spec.language !== undefined && a.language !== spec.language ? `language is ${a.language === undefined ? 'unset' : `"${a.language}"`}, not "${spec.language}"`
      : unusableReason(c);
    if (reason) excluded.push({ name: a.name, reason });
    else usable.push(c);
  }
  return { usable: usable.sort((x, y) => x.account.name.localeCompare(y.account.name)), excluded };
}

/**
 * One of `usable` (sorted by name, non-empty). round-robin: the first name after the
 * platform's cursor, wrapping; least-recent: the longest unused (never used first);
 * random: chosen by `seed`, so the same run and step choose the same.
 */
export function pick(usable: Candidate[], mode: PickMode, o: { cursor?: string; seed: string }): Candidate {
  if (mode === 'least-recent') {
    return [...usable].sort((a, b) => (a.lastUse ?? '').localeCompare(b.lastUse ?? '') || a.account.name.localeCompare(b.account.name))[0]!;
  }
  if (mode === 'random') {
    const n = parseInt(createHash('sha256').update(o.seed).digest('hex').slice(0, 12), 16);
    return usable[n % usable.length]!;
  }
  return (o.cursor === undefined ? undefined : usable.find((c) => c.account.name.localeCompare(o.cursor!) > 0)) ?? usable[0]!;
}

/** The E_ACCOUNT message when nothing is left: every account of the platform with its reason. */
export function describeNone(spec: PoolSpec, excluded: Exclusion[]): string {
  const filters = [spec.niche && `niche "${spec.niche}"`, spec.language && `language "${spec.language}"`, spec.names && `names [${spec.names.join(', ')}]`].filter(Boolean);
  const head = `no usable ${spec.platform} account${filters.length ? ` with ${filters.join(', ')}` : ''}`;
  if (excluded.length === 0) return `${head}: there are no ${spec.platform} accounts`;
  return `${head}: ${excluded.map((e) => `"${e.name}" ${e.reason}`).join('; ')}`;
}
