/**
 * The facebook account of an attempt in doubt. Which account a Reel goes to is the SDK's
 * `accountPool` + `stickyAccount` (an attempt that already started stays on its account).
 */
import { isMpv2Error } from 'mpv2/plugin';
import type { Account } from 'mpv2/plugin';
import type { VideoRecord } from './video-record.js';

export const PLATFORM = 'facebook';

/**
 * The account to ask about an earlier attempt: a daily cap does not stop a look at the saved
 * video (looking is not acting), so an attempt in doubt is settled even on a capped account.
 */
export async function accountToCheck(pick: () => Promise<Account>, record: VideoRecord): Promise<Account> {
  try {
    return await pick();
  } catch (e) {
    const prev = await record.get();
    if (!prev || !(isMpv2Error(e) && e.code === 'E_ACCOUNT' && e.details?.reason === 'capped')) throw e;
    return { name: prev.account, platform: PLATFORM, settings: { pageId: prev.pageId } };
  }
}
