/** Saves what the browser shows: a PNG screenshot and the page HTML, for failure reports. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebDriver } from 'selenium-webdriver';
import type { StepLogger } from '../../plugin/types.js';

/** Writes `<dir>/<name>.png` and `<dir>/<name>.html`; a part that fails is left out (and logged), never thrown. */
export async function captureTo(driver: WebDriver, dir: string, name: string, log: Pick<StepLogger, 'warn'>): Promise<{ screenshot?: string; html?: string }> {
  mkdirSync(dir, { recursive: true });
  const out: { screenshot?: string; html?: string } = {};
  try {
    const png = join(dir, `${name}.png`);
    writeFileSync(png, Buffer.from(await driver.takeScreenshot(), 'base64'));
    out.screenshot = png;
  } catch (e) {
    log.warn(`could not take a screenshot: ${(e as Error).message}`);
  }
  try {
    const html = join(dir, `${name}.html`);
    writeFileSync(html, await driver.getPageSource());
    out.html = html;
  } catch (e) {
    log.warn(`could not save the page HTML: ${(e as Error).message}`);
  }
  return out;
}
