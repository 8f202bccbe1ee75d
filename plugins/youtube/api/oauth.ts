/**
 * OAuth 2.0 access tokens for an api account: refreshed with the stored refresh token at the
 * token endpoint, cached until a minute before expiry (in memory and in the account's
 * credentials, so the next run reuses it), and saved back through `saveCredentials`.
 */
import type { AxiosInstance } from 'axios';
import { isMpv2Error, mpv2Error } from 'mpv2/plugin';
import { classifyHttpError } from 'mpv2/plugin';
import type { AccountsApi } from 'mpv2/plugin';

export interface TokenResponse {
  access_token: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
  token_type?: string;
}

const EARLY_MS = 60_000;
const memory = new Map<string, { token: string; expiresAt: number }>();

export function loginHint(account: string): string {
  return `run \`mpv2 accounts login ${account}\` to sign in again and store a new refresh token`;
}

/** Posts a form to the token endpoint; maps OAuth error bodies to clear errors. */
export async function tokenRequest(http: AxiosInstance, url: string, form: Record<string, string>, account: string, signal?: AbortSignal): Promise<TokenResponse> {
  try {
    const res = await http.post<TokenResponse>(url, new URLSearchParams(form).toString(), {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      signal,
    });
    if (!res.data?.access_token) throw mpv2Error('E_AUTH', `the token endpoint ${url} answered without an access_token`);
    return res.data;
  } catch (e) {
    if (isMpv2Error(e)) throw e;
    const err = e as { response?: { status?: number; data?: { error?: string; error_description?: string } } };
    const code = err.response?.data?.error;
    if (code === 'invalid_grant') {
      throw mpv2Error('E_AUTH', `Google refused the stored grant of account "${account}" (invalid_grant: ${err.response?.data?.error_description ?? 'token expired or revoked'})`, { hint: loginHint(account), status: err.response?.status, cause: e });
    }
    if (code === 'invalid_client' || code === 'unauthorized_client') {
      throw mpv2Error('E_AUTH', `Google refused the OAuth client of account "${account}" (${code})`, { hint: `check clientId and clientSecret (a Desktop-app client of your Google Cloud project), then ${loginHint(account)}`, status: err.response?.status, cause: e });
    }
    throw classifyHttpError(e, 'OAuth token request');
  }
}

export class TokenSource {
  constructor(
    private readonly opts: { http: AxiosInstance; tokenUrl: string; account: string; accounts: AccountsApi; signal?: AbortSignal; now?: () => number },
  ) {}

  private now(): number { return (this.opts.now ?? Date.now)(); }
  private get memKey(): string { return `${this.opts.tokenUrl}|${this.opts.account}`; }

  /** A valid access token (cached or refreshed). */
  async token(): Promise<string> {
    const mem = memory.get(this.memKey);
    if (mem && mem.expiresAt - EARLY_MS > this.now()) return mem.token;
    const creds = await this.opts.accounts.credentials(this.opts.account);
    const stored = Number(creds.accessTokenExpiresAt ?? 0);
    if (creds.accessToken && stored - EARLY_MS > this.now()) {
      memory.set(this.memKey, { token: creds.accessToken, expiresAt: stored });
      return creds.accessToken;
    }
    return this.refresh(creds);
  }

  /** Forgets the cached token (the API answered 401 to it). */
  async invalidate(): Promise<void> {
    memory.delete(this.memKey);
    await this.opts.accounts.saveCredentials(this.opts.account, { accessToken: '', accessTokenExpiresAt: '0' });
  }

  private async refresh(creds: Record<string, string>): Promise<string> {
    const { account } = this.opts;
    if (!creds.clientId || !creds.clientSecret) {
      throw mpv2Error('E_MISSING_KEY', `account "${account}" has no OAuth client (clientId and clientSecret)`, { hint: `create a Desktop-app OAuth client in Google Cloud, store it with \`mpv2 accounts add youtube --name ${account}\`, then \`mpv2 accounts login ${account}\`` });
    }
    if (!creds.refreshToken) {
      throw mpv2Error('E_MISSING_KEY', `account "${account}" has no refresh token yet`, { hint: loginHint(account) });
    }
    const res = await tokenRequest(this.opts.http, this.opts.tokenUrl, {
      grant_type: 'refresh_token',
      client_id: creds.clientId,
      client_secret: creds.clientSecret,
      refresh_token: creds.refreshToken,
    }, account, this.opts.signal);
    const expiresAt = this.now() + (res.expires_in ?? 3600) * 1000;
    memory.set(this.memKey, { token: res.access_token, expiresAt });
    await this.opts.accounts.saveCredentials(account, {
      accessToken: res.access_token,
      accessTokenExpiresAt: String(expiresAt),
      ...(res.refresh_token ? { refreshToken: res.refresh_token } : {}),
    });
    return res.access_token;
  }
}

/** For tests: forget every in-memory token. */
export function clearTokenMemory(): void { memory.clear(); }
