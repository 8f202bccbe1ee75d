/**
 * Posting through Chromium on the account's signed-in profile: open the compose page,
 * type the text, attach media through the file input, press Post, read the new post's link.
 * A step that cannot find its element saves a screenshot and the HTML and names the selector.
 */
import type { WebDriver, WebElement } from 'selenium-webdriver';
import { mpv2Error, notDone, type Mpv2Error } from 'mpv2/plugin';
import { parseDuration } from 'mpv2/plugin';
import type { BrowserSession, StepContext } from 'mpv2/plugin';
import type { TwitterConfig } from './config.js';
import { postId, postUrl } from './ids.js';
import { loadSelectors, type Selectors } from './selectors.js';

export interface BrowserPost {
  text: string;
  media: string[];
  replyTo?: string;
  quote?: string;
}

export interface Composer {
  post(p: BrowserPost): Promise<string>;
  close(): Promise<void>;
}

type SelectorName = Exclude<keyof Selectors, 'composeUrl' | 'replyUrl'>;

export async function openComposer(ctx: StepContext, cfg: TwitterConfig, profileDir: string | undefined): Promise<Composer> {
  const { By, until } = await import('selenium-webdriver');
  const sel = loadSelectors(cfg.selectorsFile ? ctx.resolvePath(cfg.selectorsFile) : undefined);
  const timeout = parseDuration(cfg.browserTimeout, 'twitter.browserTimeout');
  const session: BrowserSession = await ctx.browser.open({ profileDir, headless: cfg.headless, signal: ctx.signal });
  const driver = session.driver as WebDriver;
  let failures = 0;
  const web = cfg.webBaseUrl.replace(/\/+$/, '');

  const fail = async (name: SelectorName, doing: string, cause: unknown): Promise<Mpv2Error> => {
    const shot = await session.capture(ctx.workdir, `twitter-browser-failure-${++failures}`).catch(() => ({} as { screenshot?: string; html?: string }));
    const saved = [shot.screenshot && `screenshot ${shot.screenshot}`, shot.html && `HTML ${shot.html}`].filter(Boolean).join(', ');
    return mpv2Error('E_PLUGIN_FAILED', `X compose page: ${doing}: no element for selector "${name}" (${sel[name]}) within ${String(cfg.browserTimeout)}${saved ? `; saved ${saved}` : ''}`, {
      cause, details: { selector: name, css: sel[name], ...shot },
      hint: 'is the profile signed in (`mpv2 accounts login <name>`)? If X changed its page, copy plugins/twitter/selectors.json, fix the selector and set twitter.selectorsFile',
    });
  };
  const find = async (name: SelectorName, doing: string): Promise<WebElement> => {
    try {
      return await driver.wait(until.elementLocated(By.css(sel[name])), timeout, `no ${name}`);
    } catch (e) {
      throw await fail(name, doing, e);
    }
  };

  async function typeText(box: WebElement, text: string): Promise<void> {
    await box.click();
    // chromedriver's sendKeys cannot type characters outside the BMP (emoji): insert them as the browser would
    const inserted = await driver.executeScript<boolean>(
      `const el = arguments[0], text = arguments[1]; el.focus();
       if (el.isContentEditable) return document.execCommand('insertText', false, text);
       if ('value' in el) { el.value = text; el.dispatchEvent(new Event('input', { bubbles: true })); return true; }
       return false;`, box, text);
    if (!inserted) await box.sendKeys(text);
  }

  /** Everything up to the enabled Post button: a failure here posted nothing. */
  async function compose(p: BrowserPost): Promise<WebElement> {
    const path = p.replyTo ? sel.replyUrl.replace('{id}', encodeURIComponent(p.replyTo)) : sel.composeUrl;
    await driver.get(`${web}${path}`);
    const text = p.quote ? `${p.text} ${postUrl(web, p.quote)}` : p.text;
    await typeText(await find('textbox', 'typing the text'), text);
    if (p.media.length) {
      const input = await find('fileInput', 'attaching media');
      await input.sendKeys(p.media.join('\n'));
      try {
        await driver.wait(async () => (await driver.findElements(By.css(sel.attachment))).length >= p.media.length, timeout * Math.max(1, p.media.length));
      } catch (e) {
        throw await fail('attachment', 'waiting for the media to attach', e);
      }
    }
    const button = await find('postButton', 'pressing Post');
    try {
      await driver.wait(until.elementIsEnabled(button), timeout);
    } catch (e) {
      throw await fail('postButton', 'pressing Post (the button stayed disabled)', e);
    }
    return button;
  }

  return {
    async post(p) {
      const button = await compose(p).catch((e: unknown) => { throw notDone(e); });
      // from the click on, the post may exist whatever happens next
      try {
        await button.click();
      } catch (e) {
        throw await fail('postButton', 'pressing Post', e);
      }
      const link = await find('postedLink', 'reading the new post link');
      const href = await link.getAttribute('href');
      return postId(href ?? '', 'the new post link');
    },
    close: () => session.close(),
  };
}
