/** `mpv2 doctor` for twitter: default account keys and the browser selectors (offline). */
import { resolve } from 'node:path';
import type { CheckContext, CheckResult } from 'mpv2/plugin';
import { twitterConfig } from './config.js';
import { authFrom, keysFromSecrets } from './credentials.js';
import { loadSelectors } from './selectors.js';

export async function checkTwitter(ctx: CheckContext): Promise<CheckResult[]> {
  const cfg = twitterConfig(ctx.config);
  const auth = authFrom({ ...cfg, ...keysFromSecrets(ctx.secrets) });
  const results: CheckResult[] = [auth
    ? { name: 'twitter: default account', ok: true, level: 'ok', message: `X API keys configured (${auth.kind === 'oauth1' ? 'OAuth 1.0a' : 'OAuth 2.0 user token'}), API at ${cfg.apiBaseUrl}` }
    : { name: 'twitter: default account', ok: true, level: 'warn', message: 'no X API keys for the default account (steps must name an `account`)', hint: 'set X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN and X_ACCESS_SECRET, or `mpv2 accounts add twitter -n <name>`' }];
  try {
    loadSelectors(cfg.selectorsFile ? resolve(ctx.root, cfg.selectorsFile) : undefined);
    results.push({ name: 'twitter: browser selectors', ok: true, level: 'ok', message: cfg.selectorsFile ? `using ${cfg.selectorsFile}` : 'using the shipped selectors.json' });
  } catch (e) {
    results.push({ name: 'twitter: browser selectors', ok: false, level: 'error', message: (e as Error).message });
  }
  return results;
}
