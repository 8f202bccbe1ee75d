/** `mpv2 doctor` for tiktok: the endpoints in use and the browser driver's selectors (offline). */
import { resolve } from 'node:path';
import type { CheckContext, CheckResult } from 'mpv2/plugin';
import type { TiktokConfig } from './config.js';
import { loadSelectors } from './selectors.js';

export async function checkTiktok(ctx: CheckContext): Promise<CheckResult[]> {
  const cfg = ctx.config as TiktokConfig;
  const results: CheckResult[] = [{ name: 'tiktok: API', ok: true, level: 'ok', message: `Content Posting API at ${cfg.apiBaseUrl}, chunks of ${(cfg.chunkSize / 1048576).toFixed(0)} MiB` }];
  try {
    loadSelectors(cfg.selectorsFile ? resolve(ctx.root, cfg.selectorsFile) : undefined);
    results.push({ name: 'tiktok: browser selectors', ok: true, level: 'ok', message: cfg.selectorsFile ? `using ${cfg.selectorsFile}` : 'using the shipped selectors.json' });
  } catch (e) {
    results.push({ name: 'tiktok: browser selectors', ok: false, level: 'error', message: (e as Error).message, hint: 'fix the JSON file named by tiktok.selectorsFile (see plugins/tiktok/selectors.json)' });
  }
  return results;
}
