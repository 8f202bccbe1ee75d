/** `ctx.browser` in plugin tests (makeTestContext) is the real factory, bound to the step's signal. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { By, type WebDriver } from 'selenium-webdriver';
import { describe, expect, it, vi } from 'vitest';
import { makeTestContext } from '../../helpers/context.js';
import { startPages } from './pages.js';

const hasChromium = existsSync('/usr/bin/chromium') && existsSync('/usr/bin/chromedriver');
const pgrep = (dir: string) => spawnSync('pgrep', ['-f', dir], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);

describe.skipIf(!hasChromium)('ctx.browser', () => {
  it('opens a real browser, and the step signal aborts it', async () => {
    const pages = await startPages();
    const ac = new AbortController();
    const ctx = makeTestContext({ signal: ac.signal });
    const profileDir = join(mkdtempSync(join(tmpdir(), 'mpv2-ctxb-')), 'profile');
    try {
      const s = await ctx.browser.open({ profileDir });
      const driver = s.driver as WebDriver;
      await driver.get(pages.url);
      expect(await driver.findElement(By.id('title')).getText()).toBe('Hello from 127.0.0.1');
      ac.abort();
      await vi.waitFor(() => expect(pgrep(profileDir)).toEqual([]), { timeout: 15_000, interval: 50 });
      expect(ctx.logs.some((l) => l.level === 'warn' && l.message.startsWith('aborted: killing the browser'))).toBe(true);
    } finally {
      await ctx.closeBrowsers();
      await pages.close();
    }
  });
});
