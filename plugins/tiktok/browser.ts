/**
 * The browser fallback (`driver: browser`): TikTok Studio's upload page in Chromium on the
 * account's signed-in profile. `prepare` does everything up to an enabled Post button (a
 * failure there posted nothing) and runs in the effect's `ready`; `post` is the click, the act.
 * There is no publish_id: a crashed post is looked for in Studio's content list by its caption.
 * A step that cannot find its element saves a screenshot and the HTML and names the selector.
 */
import type { WebDriver, WebElement } from 'selenium-webdriver';
import { mpv2Error, type BrowserSession, type Mpv2Error, type StepContext } from 'mpv2/plugin';
import type { TiktokConfig } from './config.js';
import type { Posted, UploadInput } from './schema.js';
import { loadSelectors, type Selectors } from './selectors.js';

type Name = keyof Selectors;

export class StudioPage {
  private failures = 0;
  private constructor(
    private readonly ctx: StepContext,
    private readonly cfg: TiktokConfig,
    private readonly session: BrowserSession,
    private readonly sel: Selectors,
    private readonly sw: typeof import('selenium-webdriver'),
    readonly account: string,
  ) {}

  static async open(ctx: StepContext, cfg: TiktokConfig, account: string, profileDir: string | undefined): Promise<StudioPage> {
    const sw = await import('selenium-webdriver');
    const sel = loadSelectors(cfg.selectorsFile ? ctx.resolvePath(cfg.selectorsFile) : undefined);
    const session = await ctx.browser.open({ profileDir, headless: cfg.headless, signal: ctx.signal });
    return new StudioPage(ctx, cfg, session, sel, sw, account);
  }

  private get driver(): WebDriver { return this.session.driver as WebDriver; }
  private url(path: string): string { return `${this.cfg.webBaseUrl.replace(/\/+$/, '')}${path}`; }

  private async fail(name: Name, doing: string, cause: unknown): Promise<Mpv2Error> {
    const shot = await this.session.capture(this.ctx.workdir, `tiktok-browser-failure-${++this.failures}`).catch(() => ({} as { screenshot?: string; html?: string }));
    const saved = [shot.screenshot && `screenshot ${shot.screenshot}`, shot.html && `HTML ${shot.html}`].filter(Boolean).join(', ');
    return mpv2Error('E_PLUGIN_FAILED', `TikTok Studio: ${doing}: no element for selector "${name}" (${this.sel[name]})${saved ? `; saved ${saved}` : ''}`, {
      cause, details: { selector: name, css: this.sel[name], ...shot },
      hint: `is the profile signed in (\`mpv2 accounts login ${this.account}\`)? If TikTok changed its page, copy plugins/tiktok/selectors.json, fix the selector and set tiktok.selectorsFile`,
    });
  }

  private async find(name: Name, doing: string, css = this.sel[name], timeout = this.cfg.browserTimeoutMs): Promise<WebElement> {
    try {
      return await this.driver.wait(this.sw.until.elementLocated(this.sw.By.css(css)), timeout);
    } catch (e) {
      throw await this.fail(name, doing, e);
    }
  }

  /** Replaces the editor's text (Studio pre-fills the file name) the way a paste would; emoji included. */
  private async setCaption(box: WebElement, text: string): Promise<void> {
    await box.click();
    await this.driver.executeScript(
      `const el = arguments[0]; el.focus(); document.execCommand('selectAll', false); document.execCommand('delete', false);
       if (arguments[1]) document.execCommand('insertText', false, arguments[1]);`, box, text);
  }

  /** Everything before the click on Post: the file, its upload, the caption, the privacy level. */
  async prepare(file: string, input: UploadInput, caption: string): Promise<WebElement> {
    await this.driver.get(this.url(this.sel.uploadUrl));
    await (await this.find('fileInput', 'choosing the video')).sendKeys(file);
    await this.find('uploaded', 'waiting for the upload to finish', this.sel.uploaded, this.cfg.processingTimeoutMs);
    await this.setCaption(await this.find('caption', 'typing the caption'), caption);
    await (await this.find('privacyButton', 'opening the privacy choice')).click();
    await (await this.find('privacyOption', `choosing ${input.privacyLevel}`, this.sel.privacyOption.replace('{level}', input.privacyLevel))).click();
    const button = await this.find('postButton', 'pressing Post');
    try {
      await this.driver.wait(this.sw.until.elementIsEnabled(button), this.cfg.browserTimeoutMs);
    } catch (e) {
      throw await this.fail('postButton', 'pressing Post (the button stayed disabled)', e);
    }
    return button;
  }

  /** The act: the click; then Studio's confirmation and the new post's link in the content list. */
  async post(button: WebElement, input: UploadInput, caption: string): Promise<Posted> {
    try {
      await button.click();
    } catch (e) {
      throw await this.fail('postButton', 'pressing Post', e);
    }
    await this.find('postedDone', 'waiting for TikTok to confirm the post');
    return (await this.findInContent(input, caption)) ?? this.result(input, '', 'posted through TikTok Studio; the post is not in the content list yet, so there is no URL');
  }

  /** A post in Studio's content list whose caption is exactly this one (the marker of a crashed attempt). */
  async findInContent(input: UploadInput, caption: string, open = false): Promise<Posted | undefined> {
    if (open) await this.driver.get(this.url(this.sel.contentUrl));
    await this.find('contentRow', 'reading the content list').catch(() => undefined);
    const { By } = this.sw;
    for (const row of await this.driver.findElements(By.css(this.sel.contentRow))) {
      const cap = await row.findElements(By.css(this.sel.contentCaption));
      if (!cap[0] || (await cap[0].getText()).trim() !== caption.trim()) continue;
      const link = await row.findElements(By.css(this.sel.contentLink));
      const href = link[0] ? await link[0].getAttribute('href') : '';
      return this.result(input, href ?? '', href ? '' : 'found in TikTok Studio without a link');
    }
    return undefined;
  }

  private result(input: UploadInput, href: string, note: string): Posted {
    const id = /\/video\/(\d+)/.exec(href)?.[1];
    return { publishId: '', status: 'PUBLISH_COMPLETE', postIds: id ? [id] : [], url: id ? href : '', account: this.account, mode: 'direct', privacyLevel: input.privacyLevel, note: id ? '' : note };
  }

  close(): Promise<void> { return this.session.close(); }
}
