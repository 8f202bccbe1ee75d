/**
 * The account choice every platform plugin makes the same way (exported by `mpv2/plugin`): the
 * step's `account:` input schema, that input as a pool (a name, or a rotation over the platform's accounts), the pool —
 * never the pick — as part of the act's effect key, and an attempt that already started staying
 * on the account it started on, so a re-run after a crash resumes there instead of rotating away.
 */
import { isMpv2Error } from '../errors.js';
import type { FromSchema } from 'json-schema-to-ts';
import type { Account, AccountSpec, JSONSchema, StepContext } from './types.js';

/**
 * The rotation a step's `account:` may hold instead of a name: over `platform`'s accounts, the
 * platform implied (`accountPool` sets it). No `default` inside: ajv fills none within a `oneOf`.
 */
export function accountRotationSchema<P extends string>(platform: P) {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      platform: { const: platform, description: `Always \`${platform}\`.` },
      pick: { enum: ['round-robin', 'least-recent', 'random'], description: 'How the account is chosen among the usable ones (round-robin when not set).' },
      niche: { type: 'string', description: 'Only accounts with this niche.' },
      language: { type: 'string', description: 'Only accounts with this language.' },
      names: { type: 'array', items: { type: 'string' }, description: 'Only these accounts.' },
    },
  } as const satisfies JSONSchema;
}

/** A step's `account:` input on `platform`: a name, or a rotation; `''` (the default) is any account of the platform. */
export function accountInputSchema<P extends string>(platform: P, description: string) {
  return { description, default: '', oneOf: [{ type: 'string' }, accountRotationSchema(platform)] } as const satisfies JSONSchema;
}

/** What a step's `account:` may hold: a name, a rotation (its platform implied), or nothing. */
export type AccountChoice = FromSchema<ReturnType<typeof accountInputSchema<string>>> | undefined;

/** `''` or nothing is "any account of the platform" (round-robin); a rotation is over `platform`. */
export function accountPool(platform: string, choice: AccountChoice): AccountSpec {
  if (choice === undefined || choice === '') return { platform, pick: 'round-robin' };
  if (typeof choice === 'string') return choice;
  return { ...choice, platform };
}

/** The pool as part of an effect key: the name, or the rotation without how it picks (a re-run of the same content is the same act whoever is picked). */
export function poolKey(pool: AccountSpec): string | Record<string, unknown> {
  if (typeof pool === 'string') return pool;
  const { pick: _pick, ...rest } = pool;
  return { ...rest, names: rest.names ? [...rest.names].sort() : undefined };
}

/** True when the step named no account and the project has none of the platform (plugins skip then). */
export function isNoAccount(e: unknown, named: boolean): boolean {
  return !named && isMpv2Error(e) && e.code === 'E_ACCOUNT' && e.details?.reason === 'none';
}

/**
 * The account for an act, resolved once: the one a recorded earlier attempt used (`recorded`
 * reads it from the plugin's own record of the attempt), else a pick from `pool`. An earlier
 * attempt's account removed since is picked again (after `forget`), with a warning.
 */
export function stickyAccount(ctx: StepContext, pool: AccountSpec, o: { recorded(): Promise<string | undefined>; forget?(): Promise<void>; what: string }): () => Promise<Account> {
  let picked: Promise<Account> | undefined;
  return () => (picked ??= (async () => {
    const prev = await o.recorded();
    if (!prev) return ctx.accounts.resolve(pool);
    if (prev !== pool) ctx.log.info(`an earlier attempt of this ${o.what} used account "${prev}"; staying on it`);
    try {
      return await ctx.accounts.resolve(prev);
    } catch (e) {
      if (!o.forget || !(isMpv2Error(e) && e.code === 'E_ACCOUNT' && e.details?.reason === 'not-found')) throw e;
      // removed since: nothing of that attempt can be resumed or checked
      ctx.log.warn(`account "${prev}" of an earlier attempt no longer exists; picking again`);
      await o.forget();
      return ctx.accounts.resolve(pool);
    }
  })());
}
