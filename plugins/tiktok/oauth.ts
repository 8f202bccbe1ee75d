/**
 * Access tokens of a tiktok account. TikTok's access tokens last about a day (the issue says 2 h:
 * the expiry TikTok returns is what counts), refresh tokens 180 days, and every refresh returns a
 * new refresh token while the old one dies at once. So two refreshes with one refresh token must
 * never race: the second would fail and could lose the account.
 *
 * Serialization: within this process a promise chain per project + account; across processes
 * and workers the refresh is itself an effect keyed by the refresh token it spends. The effect
 * store's atomic claim (SQLite, or Redis when `queue.url` is set) lets one process act; another
 * sees the record pending and waits for that live run, then reads the stored token it saved.
 * The new tokens are stored (`saveCredentials`: temp file + rename under a lock) before use.
 */
import { isMpv2Error, mpv2Error, pluginError } from 'mpv2/plugin';
import { classifyHttpError } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import { apiBase, type TiktokConfig } from './config.js';

interface TokenBody {
  access_token?: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_expires_in?: number;
  open_id?: string;
  scope?: string;
  error?: string;
  error_description?: string;
}

/** Refresh this long before TikTok's expiry, so a token never dies mid-upload. */
const EARLY_MS = 5 * 60_000;
const chains = new Map<string, Promise<unknown>>();

function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = chains.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  chains.set(key, next.catch(() => undefined));
  return next;
}

export const reloginHint = (account: string) =>
  `authorize the app again and store the new refresh token: \`mpv2 accounts add tiktok --name ${account} --update --secret refreshToken=…\``;

export class TiktokTokens {
  constructor(private readonly ctx: StepContext, private readonly cfg: TiktokConfig, private readonly account: string, private readonly now: () => number = Date.now) {}

  private fresh(creds: Record<string, string>): string | undefined {
    const exp = Number(creds.accessTokenExpiresAt ?? 0);
    return creds.accessToken && exp - EARLY_MS > this.now() ? creds.accessToken : undefined;
  }

  /** A valid access token: the stored one, or a refreshed one. */
  async token(): Promise<string> {
    const stored = this.fresh(await this.ctx.accounts.credentials(this.account));
    return stored ?? this.refresh();
  }

  /** TikTok refused the stored access token (revoked or expired early): forget it. */
  async invalidate(): Promise<void> {
    await this.ctx.accounts.saveCredentials(this.account, { accessToken: '', accessTokenExpiresAt: '0' });
  }

  private refresh(): Promise<string> {
    return serialized(`${this.ctx.root}\0${this.account}`, async () => {
      const creds = await this.ctx.accounts.credentials(this.account);
      // another refresh finished while this one waited
      const already = this.fresh(creds);
      if (already) return already;
      if (!creds.clientKey || !creds.clientSecret || !creds.refreshToken) {
        throw mpv2Error('E_MISSING_KEY', `tiktok account "${this.account}" lacks ${['clientKey', 'clientSecret', 'refreshToken'].filter((k) => !creds[k]).join(', ')}`, { hint: reloginHint(this.account), notDone: true });
      }
      const spent = creds.refreshToken;
      await this.ctx.effect(['oauth-refresh', this.account, spent], () => this.exchange(creds), {
        // a refresh of this token that a dead run left pending: done if a new token was stored
        reconcile: async () => ((await this.ctx.accounts.credentials(this.account)).refreshToken !== spent ? { rotated: true } : undefined),
        // TikTok may hand back the same refresh token: it may be spent again once this passed
        window: '10m',
      });
      const now = this.fresh(await this.ctx.accounts.credentials(this.account));
      if (!now) throw pluginError('tiktok/AUTH', `the access token of tiktok account "${this.account}" is still not valid after a refresh`, { hint: reloginHint(this.account) });
      return now;
    });
  }

  /** One refresh_token grant; the rotated tokens are stored before anything uses them. */
  private async exchange(creds: Record<string, string>): Promise<{ rotated: true }> {
    let body: TokenBody;
    try {
      const res = await this.ctx.http.post<TokenBody>(`${apiBase(this.cfg)}/v2/oauth/token/`, new URLSearchParams({
        client_key: creds.clientKey!, client_secret: creds.clientSecret!, grant_type: 'refresh_token', refresh_token: creds.refreshToken!,
      }).toString(), { headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Cache-Control': 'no-cache' }, signal: this.ctx.signal });
      body = res.data;
    } catch (e) {
      const data = (e as { response?: { data?: TokenBody } }).response?.data;
      if (data?.error) body = data;
      else throw classifyHttpError(e, 'TikTok token refresh');
    }
    if (body.error || !body.access_token) {
      // TikTok refused the grant: nothing was rotated
      throw pluginError('tiktok/AUTH', `TikTok refused the refresh token of account "${this.account}" (${body.error ?? 'no access_token'}${body.error_description ? `: ${body.error_description}` : ''})`, { hint: reloginHint(this.account), notDone: true });
    }
    try {
      await this.ctx.accounts.saveCredentials(this.account, {
        accessToken: body.access_token,
        accessTokenExpiresAt: String(this.now() + (body.expires_in ?? 7200) * 1000),
        ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
      });
    } catch (e) {
      // the old refresh token is dead and the new one could not be kept: only a new authorization helps
      throw mpv2Error('E_FILE', `TikTok rotated the refresh token of account "${this.account}" but it could not be stored: ${isMpv2Error(e) ? e.message : String(e)}`, { hint: reloginHint(this.account), cause: e });
    }
    return { rotated: true };
  }
}
