/**
 * How both Meta Reel steps (instagram.reels, facebook.reels) start, before anything of their own:
 * the step's `account:` as a pool, the video's size and content hash in the effect key, the
 * record of an upload in progress under that key, the account an earlier attempt began on
 * (`stickyAccount`), and a skip when the project has no account of the platform at all.
 */
import { accountPool, hashFile, hashValue, isMpv2Error, isNoAccount, poolKey, stickyAccount } from 'mpv2/plugin';
import type { Account, AccountChoice, AccountSpec, StepContext } from 'mpv2/plugin';
import { videoSize } from './video-file.js';

/** The saved state of an upload in progress: at least the account it began on. */
export interface AttemptRecord {
  get(): Promise<{ account: string } | undefined>;
}

/** What a record of type R keeps. */
type Saved<R extends AttemptRecord> = NonNullable<Awaited<ReturnType<R['get']>>>;

export interface ReelStart<R> {
  pool: AccountSpec;
  /** The video, resolved in the project. */
  file: string;
  bytes: number;
  /** The act's effect key: the pool, the video's content, then the parts the step gave. */
  key: unknown[];
  keyHash: string;
  record: R;
  /** The account of the act, resolved once (an earlier attempt's, when one began). */
  account: () => Promise<Account>;
  /**
   * The account to ask about an earlier attempt: a daily cap does not stop a look at the saved
   * upload (looking is not acting), so an attempt in doubt is settled even on a capped account.
   */
  accountToCheck: () => Promise<Account>;
  /** The caption's last line `mpv2-<10 hex>` that lets a crashed run find its post; undefined when not asked for. */
  marker: string | undefined;
}

export async function startReel<R extends AttemptRecord>(ctx: StepContext, o: {
  platform: string;
  input: { account: AccountChoice; video: string; marker: boolean };
  /** What makes the act this act besides the pool and the video's content. */
  keyParts: unknown[];
  record: (keyHash: string) => R;
  /** The settings that reach an earlier attempt's account (its Page or user id) from its record. */
  settingsOf: (prev: Saved<R>) => Record<string, unknown>;
  /** Logged when the step is skipped for want of any account of the platform. */
  noAccountLine: string;
}): Promise<ReelStart<R>> {
  const pool = accountPool(o.platform, o.input.account);
  const file = ctx.resolvePath(o.input.video);
  const bytes = await videoSize(file);
  const key = [poolKey(pool), await hashFile(file), ...o.keyParts];
  const keyHash = hashValue(key);
  const record = o.record(keyHash);
  const account = stickyAccount(ctx, pool, { recorded: async () => (await record.get())?.account, what: 'Reel' });
  try {
    await account();
  } catch (e) {
    // skipped before validation: a project without accounts of the platform runs its pipelines to the end
    if (isNoAccount(e, o.input.account !== '')) ctx.skip(o.noAccountLine);
    // capped or disabled: a recorded Reel is still returned by the effect; otherwise `ready` reports it
  }
  const accountToCheck = async (): Promise<Account> => {
    try {
      return await account();
    } catch (e) {
      const prev = await record.get();
      if (!prev || !(isMpv2Error(e) && e.code === 'E_ACCOUNT' && e.details?.reason === 'capped')) throw e;
      return { name: prev.account, platform: o.platform, settings: o.settingsOf(prev as Saved<R>) };
    }
  };
  return { pool, file, bytes, key, keyHash, record, account, accountToCheck, marker: o.input.marker ? `mpv2-${keyHash.slice(0, 10)}` : undefined };
}
