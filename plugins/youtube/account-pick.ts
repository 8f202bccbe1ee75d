/**
 * Which account an upload goes to. The effect key holds the pool (a name or the rotation spec,
 * never the pick) + the content + the title; an attempt that already started keeps its account,
 * so a re-run after a crash checks and resumes on the same channel instead of rotating away.
 */
import { isMpv2Error } from 'mpv2/plugin';
import type { Account, AccountSpec, StepContext } from 'mpv2/plugin';
import type { SessionRecord } from './session-record.js';
import type { AccountChoice } from './upload-schema.js';

/** `''` or nothing means "any youtube account" (round-robin). */
export function normalizeSpec(spec: AccountChoice | undefined): AccountSpec {
  if (spec === undefined || spec === '') return { platform: 'youtube', pick: 'round-robin' };
  if (typeof spec === 'string') return spec;
  return { ...spec, platform: spec.platform || 'youtube' };
}

/** The pool part of the effect key: the name, or the rotation spec without how it picks. */
export function poolKey(spec: AccountSpec): string | Record<string, unknown> {
  if (typeof spec === 'string') return spec;
  const { pick: _pick, ...pool } = spec;
  return { ...pool, names: pool.names ? [...pool.names].sort() : undefined };
}

/** True when the pipeline left `account` empty and the project has no youtube account at all. */
export function isNoAccountConfigured(e: unknown, explicit: boolean): boolean {
  if (explicit || !isMpv2Error(e) || e.code !== 'E_ACCOUNT') return false;
  return e.details?.reason === 'none';
}

/** Resolves once; a recorded attempt's account wins over the rotation. */
export function accountPicker(ctx: StepContext, spec: AccountSpec, record: SessionRecord): () => Promise<Account> {
  let picked: Promise<Account> | undefined;
  return () => {
    picked ??= (async () => {
      const prev = await record.get();
      if (!prev) return ctx.accounts.resolve(spec);
      if (prev.account !== (typeof spec === 'string' ? spec : undefined)) ctx.log.info(`an earlier attempt of this upload used account "${prev.account}"; staying on it`);
      try {
        return await ctx.accounts.resolve(prev.account);
      } catch (e) {
        // the account was removed since: nothing of that attempt can be resumed or checked
        if (!(isMpv2Error(e) && e.code === 'E_ACCOUNT' && e.details?.reason === 'not-found')) throw e;
        ctx.log.warn(`account "${prev.account}" of an earlier attempt no longer exists; picking again`);
        await record.clear();
        return ctx.accounts.resolve(spec);
      }
    })();
    return picked;
  };
}

/** The account of an already uploaded video, for thumbnail/captions/playlist: a daily cap does not block them. */
export async function accountForExtras(ctx: StepContext, name: string): Promise<Account> {
  try {
    return await ctx.accounts.resolve(name);
  } catch (e) {
    if (isMpv2Error(e) && e.code === 'E_ACCOUNT' && e.details?.reason === 'capped') return { name, platform: 'youtube', settings: {} };
    throw e;
  }
}
