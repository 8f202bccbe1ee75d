/**
 * `mpv2 accounts check` for instagram: one Graph call, the account's content publishing limit,
 * proves the token works for this IG user and tells what is left of the moving 24 hours.
 * Meta shows a token's permissions only to the app (debug_token), so no scopes are reported.
 */
import { isMpv2Error } from 'mpv2/plugin';
import type { AccountCheckContext, AccountCheckReport } from 'mpv2/plugin';
import { reloginHint } from './account-type.js';
import type { InstagramConfig } from './config.js';
import { Graph } from '../graph.js';

interface LimitAnswer { data?: Array<{ quota_usage?: number; config?: { quota_total?: number; quota_duration?: number } }> }

export async function checkInstagramAccount(ctx: AccountCheckContext): Promise<AccountCheckReport> {
  const userId = String(ctx.account.settings.userId ?? '');
  const token = ctx.credentials.accessToken;
  if (!token) return { level: 'error', message: 'no accessToken stored', hint: reloginHint(ctx.account.name) };
  const graph = new Graph({ http: ctx.http, settings: ctx.config as InstagramConfig, token, signal: ctx.signal, reloginHint: reloginHint(ctx.account.name) });
  try {
    const r = await graph.get<LimitAnswer>(`${userId}/content_publishing_limit`, { fields: 'config,quota_usage' }, 'reading the content publishing limit');
    const row = r.data?.[0];
    const total = row?.config?.quota_total;
    const used = row?.quota_usage ?? 0;
    if (total === undefined) return { level: 'warn', message: `token valid for IG user ${userId}, but Instagram did not say its publishing limit` };
    const left = Math.max(0, total - used);
    const quota = `${left} of ${total} posts (moving 24 h)`;
    return left === 0
      ? { level: 'warn', message: `token valid for IG user ${userId}; the account has used all ${total} posts of the moving 24 hours`, hint: 'wait until the oldest is 24 hours old, or rotate to another account', quota }
      : { level: 'ok', message: `token valid for IG user ${userId}`, quota };
  } catch (e) {
    if (!isMpv2Error(e)) throw e;
    return { level: 'error', message: e.message, hint: e.hint };
  }
}
