/**
 * Finding Studio elements through the fallback selectors: each poll tries every candidate in
 * order until one matches or the wait ends; a miss names the key and every selector tried.
 */
import { By, type WebDriver, type WebElement } from 'selenium-webdriver';
import { candidates, type SelectorKey, type StudioSelectors } from './selectors.js';

export class SelectorMissing extends Error {
  constructor(readonly key: SelectorKey, readonly tried: string[], readonly url: string) {
    super(`Studio element "${key}" was not found (tried ${tried.map((t) => JSON.stringify(t)).join(', ')}) on ${url}`);
    this.name = 'SelectorMissing';
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Finder {
  constructor(readonly driver: WebDriver, readonly sel: StudioSelectors, private readonly timeoutMs: number, private readonly signal?: AbortSignal) {}

  /** The first element any candidate matches, polling until `timeoutMs`. */
  async find(key: SelectorKey, opts: { value?: string; timeoutMs?: number; visible?: boolean } = {}): Promise<WebElement> {
    const found = await this.tryFind(key, opts);
    if (found) return found;
    throw new SelectorMissing(key, candidates(this.sel, key, opts.value), await this.driver.getCurrentUrl().catch(() => '?'));
  }

  /** Like `find`, but undefined when nothing matches in time. */
  async tryFind(key: SelectorKey, opts: { value?: string; timeoutMs?: number; visible?: boolean } = {}): Promise<WebElement | undefined> {
    const list = candidates(this.sel, key, opts.value);
    const deadline = Date.now() + (opts.timeoutMs ?? this.timeoutMs);
    for (;;) {
      for (const css of list) {
        const els = await this.driver.findElements(By.css(css));
        for (const el of els) {
          if (!opts.visible || (await el.isDisplayed().catch(() => false))) return el;
        }
      }
      if (Date.now() >= deadline || this.signal?.aborted) return undefined;
      await pause(150);
    }
  }

  /** All elements of the first candidate that matches anything (content-list rows). */
  async findAll(key: SelectorKey, root?: WebElement): Promise<WebElement[]> {
    for (const css of candidates(this.sel, key)) {
      const els = await (root ?? this.driver).findElements(By.css(css));
      if (els.length > 0) return els;
    }
    return [];
  }

  /** Waits until `check` is true, polling; false when the time runs out. */
  async until(check: () => Promise<boolean>, timeoutMs = this.timeoutMs): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check().catch(() => false)) return true;
      if (Date.now() >= deadline || this.signal?.aborted) return false;
      await pause(200);
    }
  }
}
