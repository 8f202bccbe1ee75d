/** Starts chromedriver (or geckodriver) and a browser session on a profile. */
import type { WebDriver } from 'selenium-webdriver';
import { mpv2Error } from '../../errors.js';
import type { BrowserBinaries } from './binaries.js';
import { driverPid } from './processes.js';

export interface StartOptions {
  profileDir: string;
  headless: boolean;
  windowSize: [number, number];
  args: string[];
}

export interface StartedDriver {
  driver: WebDriver;
  /** Kills the driver process (chromedriver / geckodriver). */
  stopService(): Promise<void>;
  /** The driver's pid (Linux), for the synchronous kill at process exit or on a signal. */
  driverPid?: number;
}

/** Selenium starts the driver detached from our exit path on signals: find it to kill it ourselves. */
async function pidOf(service: { address(): Promise<string> }, driverPath: string): Promise<number | undefined> {
  try {
    return driverPid(driverPath, Number(new URL(await service.address()).port));
  } catch {
    return undefined;
  }
}

/** The switches every Chromium session gets (the profile last). */
export function chromiumArgs(o: StartOptions): string[] {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return [
    ...(o.headless ? ['--headless=new'] : []),
    // Chromium refuses to start as root with its sandbox on
    ...(isRoot ? ['--no-sandbox'] : []),
    '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run', '--no-default-browser-check',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--window-size=${o.windowSize[0]},${o.windowSize[1]}`,
    ...o.args,
    `--user-data-dir=${o.profileDir}`,
  ];
}

// Selenium Manager would try to download drivers; with explicit driver paths it never runs,
// and these make sure it stays offline and quiet if anything ever calls it
process.env.SE_OFFLINE ??= 'true';
process.env.SE_AVOID_STATS ??= 'true';

export async function startDriver(bins: BrowserBinaries, o: StartOptions): Promise<StartedDriver> {
  const env = { ...process.env, SE_OFFLINE: 'true', SE_AVOID_STATS: 'true' } as Record<string, string>;
  if (bins.kind === 'firefox') return startFirefox(bins, o, env);
  // loaded on first use: most runs never open a browser
  const { default: chrome } = await import('selenium-webdriver/chrome.js');
  const service = new chrome.ServiceBuilder(bins.driver).setEnvironment(env).build();
  const options = new chrome.Options().setChromeBinaryPath(bins.browser!).addArguments(...chromiumArgs(o));
  const driver = chrome.Driver.createSession(options, service);
  const stopService = async () => { await service.kill().catch(() => undefined); };
  try {
    await driver.getSession();
  } catch (e) {
    await stopService();
    throw mpv2Error('E_DEPENDENCY_MISSING', `chromium did not start on ${o.profileDir}: ${(e as Error).message}`, {
      cause: e,
      hint: '`mpv2 doctor` checks chromium and chromedriver (their major versions must match); another browser outside mpv2 may have this profile open',
    });
  }
  return { driver, stopService, driverPid: await pidOf(service, bins.driver) };
}

/** Untested here (no geckodriver can be installed offline): kept to the documented minimum. */
async function startFirefox(bins: BrowserBinaries, o: StartOptions, env: Record<string, string>): Promise<StartedDriver> {
  const { default: firefox } = await import('selenium-webdriver/firefox.js');
  const service = new firefox.ServiceBuilder(bins.driver).setEnvironment(env).build();
  const options = new firefox.Options().addArguments(...(o.headless ? ['-headless'] : []), '-profile', o.profileDir, ...o.args);
  const driver = firefox.Driver.createSession(options, service);
  const stopService = async () => { await service.kill().catch(() => undefined); };
  try {
    await driver.getSession();
  } catch (e) {
    await stopService();
    throw mpv2Error('E_DEPENDENCY_MISSING', `firefox did not start: ${(e as Error).message}`, { cause: e, hint: 'Firefox support is untested; unset `browser.geckodriverPath` to use chromium' });
  }
  return { driver, stopService, driverPid: await pidOf(service, bins.driver) };
}
