/**
 * `mpv2 accounts check` for facebook: reading the Page with its token proves the token works
 * for this Page; the Reels window is mpv2's own count (Meta offers no call that tells how many
 * of the 30 API-published Reels per moving 24 hours are left).
 */
import { isMpv2Error } from 'mpv2/plugin';
import type { AccountCheckContext, AccountCheckReport } from 'mpv2/plugin';
import { reloginHint } from './account-type.js';
import type { FacebookConfig } from './config.js';
import { Graph } from '../graph.js';
import { PublishWindow } from './publish-window.js';

export async function checkFacebookAccount(ctx: AccountCheckContext): Promise<AccountCheckReport> {
  const cfg = ctx.config as FacebookConfig;
  const pageId = String(ctx.account.settings.pageId ?? '');
  const token = ctx.credentials.pageAccessToken;
  if (!token) return { level: 'error', message: 'no pageAccessToken stored', hint: reloginHint(ctx.account.name) };
  const graph = new Graph({ http: ctx.http, settings: cfg, token, signal: ctx.signal, reloginHint: reloginHint(ctx.account.name) });
  try {
    const page = await graph.get<{ id?: string; name?: string }>(pageId, { fields: 'id,name' }, 'reading the Page');
    const left = await new PublishWindow(ctx.store, pageId, cfg.reelsPer24h).left();
    const quota = `${left} of ${cfg.reelsPer24h} Reels (moving 24 h, counted by mpv2)`;
    const who = `token valid for Page ${page.name ? `"${page.name}" ` : ''}(${pageId})`;
    return left === 0
      ? { level: 'warn', message: `${who}; the Page has published all ${cfg.reelsPer24h} Reels of the moving 24 hours through mpv2`, hint: 'wait until the oldest is 24 hours old, or rotate to another Page', quota }
      : { level: 'ok', message: who, quota };
  } catch (e) {
    if (!isMpv2Error(e)) throw e;
    return { level: 'error', message: e.message, hint: e.hint };
  }
}
