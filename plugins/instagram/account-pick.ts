/**
 * Which account a Reel goes to. The effect key holds the pool (a name or the rotation spec,
 * never the pick); an attempt that already created a container keeps its account, so a re-run
 * after a crash resumes on the same Instagram account instead of rotating away.
 */
import { isMpv2Error } from 'mpv2/plugin';
import type { Account, AccountSpec, StepContext } from 'mpv2/plugin';
import type { ContainerRecord } from './container-record.js';

export const PLATFORM = 'instagram';

/** `''` or nothing means "any instagram account" (round-robin). */
type Rotation = Exclude<AccountSpec, string>;
export function normalizeSpec(spec: string | (Omit<Rotation, 'platform'> & { platform?: string }) | undefined): AccountSpec {
  if (spec === undefined || spec === '') return { platform: PLATFORM, pick: 'round-robin' };
  if (typeof spec === 'string') return spec;
  return { ...spec, platform: PLATFORM };
}

/** The pool part of the effect key: the name, or the rotation spec without how it picks. */
export function poolKey(spec: AccountSpec): unknown {
  if (typeof spec === 'string') return spec;
  const { pick: _pick, ...pool } = spec;
  return { ...pool, names: pool.names ? [...pool.names].sort() : undefined };
}

/** True when the step named no account and the project has no instagram account at all. */
export function noAccountConfigured(e: unknown, explicit: boolean): boolean {
  return !explicit && isMpv2Error(e) && e.code === 'E_ACCOUNT' && e.details?.reason === 'none';
}

/** Resolves once; the account of a recorded container wins over the rotation. */
export function accountPicker(ctx: StepContext, spec: AccountSpec, record: ContainerRecord): () => Promise<Account> {
  let picked: Promise<Account> | undefined;
  return () => (picked ??= (async () => {
    const prev = await record.get();
    if (!prev) return ctx.accounts.resolve(spec);
    if (prev.account !== spec) ctx.log.info(`an earlier attempt of this Reel used account "${prev.account}"; staying on it`);
    return ctx.accounts.resolve(prev.account);
  })());
}

/**
 * The account to ask about an earlier attempt: a daily cap does not stop a look at the saved
 * container (looking is not acting), so an attempt in doubt is settled even on a capped account.
 */
export async function accountToCheck(pick: () => Promise<Account>, record: ContainerRecord): Promise<Account> {
  try {
    return await pick();
  } catch (e) {
    const prev = await record.get();
    if (!prev || !(isMpv2Error(e) && e.code === 'E_ACCOUNT' && e.details?.reason === 'capped')) throw e;
    return { name: prev.account, platform: PLATFORM, settings: { userId: prev.userId } };
  }
}
