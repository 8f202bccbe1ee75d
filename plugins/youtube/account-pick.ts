/** The account of an upload that is already on the channel (which account an upload goes to is the SDK's `accountPool` + `stickyAccount`). */
import { isMpv2Error } from 'mpv2/plugin';
import type { Account, StepContext } from 'mpv2/plugin';

/** The account of an already uploaded video, for thumbnail/captions/playlist: a daily cap does not block them. */
export async function accountForExtras(ctx: StepContext, name: string): Promise<Account> {
  try {
    return await ctx.accounts.resolve(name);
  } catch (e) {
    if (isMpv2Error(e) && e.code === 'E_ACCOUNT' && e.details?.reason === 'capped') return { name, platform: 'youtube', settings: {} };
    throw e;
  }
}
