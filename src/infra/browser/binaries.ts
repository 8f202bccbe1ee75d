/**
 * Finds the browser and its driver: the config's explicit paths first, then PATH. Selenium
 * Manager is never used (it tries to download drivers, and this machine may be offline).
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { mpv2Error } from '../../errors.js';

export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const APT_HINT = 'Debian/Ubuntu: `apt-get install chromium chromium-driver`';

export interface BrowserBinaries {
  kind: 'chromium' | 'firefox';
  /** The browser executable (for firefox: undefined, geckodriver finds it). */
  browser?: string;
  /** chromedriver or geckodriver. */
  driver: string;
}

export interface BinaryOptions {
  chromiumPath?: string;
  chromedriverPath?: string;
  /** Set: drive Firefox through this geckodriver instead of Chromium (untested). */
  geckodriverPath?: string;
  env?: NodeJS.ProcessEnv;
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first of `names` found executable on PATH. */
export function which(names: string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of names) {
    if (isAbsolute(name)) { if (executable(name)) return name; continue; }
    for (const d of dirs) {
      const p = join(d, name);
      if (existsSync(p) && executable(p)) return p;
    }
  }
  return undefined;
}

function configured(p: string, what: string, key: string): string {
  if (!executable(p)) {
    throw mpv2Error('E_DEPENDENCY_MISSING', `${what} not found at ${p} (browser.${key})`, { hint: `fix \`browser.${key}\` in the config, or unset it to search PATH; ${APT_HINT}` });
  }
  return p;
}

export function findChromium(o: BinaryOptions = {}): string {
  if (o.chromiumPath) return configured(o.chromiumPath, 'chromium', 'chromiumPath');
  const found = which(CHROMIUM_NAMES, o.env);
  if (!found) {
    throw mpv2Error('E_DEPENDENCY_MISSING', `chromium was not found on PATH (looked for ${CHROMIUM_NAMES.join(', ')})`, { hint: `${APT_HINT}, or set \`browser.chromiumPath\`` });
  }
  return found;
}

export function findBrowserBinaries(o: BinaryOptions = {}): BrowserBinaries {
  if (o.geckodriverPath) return { kind: 'firefox', driver: configured(o.geckodriverPath, 'geckodriver', 'geckodriverPath') };
  const browser = findChromium(o);
  const driver = o.chromedriverPath ? configured(o.chromedriverPath, 'chromedriver', 'chromedriverPath') : which(['chromedriver'], o.env);
  if (!driver) {
    throw mpv2Error('E_DEPENDENCY_MISSING', 'chromedriver was not found on PATH', { hint: `${APT_HINT} (the driver must match the chromium version), or set \`browser.chromedriverPath\`` });
  }
  return { kind: 'chromium', browser, driver };
}
