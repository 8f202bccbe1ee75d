/**
 * The browser factory behind `ctx.browser`: Chromium through chromedriver (never Selenium
 * Manager) on a persistent profile, one browser per profile at a time (a lock file), and
 * no orphan left behind: `close()`, the abort signal and process exit all kill the browser.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { WebDriver } from 'selenium-webdriver';
import { mpv2Error } from '../../errors.js';
import type { BrowserFactory, BrowserSession, StepLogger } from '../../plugin/types.js';
import { sha256 } from '../hash.js';
import { findBrowserBinaries, type BinaryOptions, type BrowserBinaries } from './binaries.js';
import { registerCleanup } from './cleanup.js';
import { acquireLock, type HeldLock } from './lock.js';
import { killPids, killProfileProcesses, profileProcesses } from './processes.js';
import { startDriver } from './start.js';
import { captureTo } from './capture.js';

export interface BrowserFactoryOptions extends BinaryOptions {
  /** Run without a window. @default true */
  headless?: boolean;
  /** Folder of the profile lock files (e.g. `.mpv2/locks`). */
  locksDir: string;
  log: Pick<StepLogger, 'debug' | 'info' | 'warn'>;
  /** How long `open` waits for another holder of the profile. @default 30000 */
  lockWaitMs?: number;
  /** Where profile-less sessions get a throw-away profile. @default os.tmpdir() */
  tmpDir?: string;
  /** @default [1280, 900] */
  windowSize?: [number, number];
}

export interface OpenOptions {
  /** The persistent profile; without one, a temporary profile removed on close. */
  profileDir?: string;
  headless?: boolean;
  /** Aborting kills the browser at once (by pid) and frees the profile. */
  signal?: AbortSignal;
  /** Overrides the factory's `lockWaitMs`. */
  lockWaitMs?: number;
  /** Extra browser command-line switches. */
  args?: string[];
}

export interface Mpv2BrowserSession extends BrowserSession {
  readonly driver: WebDriver;
  readonly profileDir: string;
}

export interface Mpv2BrowserFactory extends BrowserFactory {
  open(options?: OpenOptions): Promise<Mpv2BrowserSession>;
  /** Closes every session still open (end of a run). */
  closeAll(): Promise<void>;
}

/** The lock file of a profile: `<locksDir>/<sha256 of the absolute profile path>.lock`. */
export function profileLockFile(locksDir: string, profileDir: string): string {
  return join(locksDir, `${sha256(resolve(profileDir)).slice(0, 32)}.lock`);
}

export function profileBusyMessage(profileDir: string) {
  return (h: { pid: number; what: string; startedAt: string }) =>
    `profile ${profileDir} is in use by pid ${h.pid} (${h.what}, since ${h.startedAt}): another run or \`mpv2 accounts login\``;
}

/** Takes a profile's lock, then kills whatever still runs on it (an orphan from a crashed run). */
export async function lockProfile(o: { locksDir: string; profileDir: string; what: string; waitMs: number; signal?: AbortSignal; log: Pick<StepLogger, 'info' | 'warn'> }): Promise<HeldLock> {
  const lock = await acquireLock(profileLockFile(o.locksDir, o.profileDir), {
    what: o.what, waitMs: o.waitMs, signal: o.signal, log: o.log, busyMessage: profileBusyMessage(o.profileDir),
  });
  const orphans = profileProcesses(o.profileDir);
  if (orphans.length > 0) {
    killProfileProcesses(o.profileDir);
    o.log.warn(`killed ${orphans.length} leftover browser process(es) on ${o.profileDir} (pids ${orphans.join(', ')})`);
  }
  return lock;
}

export function createBrowserFactory(fo: BrowserFactoryOptions): Mpv2BrowserFactory {
  let bins: BrowserBinaries | undefined;
  const open = new Set<Mpv2BrowserSession>();
  return {
    async open(o: OpenOptions = {}): Promise<Mpv2BrowserSession> {
      bins ??= findBrowserBinaries(fo);
      const headless = o.headless ?? fo.headless ?? true;
      if (!headless && process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
        throw mpv2Error('E_DEPENDENCY_MISSING', 'a visible browser was asked for, but there is no display (DISPLAY is not set)', { hint: 'set `browser.headless: true`, or run under `xvfb-run`' });
      }
      if (o.signal?.aborted) throw mpv2Error('E_ABORTED', 'interrupted before the browser started');
      const temp = !o.profileDir;
      const profileDir = o.profileDir ? resolve(o.profileDir) : mkdtempSync(join(fo.tmpDir ?? tmpdir(), 'mpv2-profile-'));
      const lock = await lockProfile({ locksDir: fo.locksDir, profileDir, what: 'browser', waitMs: o.lockWaitMs ?? fo.lockWaitMs ?? 30_000, signal: o.signal, log: fo.log });
      let killed = false;
      let stopDriver: (() => Promise<void>) | undefined;
      let driverPid: number | undefined;
      // synchronous: also runs from the process exit handler
      const kill = () => {
        if (killed) return;
        killed = true;
        killProfileProcesses(profileDir);
        // selenium kills its driver at a normal exit only; on a signal it would be orphaned
        if (driverPid !== undefined) killPids([driverPid], 'SIGTERM');
        lock.release();
        if (temp) rmSync(profileDir, { recursive: true, force: true });
      };
      const unregister = registerCleanup(kill);
      const onAbort = () => { fo.log.warn(`aborted: killing the browser on ${profileDir}`); void stopDriver?.(); kill(); unregister(); };
      o.signal?.addEventListener('abort', onAbort, { once: true });
      let driver: WebDriver;
      try {
        const started = await startDriver(bins, { profileDir, headless, windowSize: fo.windowSize ?? [1280, 900], args: o.args ?? [] });
        driver = started.driver;
        stopDriver = started.stopService;
        driverPid = started.driverPid;
        if (o.signal?.aborted) throw mpv2Error('E_ABORTED', 'interrupted while the browser started');
      } catch (e) {
        o.signal?.removeEventListener('abort', onAbort);
        await stopDriver?.();
        kill();
        unregister();
        // killed mid-start by the abort: say so, not "chromium did not start"
        if (o.signal?.aborted) throw mpv2Error('E_ABORTED', 'interrupted while the browser started', { cause: e });
        throw e;
      }
      fo.log.debug(`browser open on ${profileDir}${temp ? ' (temporary profile)' : ''}`);
      let closing: Promise<void> | undefined;
      const session: Mpv2BrowserSession = {
        driver,
        profileDir,
        capture: (dir, name) => captureTo(driver, dir, name, fo.log),
        close() {
          closing ??= (async () => {
            open.delete(session);
            o.signal?.removeEventListener('abort', onAbort);
            if (!killed) {
              await withTimeout(driver.quit(), 10_000).catch((e: unknown) => fo.log.debug(`driver.quit failed: ${(e as Error).message}`));
              await stopDriver?.();
              driverPid = undefined; // gone and reaped: its pid may belong to someone else soon
            }
            kill();
            unregister();
          })();
          return closing;
        },
      };
      open.add(session);
      return session;
    },
    async closeAll() {
      await Promise.all([...open].map((s) => s.close()));
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let t: NodeJS.Timeout | undefined;
  const timer = new Promise<undefined>((r) => { t = setTimeout(() => r(undefined), ms); t.unref(); });
  return Promise.race([p, timer]).finally(() => clearTimeout(t));
}
