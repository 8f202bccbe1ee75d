/**
 * The browser factory against real Debian chromium + chromedriver, driving pages served on
 * 127.0.0.1: page reads, persistent profiles, the profile lock, stale locks, captures, abort.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { By } from 'selenium-webdriver';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBrowserFactory, profileLockFile, type Mpv2BrowserFactory } from '../../../src/infra/browser/index.js';
import { liveCount } from '../../../src/infra/browser/cleanup.js';
import { startPages, type PagesServer } from './pages.js';

const hasChromium = existsSync('/usr/bin/chromium') && existsSync('/usr/bin/chromedriver');

/** Live processes whose command line names the profile (zombies have no command line). */
function pgrep(profileDir: string): number[] {
  const r = spawnSync('pgrep', ['-f', profileDir], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

describe.skipIf(!hasChromium)('browser factory (real chromium)', () => {
  let pages: PagesServer;
  let dir: string;
  let factory: Mpv2BrowserFactory;
  const logs: string[] = [];
  const log = { debug: (m: string) => logs.push(`debug ${m}`), info: (m: string) => logs.push(`info ${m}`), warn: (m: string) => logs.push(`warn ${m}`) };

  beforeAll(async () => {
    pages = await startPages();
    dir = mkdtempSync(join(tmpdir(), 'mpv2-browser-'));
    factory = createBrowserFactory({ locksDir: join(dir, 'locks'), log, lockWaitMs: 0 });
  });
  afterEach(async () => {
    await factory.closeAll();
    logs.length = 0;
  });
  afterAll(async () => {
    await pages.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens chromium, loads a page and reads an element', async () => {
    const s = await factory.open({ profileDir: join(dir, 'p-read') });
    try {
      await s.driver.get(`${pages.url}/`);
      expect(await s.driver.findElement(By.id('title')).getText()).toBe('Hello from 127.0.0.1');
      expect(await s.driver.findElement(By.id('name')).getAttribute('value')).toBe('mpv2');
      expect(await s.driver.executeScript('return navigator.userAgent')).toMatch(/HeadlessChrome/);
    } finally {
      await s.close();
    }
    expect(pgrep(join(dir, 'p-read'))).toEqual([]);
    expect(existsSync(profileLockFile(join(dir, 'locks'), join(dir, 'p-read')))).toBe(false);
  });

  it('keeps a persistent cookie in the profile across two sessions', async () => {
    const profileDir = join(dir, 'p-cookie');
    const a = await factory.open({ profileDir });
    await a.driver.get(`${pages.url}/set-cookie`);
    expect(await a.driver.findElement(By.id('done')).getText()).toBe('cookie set');
    await a.close();
    const b = await factory.open({ profileDir });
    await b.driver.get(`${pages.url}/read-cookie`);
    expect(await b.driver.findElement(By.id('cookie')).getText()).toBe('session=kept-42');
    await b.close();
    // a fresh temporary profile has no such cookie, and is removed on close
    const c = await factory.open();
    await c.driver.get(`${pages.url}/read-cookie`);
    expect(await c.driver.findElement(By.id('cookie')).getText()).toBe('(none)');
    await c.close();
    expect(existsSync(c.profileDir)).toBe(false);
  });

  it('refuses a second browser on a busy profile with a clear error', async () => {
    const profileDir = join(dir, 'p-busy');
    const a = await factory.open({ profileDir });
    const err = await factory.open({ profileDir, lockWaitMs: 0 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_LOCKED', retryable: true });
    expect((err as Error).message).toContain(`profile ${profileDir} is in use by pid ${process.pid}`);
    expect((err as Error).message).toContain('another run or `mpv2 accounts login`');
    // the first session is unharmed
    await a.driver.get(`${pages.url}/`);
    expect(await a.driver.findElement(By.id('title')).isDisplayed()).toBe(true);
    await a.close();
  });

  it('a second open waits for the lock and succeeds once the first closes', async () => {
    const profileDir = join(dir, 'p-wait');
    const a = await factory.open({ profileDir });
    const second = factory.open({ profileDir, lockWaitMs: 30_000 });
    await vi.waitFor(() => expect(logs.some((l) => l.startsWith('info waiting for the lock'))).toBe(true), { timeout: 10_000, interval: 50 });
    await a.close();
    const b = await second;
    await b.driver.get(`${pages.url}/`);
    expect(await b.driver.findElement(By.id('title')).getText()).toContain('Hello');
    await b.close();
  });

  it('clears a stale lock left by a dead process, and kills the orphaned browser on the profile', async () => {
    const profileDir = join(dir, 'p-stale');
    mkdirSync(profileDir, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const lockFile = profileLockFile(join(dir, 'locks'), profileDir);
    mkdirSync(join(dir, 'locks'), { recursive: true });
    writeFileSync(lockFile, JSON.stringify({ pid: dead, startedAt: '2026-01-01T00:00:00.000Z', what: 'browser', hostname: hostname() }));
    // the crashed run's chromium, still running on the profile (what a kill -9 of node leaves)
    const orphan = spawn('/usr/bin/chromium', ['--headless=new', '--no-sandbox', '--disable-gpu', `--user-data-dir=${profileDir}`, 'about:blank'], { stdio: 'ignore', detached: true });
    orphan.unref();
    await vi.waitFor(() => expect(pgrep(profileDir).length).toBeGreaterThan(0), { timeout: 10_000, interval: 50 });
    const s = await factory.open({ profileDir });
    expect(logs.some((l) => l.startsWith(`warn cleared a stale lock ${lockFile} (pid ${dead} is not running)`))).toBe(true);
    expect(logs.some((l) => /warn killed \d+ leftover browser process/.test(l))).toBe(true);
    await s.driver.get(`${pages.url}/`);
    expect(await s.driver.findElement(By.id('title')).getText()).toContain('Hello');
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid, what: 'browser' });
    await s.close();
  });

  it('capture writes a PNG screenshot and the page HTML', async () => {
    const s = await factory.open({ profileDir: join(dir, 'p-capture') });
    await s.driver.get(`${pages.url}/`);
    const out = await s.capture(join(dir, 'captures'), 'failure');
    await s.close();
    expect(out).toEqual({ screenshot: join(dir, 'captures', 'failure.png'), html: join(dir, 'captures', 'failure.html') });
    const png = readFileSync(out.screenshot!);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(1280); // IHDR width: the window size
    expect(readFileSync(out.html!, 'utf8')).toContain('<span class="marker">capture-me</span>');
  });

  it('an abort kills the browser at once and frees the profile', async () => {
    const profileDir = join(dir, 'p-abort');
    const ac = new AbortController();
    const s = await factory.open({ profileDir, signal: ac.signal });
    await s.driver.get(`${pages.url}/`);
    const before = pgrep(profileDir);
    expect(before.length).toBeGreaterThan(0);
    ac.abort();
    await vi.waitFor(() => expect(pgrep(profileDir)).toEqual([]), { timeout: 15_000, interval: 50 });
    expect(existsSync(profileLockFile(join(dir, 'locks'), profileDir))).toBe(false);
    expect(liveCount()).toBe(0);
    await s.close(); // harmless after an abort
    const again = await factory.open({ profileDir, lockWaitMs: 0 });
    await again.close();
  });

  it('an already-aborted signal starts nothing', async () => {
    const err = await factory.open({ profileDir: join(dir, 'p-pre'), signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_ABORTED' });
    expect(pgrep(join(dir, 'p-pre'))).toEqual([]);
  });
});

describe('browser factory without a browser', () => {
  it('a missing chromium is E_DEPENDENCY_MISSING with the apt hint, found at open (not at creation)', async () => {
    const f = createBrowserFactory({ chromiumPath: '/nonexistent/chromium', locksDir: join(tmpdir(), 'mpv2-nolocks'), log: { debug() {}, info() {}, warn() {} } });
    const err = await f.open({}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_DEPENDENCY_MISSING' });
    expect((err as { hint: string }).hint).toContain('apt-get install chromium chromium-driver');
  });

  it('a missing chromedriver on PATH is E_DEPENDENCY_MISSING', async () => {
    const f = createBrowserFactory({ chromiumPath: process.execPath, locksDir: join(tmpdir(), 'mpv2-nolocks'), log: { debug() {}, info() {}, warn() {} }, env: { PATH: '/nonexistent' } });
    const err = await f.open({}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_DEPENDENCY_MISSING', message: 'chromedriver was not found on PATH' });
  });

  it('without a display a visible browser is refused with a hint', async () => {
    if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY || !hasChromium) return;
    const f = createBrowserFactory({ locksDir: join(tmpdir(), 'mpv2-nolocks'), log: { debug() {}, info() {}, warn() {} } });
    const err = await f.open({ headless: false }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_DEPENDENCY_MISSING', hint: expect.stringContaining('xvfb-run') });
  });
});
