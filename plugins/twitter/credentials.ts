/**
 * Which X account a step posts as, how (API or browser), and with which keys: a named
 * account or rotation from `ctx.accounts`, else the `twitter` config section (X_* env).
 */
import { mpv2Error } from 'mpv2/plugin';
import type { Account, AccountSpec, StepContext } from 'mpv2/plugin';
import type { TwitterConfig } from './config.js';

export type ApiAuth =
  | { kind: 'oauth1'; apiKey: string; apiSecret: string; accessToken: string; accessSecret: string }
  | { kind: 'bearer'; token: string };

export interface Poster {
  /** The account name, `default` for the config keys. */
  name: string;
  driver: 'api' | 'browser';
  handle?: string;
  account?: Account;
  auth?: ApiAuth;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function authFrom(values: Record<string, unknown>): ApiAuth | undefined {
  const [apiKey, apiSecret, accessToken, accessSecret] = ['apiKey', 'apiSecret', 'accessToken', 'accessSecret'].map((k) => str(values[k]));
  if (apiKey && apiSecret && accessToken && accessSecret) return { kind: 'oauth1', apiKey, apiSecret, accessToken, accessSecret };
  const token = str(values.bearerToken);
  return token ? { kind: 'bearer', token } : undefined;
}

const MISSING_HINT = 'add an account with `mpv2 accounts add twitter -n <name> --secret apiKey=… --secret apiSecret=… --secret accessToken=… --secret accessSecret=…` (keys from the X developer portal), or set X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN and X_ACCESS_SECRET (or X_BEARER_TOKEN) for the default account';

export async function resolvePoster(ctx: StepContext, cfg: TwitterConfig, spec: AccountSpec | undefined, driverIn?: 'api' | 'browser'): Promise<Poster> {
  if (spec === undefined) {
    const driver = driverIn ?? cfg.driver ?? 'api';
    if (driver === 'browser') throw mpv2Error('E_ACCOUNT', 'the browser driver needs an `account` (its browser profile holds the X sign-in)', { hint: 'add one with `mpv2 accounts add twitter -n <name> --set driver=browser`, then `mpv2 accounts login <name>`' });
    const auth = authFrom({ ...cfg, ...keysFromSecrets(ctx.secrets) });
    if (!auth) throw mpv2Error('E_MISSING_KEY', 'no X account: the step names no `account` and no X API keys are configured', { hint: MISSING_HINT });
    return { name: 'default', driver, auth };
  }
  const account = await ctx.accounts.resolve(typeof spec === 'string' ? spec : { ...spec, platform: 'twitter' });
  if (account.platform !== 'twitter') throw mpv2Error('E_ACCOUNT', `account "${account.name}" is a ${account.platform} account, not a twitter one`);
  const settings = account.settings ?? {};
  const driver = driverIn ?? (settings.driver === 'browser' || settings.driver === 'api' ? settings.driver : undefined) ?? cfg.driver ?? 'api';
  const handle = str(settings.handle);
  if (driver === 'browser') return { name: account.name, driver, account, handle };
  const auth = authFrom({ ...settings, ...(await ctx.accounts.credentials(account.name)) });
  if (!auth) throw mpv2Error('E_MISSING_KEY', `account "${account.name}" has no X API keys (apiKey, apiSecret, accessToken, accessSecret or bearerToken)`, { hint: `\`mpv2 accounts add twitter -n ${account.name} --update --secret apiKey=… --secret apiSecret=… --secret accessToken=… --secret accessSecret=…\`, or \`--set driver=browser\`` });
  return { name: account.name, driver, account, handle, auth };
}

/** The X_* variables, under the config's names. */
export function keysFromSecrets(secrets: Readonly<Record<string, string>>): Record<string, string> {
  const map: Record<string, string> = { X_API_KEY: 'apiKey', X_API_SECRET: 'apiSecret', X_ACCESS_TOKEN: 'accessToken', X_ACCESS_SECRET: 'accessSecret', X_BEARER_TOKEN: 'bearerToken' };
  const out: Record<string, string> = {};
  for (const [env, key] of Object.entries(map)) if (secrets[env]) out[key] = secrets[env];
  return out;
}
