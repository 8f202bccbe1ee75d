/**
 * The `browser` driver: YouTube Studio in the account's own Chromium profile (signed in once
 * with `mpv2 accounts login`). On any failure it saves a screenshot and the page HTML into the
 * step folder and names the selector that failed.
 */
import type { WebDriver } from 'selenium-webdriver';
import { isMpv2Error, mpv2Error, notDone } from 'mpv2/plugin';
import type { Account, BrowserSession, StepContext } from 'mpv2/plugin';
import type { YoutubeConfig } from '../config.js';
import type { SessionRecord } from '../session-record.js';
import { videoUrl, type UploadedVideo, type UploadRequest } from '../types.js';
import { Finder, SelectorMissing } from './finder.js';
import { loadSelectors, type StudioSelectors } from './selectors.js';
import { findInContentList, NotSignedIn, studioUpload } from './studio.js';

export class BrowserDriver {
  private constructor(private readonly ctx: StepContext, private readonly cfg: YoutubeConfig, private readonly account: Account, private readonly sel: StudioSelectors) {}

  static async create(ctx: StepContext, cfg: YoutubeConfig, account: Account): Promise<BrowserDriver> {
    const file = cfg.selectorsFile ? ctx.resolvePath(cfg.selectorsFile) : undefined;
    return new BrowserDriver(ctx, cfg, account, loadSelectors(file));
  }

  async upload(req: UploadRequest, record: SessionRecord): Promise<UploadedVideo> {
    // an earlier attempt on this account failed midway: Studio may hold its video (or a draft of it)
    if ((await record.get())?.driver === 'browser' && this.channelId()) {
      const found = await this.reconcile(req, record);
      if (found) {
        this.ctx.log.warn(`an earlier attempt left "${req.title}" on the channel (${found.url}); not uploading again: check it in Studio`);
        return found;
      }
    }
    await record.set({ account: this.account.name, driver: 'browser' });
    let chosen = false;
    const { videoId, thumbnail } = await this.withBrowser('upload', (f) => studioUpload(f, req, {
      uploadUrl: this.cfg.uploadUrl,
      processingTimeoutMs: this.cfg.processingTimeoutMs,
      log: this.ctx.log,
      progress: (message) => this.ctx.progress({ message }),
      fileChosen: () => { chosen = true; },
    })).catch((e: unknown) => {
      // a profile that would not open, or that is signed out: Studio never saw the file
      throw chosen ? e : notDone(e);
    });
    return { ...this.result(videoId, req), ...(thumbnail ? { thumbnail } : {}) };
  }

  private channelId(): string {
    return typeof this.account.settings.channelId === 'string' ? this.account.settings.channelId : '';
  }

  async reconcile(req: UploadRequest, _record: SessionRecord): Promise<UploadedVideo | undefined> {
    const channelId = this.channelId();
    if (this.cfg.contentUrl.includes('{channelId}') && !channelId) {
      throw mpv2Error('E_EFFECT_IN_DOUBT', `an earlier upload of "${req.title}" to account "${this.account.name}" stopped midway, and without the account's channelId its Studio content list cannot be checked`, {
        hint: `look at the channel's content in Studio, then \`mpv2 effects resolve <key> --done\` or \`--retry\` (\`mpv2 effects list\` shows the key); setting the account's channelId lets mpv2 check by itself next time`,
      });
    }
    const url = this.cfg.contentUrl.replaceAll('{channelId}', channelId);
    const id = await this.withBrowser('reconcile', (f) => findInContentList(f, url, req.title));
    return id ? this.result(id, req) : undefined;
  }

  private result(videoId: string, req: UploadRequest): UploadedVideo {
    return { videoId, url: videoUrl(videoId), status: 'uploaded', account: this.account.name, driver: 'browser', visibility: req.visibility, ...(req.publishAt ? { publishAt: req.publishAt } : {}) };
  }

  /** Opens the profile, runs `fn`, and on failure captures the page before closing. */
  private async withBrowser<T>(what: string, fn: (f: Finder) => Promise<T>): Promise<T> {
    const session: BrowserSession = await this.ctx.browser.open({ profileDir: this.account.profileDir, headless: this.cfg.headless, signal: this.ctx.signal });
    try {
      const finder = new Finder(session.driver as WebDriver, this.sel, this.cfg.stepTimeoutMs, this.ctx.signal);
      return await fn(finder);
    } catch (e) {
      throw await this.explain(e, session, what);
    } finally {
      await session.close();
    }
  }

  private async explain(e: unknown, session: BrowserSession, what: string): Promise<Error> {
    if (e instanceof NotSignedIn) {
      return mpv2Error('E_AUTH', `the browser profile of account "${this.account.name}" is not signed in to YouTube (${e.message})`, {
        hint: `run \`mpv2 accounts login ${this.account.name}\`, sign in in the Chromium window, then close it`,
      });
    }
    if (isMpv2Error(e) && (e.code === 'E_ABORTED' || e.code === 'E_AUTH')) return e;
    const shot = await session.capture(this.ctx.workdir, `youtube-${what}-failure`).catch(() => ({} as { screenshot?: string; html?: string }));
    const saved = [shot.screenshot, shot.html].filter(Boolean).join(' and ');
    const where = saved ? `; saved ${saved}` : '';
    if (e instanceof SelectorMissing) {
      return mpv2Error('E_PLUGIN_FAILED', `${e.message}${where}`, {
        cause: e,
        hint: `Studio may have changed: fix "${e.key}" in plugins/youtube/browser/selectors.json, or override it in a file named by youtube.selectorsFile`,
        details: { selector: e.key, tried: e.tried, screenshot: shot.screenshot, html: shot.html },
      });
    }
    const err = isMpv2Error(e) ? e : mpv2Error('E_PLUGIN_FAILED', `Studio ${what} failed: ${(e as Error).message ?? String(e)}`, { cause: e });
    err.message = `${err.message}${where}`;
    err.details = { ...(err.details ?? {}), screenshot: shot.screenshot, html: shot.html };
    return err;
  }
}
