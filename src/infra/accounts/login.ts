/**
 * `mpv2 accounts login <name>`: the browser sign-in opens Chromium on the account's profile
 * DIRECTLY (no WebDriver: Google refuses sign-in in automated browsers) and holds the profile
 * lock until the window is closed, so no run drives the profile meanwhile. A platform with its
 * own `login` (OAuth) gets an AccountLoginContext and may use the browser sign-in through
 * `ctx.openProfile()`; what it returns is stored with the account's secrets.
 */
import { mkdirSync } from 'node:fs';
import { isMpv2Error, mpv2Error } from '../../errors.js';
import type { AccountLoginContext, AccountType } from '../../plugin/types.js';
import { findChromium } from '../browser/binaries.js';
import { registerCleanup } from '../browser/cleanup.js';
import { lockProfile } from '../browser/factory.js';
import { killProfileProcesses } from '../browser/processes.js';
import { createHttpClient, type HttpPolicy } from '../http.js';
import { runProcess } from '../process.js';
import type { Redactor } from '../redact.js';
import type { AccountsHandle } from './admin.js';

export interface ProfileLoginOptions {
  profileDir: string;
  /** The page to open (the platform's sign-in page). @default about:blank */
  url?: string;
  chromiumPath?: string;
  locksDir: string;
  /** Only for tests: a window cannot be shown here. @default false */
  headless?: boolean;
  signal?: AbortSignal;
  log: { info(m: string): void; warn(m: string): void };
  /** Called once Chromium runs (its pid). */
  onStarted?: (pid: number) => void;
}

/** Runs Chromium on the profile until it exits; the profile stays locked meanwhile. */
export async function openProfileForLogin(o: ProfileLoginOptions): Promise<{ exitCode: number | null }> {
  const chromium = findChromium({ chromiumPath: o.chromiumPath });
  if (!o.headless && process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    throw mpv2Error('E_DEPENDENCY_MISSING', 'signing in needs a visible browser window, and there is no display (DISPLAY is not set)', {
      hint: 'run `mpv2 accounts login` on a desktop session (or over `ssh -X`), then copy the profile folder to this machine',
    });
  }
  mkdirSync(o.profileDir, { recursive: true });
  const lock = await lockProfile({ locksDir: o.locksDir, profileDir: o.profileDir, what: 'accounts login', waitMs: 0, signal: o.signal, log: o.log });
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const args = [
    ...(o.headless ? ['--headless=new', '--disable-gpu'] : []),
    ...(isRoot ? ['--no-sandbox'] : []),
    '--no-first-run', '--no-default-browser-check',
    `--user-data-dir=${o.profileDir}`,
    o.url ?? 'about:blank',
  ];
  const cleanup = () => { killProfileProcesses(o.profileDir); lock.release(); };
  const unregister = registerCleanup(cleanup);
  try {
    // the window's own exit code is the answer; Ctrl-C closes it (SIGTERM, SIGKILL after the grace)
    const r = await runProcess(chromium, args, { name: 'chromium', signal: o.signal, onSpawn: o.onStarted, allowFailure: true, maxOutput: 64 * 1024 })
      .catch((e: unknown) => { if (isMpv2Error(e) && e.code === 'E_ABORTED') return undefined; throw e; });
    return { exitCode: r && !r.signal ? r.exitCode : null };
  } finally {
    // Chromium's helpers may outlive the window for a moment: none may keep the profile
    cleanup();
    unregister();
  }
}

export interface LoginRequest {
  name: string;
  type: AccountType;
  /** The config section of the plugin namespace that declared the type. */
  config: Readonly<Record<string, unknown>>;
  /** The project's `http` section (socket cap, allowed hosts). @default DEFAULT_HTTP_POLICY */
  http?: HttpPolicy;
  url?: string;
  chromiumPath?: string;
  locksDir: string;
  headless?: boolean;
  signal: AbortSignal;
  redactor: Redactor;
  print(line: string): void;
  log: ProfileLoginOptions['log'];
  onStarted?: (pid: number) => void;
}

/** Runs the platform's login, or the plain browser sign-in; returns the secret keys it stored. */
export async function loginAccount(h: AccountsHandle, r: LoginRequest): Promise<{ mode: 'platform' | 'browser'; storedKeys: string[] }> {
  const account = await h.store.require(r.name);
  const openProfile = async () => {
    const url = r.url ?? (typeof account.settings.loginUrl === 'string' ? account.settings.loginUrl : undefined);
    r.print(`Opening Chromium on ${account.profileDir}${url ? ` at ${url}` : ''}; sign in, then close the window.`);
    await openProfileForLogin({ profileDir: account.profileDir, url, chromiumPath: r.chromiumPath, locksDir: r.locksDir, headless: r.headless, signal: r.signal, log: r.log, onStarted: r.onStarted });
  };
  if (!r.type.login) {
    if (!r.type.browserLogin) {
      throw mpv2Error('E_USAGE', `${account.platform} accounts have nothing to sign in to: their credentials are set with \`mpv2 accounts add ${account.platform} --name ${r.name} --update --secret key=value\``);
    }
    await openProfile();
    return { mode: 'browser', storedKeys: [] };
  }
  const credentials = await h.credentials.get(r.name);
  r.redactor.addAll(Object.values(credentials));
  const ctx: AccountLoginContext = {
    account, credentials, config: r.config, http: createHttpClient({ signal: r.signal, policy: r.http, redactor: r.redactor }), signal: r.signal, print: r.print,
    ...(r.type.browserLogin && { openProfile }),
  };
  const values = await r.type.login(ctx);
  const stored = Object.fromEntries(Object.entries(values ?? {}).filter(([, v]) => typeof v === 'string' && v !== ''));
  r.redactor.addAll(Object.values(stored));
  if (Object.keys(stored).length > 0) await h.credentials.set(r.name, stored, { merge: true });
  return { mode: 'platform', storedKeys: Object.keys(stored).sort() };
}
