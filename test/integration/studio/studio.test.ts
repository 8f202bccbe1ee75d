/**
 * The web studio in a real Chromium (Debian chromium + chromedriver through selenium-webdriver)
 * against a real `mpv2 serve` server on 127.0.0.1: the catalogue, a run started from the form
 * generated from the pipeline's inputs (a narrated, captioned clip rendered offline), the live
 * run view until it finishes, the video element playing with its captions track, the outputs,
 * server errors at their field, the keyboard, cancel and resume, approving and rejecting an
 * effect that waits for approval (a POST to a loopback server, sent exactly once), the history,
 * the editor marking a broken line, a phone-sized screen without horizontal scrolling, and the
 * sign-in round trip on a server that needs a token. Screenshots go to a temporary folder, or to docs/images/ with
 * MPV2_UPDATE_SCREENSHOTS=1 (docs/serve.md shows them).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { By, Key, until, type WebDriver } from 'selenium-webdriver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccount, openAccounts } from '../../../src/infra/accounts/index.js';
import { createBrowserFactory, type Mpv2BrowserFactory } from '../../../src/infra/browser/index.js';
import type { AccountType } from '../../../src/plugin/types.js';
import { accountTypes } from '../../../src/cli/commands/accounts/shared.js';
import { listenLoopback, type Listening } from '../../servers/listen.js';
import { startYoutubeServer, type YoutubeServer } from '../../servers/youtube-api.js';
import { CLIENT } from '../youtube/helpers.js';
import { SLOW_PIPELINE, startHarness, type ServeHarness } from '../serve/harness.js';

const hasChromium = existsSync('/usr/bin/chromium') && existsSync('/usr/bin/chromedriver');
const repo = fileURLToPath(new URL('../../../', import.meta.url));

const CLIP = `name: clip
description: A tiny narrated, captioned clip made offline
inputs:
  text:
    type: string
    description: What the voice says
  style:
    type: string
    enum: [karaoke, pop, classic]
    default: classic
    description: Caption style
steps:
  - id: voice
    uses: tts.speak
    with:
      text: \${{ inputs.text }}
  - id: video
    uses: video.render
    with:
      images: [../in/still.jpg]
      audio: \${{ steps.voice.outputs.audio }}
      captions: \${{ steps.voice.outputs.words }}
      captionStyle:
        style: \${{ inputs.style }}
      title: Studio test
      quality: draft
      aspect: "1:1"
      fps: 12
      preset: ultrafast
      transition: cut
      kenBurns: 1
  - id: post
    uses: core.set
    with:
      text: "New clip: \${{ inputs.text }}"
outputs:
  video: \${{ steps.video.outputs.file }}
  thumbnail: \${{ steps.video.outputs.thumbnail }}
  contactSheet: \${{ steps.video.outputs.contactSheet }}
  captions: \${{ steps.video.outputs.srt }}
  post: \${{ steps.post.outputs.text }}
`;

const GREET = `name: greet
description: core steps only
inputs:
  emails:
    type: array
    items: { type: string, format: email }
    default: []
    description: Addresses, one per line
steps:
  - id: a
    uses: core.set
    with:
      to: \${{ inputs.emails }}
outputs:
  to: \${{ steps.a.outputs.to }}
`;

/** An effect that waits for a person: a POST to the loopback target. */
const PUBLISH = `name: publish
inputs:
  url: { type: string, description: Where to post }
steps:
  - id: text
    uses: core.set
    with: { text: "hello world" }
  - id: post
    uses: http.request
    approval: required
    with: { url: "\${{ inputs.url }}/posts", method: POST, json: { text: "\${{ steps.text.outputs.text }}" } }
outputs:
  status: \${{ steps.post.outputs.status }}
`;

/** A screenshot into `dir`, and into docs/images/ with MPV2_UPDATE_SCREENSHOTS=1 (docs/serve.md shows them). */
async function screenshot(driver: WebDriver, dir: string, name: string): Promise<void> {
  const file = join(dir, `${name}.png`);
  writeFileSync(file, await driver.takeScreenshot(), 'base64');
  if (process.env.MPV2_UPDATE_SCREENSHOTS === '1') copyFileSync(file, join(repo, 'docs', 'images', `${name}.png`));
}

const BROKEN = 'name: broken\nsteps:\n  - id: a\n    uses: core.set\n  - id: b\n    uses: core.nope\n';

describe.skipIf(!hasChromium)('web studio (real chromium, real server)', () => {
  let h: ServeHarness;
  let url: string;
  let shots: string;
  let target: Listening | undefined;
  let targetUrl: string;
  const posts: string[] = [];
  let factory: Mpv2BrowserFactory;
  let driver: WebDriver;
  let runPath = '';

  const $ = (css: string, timeout = 30_000) => driver.wait(until.elementLocated(By.css(css)), timeout, `no ${css}`);
  const shot = (name: string) => screenshot(driver, shots, name);
  /** No page content wider than the viewport (the phone-screen check). */
  const overflow = () => driver.executeScript<number>('return document.documentElement.scrollWidth - document.documentElement.clientWidth');

  beforeAll(async () => {
    target = await listenLoopback(createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method === 'POST') posts.push(Buffer.concat(chunks).toString());
        res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"post-1"}');
      });
    }));
    targetUrl = target.url;
    execFileSync(process.execPath, [join(repo, 'studio', 'build.mjs'), '--quiet'], { cwd: repo });
    h = await startHarness({ 'pipelines/clip.yaml': CLIP, 'pipelines/greet.yaml': GREET, 'pipelines/slow.yaml': SLOW_PIPELINE, 'pipelines/publish.yaml': PUBLISH }, { serve: { studioDir: join(repo, 'dist', 'studio') } });
    url = `${h.base}/`;
    shots = join(h.root, 'shots');
    mkdirSync(shots);
    mkdirSync(join(h.root, 'in'));
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=540x540', '-frames:v', '1', join(h.root, 'in', 'still.jpg')]);
    factory = createBrowserFactory({ locksDir: join(h.root, 'locks'), log: { debug() {}, info() {}, warn() {} } });
    driver = (await factory.open()).driver;
  });

  afterAll(async () => {
    await factory?.closeAll();
    await h?.close();
    await target?.close();
  });

  it('lists the pipelines, checks the generated form, runs it and shows the finished run with a playable video', async () => {
    await driver.get(url);
    const link = await $('.cards a[href="/pipelines/clip"]');
    // the first Tab reaches the skip link, which moves the focus past the navigation
    await driver.actions().sendKeys(Key.TAB).perform();
    expect(await driver.executeScript('return document.activeElement.className')).toBe('skip');
    expect(await link.getText()).toBe('clip');
    await shot('studio-catalogue');
    await link.click();

    // the form from the inputs schema: a required text without default, an enum with its default
    const text = await $('#in-text');
    expect(await text.getAttribute('value')).toBe('');
    expect(await driver.findElement(By.css('#in-style')).getAttribute('value')).toBe('classic');
    expect(await driver.findElement(By.css('#in-text-desc')).getText()).toBe('What the voice says');
    // the client-side check stops an empty required input at its field, and nothing starts
    await driver.findElement(By.css('button[type="submit"]')).click();
    expect(await (await $('#in-text-err')).getText()).toBe('text is required');
    expect(await driver.getCurrentUrl()).toBe(`${url}pipelines/clip`);
    expect(await driver.executeScript('return document.activeElement.id')).toBe('in-text');

    await text.sendKeys('Hello from the studio.');
    await driver.findElement(By.xpath('//select[@id="in-style"]/option[.="pop"]')).click();
    await shot('studio-form');
    await driver.findElement(By.css('button[type="submit"]')).click();

    // the run view follows the SSE stream until the run finishes
    await driver.wait(until.urlMatches(/\/runs\/\d{8}-\d{6}Z-[0-9a-f]{6}$/), 15_000);
    runPath = new URL(await driver.getCurrentUrl()).pathname;
    const status = await $('.run-title .status');
    await driver.wait(until.elementTextIs(status, 'succeeded'), 90_000, 'the run did not succeed');
    const steps = await driver.findElements(By.css('.steps > .step'));
    const states = await Promise.all(steps.map(async (s) => [await s.getAttribute('data-step'), await s.findElement(By.css('.status')).getText()]));
    // in the order they started (post does not wait for the video)
    expect(states.sort()).toEqual([['post', 'succeeded'], ['video', 'succeeded'], ['voice', 'succeeded']]);

    // the video plays: metadata and data load from /api/runs/{id}/files/... (Range requests)
    const video = await driver.executeAsyncScript<{ readyState: number; duration: number; error?: number; cues: number; src: string }>(`
      const done = arguments[arguments.length - 1];
      const v = document.querySelector('video');
      const report = () => { const t = v.textTracks[0]; done({ readyState: v.readyState, duration: v.duration, error: v.error && v.error.code, cues: t && t.cues ? t.cues.length : -1, src: v.currentSrc }); };
      const wait = () => (v.readyState >= 3 && v.textTracks[0] && v.textTracks[0].cues && v.textTracks[0].cues.length > 0) || v.error ? report() : setTimeout(wait, 50);
      v.muted = true;
      v.play().catch(() => {});
      wait();`);
    expect(video.error).toBeFalsy();
    expect(video.readyState).toBeGreaterThanOrEqual(3);
    expect(video.duration).toBeGreaterThan(0.5);
    expect(video.cues).toBeGreaterThan(0);
    expect(video.src).toMatch(/\/api\/runs\/[^/]+\/files\/video\/video\.mp4$/);

    // the thumbnail and the contact sheet are images that loaded; the post text is text
    const images = await driver.executeScript<Array<{ alt: string; w: number }>>('return [...document.querySelectorAll(".image-out img")].map((i) => ({ alt: i.alt, w: i.naturalWidth }))');
    expect(images.map((i) => i.alt).sort()).toEqual(['contactSheet', 'thumbnail']);
    expect(images.every((i) => i.w > 0)).toBe(true);
    expect(await driver.findElement(By.css('.text-out .post-text')).getText()).toBe('New clip: Hello from the studio.');
    await driver.executeScript('document.querySelector(".outputs").scrollIntoView({ block: "center" })');
    await shot('studio-run');
  });

  it("shows the server's input errors at their field, and runs from the keyboard", async () => {
    await driver.get(`${url}pipelines/greet`);
    const emails = await $('#in-emails');
    // the client does not check formats; the server does, and its error lands at the field
    await emails.sendKeys('a@b.example\nnope');
    await driver.findElement(By.css('button[type="submit"]')).click();
    expect(await (await $('#in-emails-err')).getText()).toBe('emails item 2 must match format "email" (got "nope")');
    expect(await emails.getAttribute('aria-invalid')).toBe('true');
    expect(await driver.getCurrentUrl()).toBe(`${url}pipelines/greet`);
    await emails.clear();
    await emails.sendKeys('a@b.example');
    // keyboard only: Tab from the field to the dry-run box, on to the Run button, Enter
    await driver.actions().sendKeys(Key.TAB, Key.TAB).perform();
    expect(await driver.executeScript('return document.activeElement.textContent')).toBe('Run');
    expect(await driver.executeScript('return getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
    await driver.actions().sendKeys(Key.ENTER).perform();
    await driver.wait(until.urlMatches(/\/runs\/\d{8}-\d{6}Z-[0-9a-f]{6}$/), 15_000);
    await driver.wait(until.elementTextIs(await $('.run-title .status'), 'succeeded'), 30_000);
    expect(await (await $('.kv dd')).getText()).toBe('["a@b.example"]');
  });

  it('cancels a running run and resumes it from the run view', async () => {
    await driver.get(`${url}pipelines/slow`);
    await (await $('button[type="submit"]')).click();
    await driver.wait(until.urlMatches(/\/runs\/\d{8}-\d{6}Z-[0-9a-f]{6}$/), 15_000);
    // the live tree: the first step done, the second one running
    await $('.step[data-step="first"] .status-succeeded');
    await $('.step[data-step="hold"] .status-running');
    const [cancel, resume] = await driver.findElements(By.css('.actions button'));
    expect(await resume!.isEnabled()).toBe(false);
    await cancel!.click();
    await driver.wait(until.elementTextIs(await $('.run-title .status'), 'interrupted'), 15_000);
    expect(await cancel!.isEnabled()).toBe(false);
    await driver.wait(until.elementIsEnabled(resume!), 5_000);
    await resume!.click();
    // the same run continues: the finished step is reused, the held one runs again
    await driver.wait(until.elementTextIs(await $('.run-title .status'), 'running'), 15_000);
    await $('.step[data-step="hold"] .status-running');
    await driver.wait(until.elementIsEnabled(cancel!), 5_000);
    await cancel!.click();
    await driver.wait(until.elementTextIs(await $('.run-title .status'), 'interrupted'), 15_000);
  });

  /** Starts `publish` from its form and waits in the run view until its POST waits for approval. */
  const startPublish = async (base: string): Promise<string> => {
    await driver.get(`${url}pipelines/publish`);
    await (await $('#in-url')).sendKeys(base);
    await driver.findElement(By.css('button[type="submit"]')).click();
    await driver.wait(until.urlMatches(/\/runs\/\d{8}-\d{6}Z-[0-9a-f]{6}$/), 15_000);
    await $('.step[data-step="post"] .status-waiting-approval', 30_000);
    return new URL(await driver.getCurrentUrl()).pathname;
  };

  it('approves a waiting effect from its run view: the preview shows what it would send, it acts once', async () => {
    await startPublish(targetUrl);
    const card = await $('[data-approval]');
    // the preview is the dry run's description: the method and the address
    const preview = await card.findElement(By.css('.preview')).getText();
    expect(preview).toContain(`${targetUrl}/posts`);
    expect(preview).toContain('POST');
    expect(posts).toHaveLength(0);
    await card.findElement(By.css('textarea')).sendKeys('looks right');
    await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', card);
    await shot('studio-approval');
    await card.findElement(By.css('button.primary')).click();
    // the run continues in the server; the view follows it to the end
    await driver.wait(until.elementTextIs(await $('.run-title .status'), 'succeeded'), 30_000);
    expect(await (await $('.step[data-step="post"] .status')).getText()).toBe('succeeded');
    expect(posts).toEqual(['{"text":"hello world"}']);
    expect(await driver.findElements(By.css('[data-approval]'))).toHaveLength(0);
  });

  it('rejects a waiting effect from the inbox with a note: the step is skipped, nothing is sent', async () => {
    // another address: another act (the same request would be the one already done)
    const runPath2 = await startPublish(`${targetUrl}/second`);
    await driver.get(`${url}approvals`);
    const card = await driver.wait(until.elementLocated(By.xpath(`//article[@data-approval][.//a[@href="${runPath2}"]]`)), 15_000);
    await card.findElement(By.css('textarea')).sendKeys('wrong tone');
    await card.findElement(By.css('button.danger')).click();
    // gone from the pending list, listed as decided with the note
    await driver.wait(async () => (await driver.findElements(By.css('[data-approval]'))).length === 0, 15_000);
    const row = await $('table tbody tr');
    expect(await row.getText()).toContain('rejected');
    expect(await row.getText()).toContain('wrong tone');
    await driver.get(`${url}${runPath2.slice(1)}`);
    const step = await $('.step[data-step="post"] .status-skipped', 30_000);
    expect(await step.getText()).toBe('skipped');
    expect(await (await $('.step[data-step="post"]')).getText()).toContain('wrong tone');
    expect(posts).toHaveLength(1);
  });

  it('adds a schedule with its next fire times, pauses and resumes it', async () => {
    await driver.get(`${url}schedules`);
    await (await driver.wait(until.elementLocated(By.xpath('//select[@id="s-pipeline"]/option[.="greet"]')), 30_000)).click();
    // select-all then type: the form may fill its defaults (the browser's zone) after a clear()
    const cron = await driver.findElement(By.css('#s-cron'));
    await cron.sendKeys(Key.chord(Key.CONTROL, 'a'), '30 6 * * 1');
    const tz = await driver.findElement(By.css('#s-tz'));
    await tz.sendKeys(Key.chord(Key.CONTROL, 'a'), 'UTC');
    await driver.wait(async () => (await tz.getAttribute('value')) === 'UTC' && (await cron.getAttribute('value')) === '30 6 * * 1', 5_000);
    await (await driver.findElement(By.css('#s-name'))).sendKeys('weekly');
    await driver.findElement(By.xpath('//button[.="Add schedule"]')).click();
    // the new row, or the error the server answered (shown, and named here when it happens)
    await driver.wait(async () => (await driver.findElements(By.css('table tbody tr, main .error'))).length > 0, 30_000);
    expect((await driver.findElements(By.css('main .error')).then((e) => Promise.all(e.map((x) => x.getText())))).join(' | ')).toBe('');
    const row = await $('table tbody tr');
    expect(await row.getText()).toContain('weekly');
    expect(await row.getText()).toContain('30 6 * * 1 (UTC)');
    // the next fire time is a Monday 06:30 UTC, shown in the browser's zone
    const next = await h.call('GET', '/api/schedules').then((r) => r.json() as Promise<Array<{ next: string[] }>>);
    expect(new Date(next[0]!.next[0]!).getUTCDay()).toBe(1);
    expect(await row.findElement(By.css('td:nth-child(5) .status')).getText()).toBe('active');
    await row.findElement(By.xpath('.//button[starts-with(., "Pause")]')).click();
    await driver.wait(until.elementTextIs(await $('table tbody tr td:nth-child(5) .status'), 'paused'), 30_000);
    await (await $('table tbody tr')).findElement(By.xpath('.//button[starts-with(., "Resume")]')).click();
    await driver.wait(until.elementTextIs(await $('table tbody tr td:nth-child(5) .status'), 'active'), 30_000);
  });

  it('shows accounts with health and today\'s acts against the cap, never a secret', async () => {
    const type = { platform: 'demo', description: 'a test platform', schema: { type: 'object', properties: { apiKey: { type: 'string', writeOnly: true } } } } as AccountType;
    const accounts = openAccounts({ root: h.root, kv: h.project.state().kv });
    await addAccount(accounts, type, { name: 'main-demo', niche: 'cats', maxPerDay: 3, settings: {}, secrets: { apiKey: 'sk-studio-secret-0f3a' } });
    await addAccount(accounts, type, { name: 'spare', maxPerDay: 0, settings: {}, secrets: {} });
    await driver.get(`${url}accounts`);
    const rows = await driver.wait(async () => {
      const r = await driver.findElements(By.css('table tbody tr'));
      return r.length === 2 ? r : undefined;
    }, 15_000);
    const texts = await Promise.all(rows!.map((r) => r.getText()));
    expect(texts[0]).toMatch(/main-demo · cats\s+demo\s+ok\s+0 \/ 3/);
    expect(texts[1]).toMatch(/spare\s+demo\s+capped no credentials stored\s+0 \/ 0/);
    expect(await driver.executeScript('return document.documentElement.outerHTML')).not.toContain('sk-studio-secret-0f3a');
  });

  it('lists the run in the history, filtered by pipeline and status', async () => {
    await driver.get(`${url}runs?pipeline=clip&status=succeeded`);
    const row = await $(`a[href="${runPath}"]`);
    expect(await row.getText()).toBe(runPath.split('/').pop());
    await driver.get(`${url}runs?status=failed`);
    await $('main p');
    expect(await driver.findElements(By.css(`a[href="${runPath}"]`))).toHaveLength(0);
  });

  it('the editor validates as you type and marks the broken line', async () => {
    await driver.get(`${url}editor`);
    await $('.problems .ok');
    const area = await driver.findElement(By.css('#yaml'));
    await area.clear();
    await area.sendKeys(BROKEN);
    // the first unknown plugin makes the server load every namespace to suggest a name (seconds)
    const bad = await $('.gutter [data-line="6"].bad', 45_000);
    expect(await bad.getAttribute('title')).toContain('core.nope');
    const problem = await $('.problem[data-problem-line="6"]');
    expect(await problem.getText()).toContain('core.nope');
    expect(await driver.findElements(By.css('.gutter .bad'))).toHaveLength(1);
    // choosing the problem puts the cursor on its line
    await problem.findElement(By.css('button')).click();
    const caret = await driver.executeScript<number>('const t = document.getElementById("yaml"); return t.value.slice(0, t.selectionStart).split("\\n").length');
    expect(caret).toBe(6);
    await shot('studio-editor');
  });

  it('fits a phone-sized screen without horizontal scrolling', async () => {
    await driver.manage().window().setRect({ width: 390, height: 844 });
    expect(await driver.executeScript<number>('return window.innerWidth')).toBeLessThanOrEqual(400);
    for (const path of ['/', '/pipelines/clip', runPath, '/runs', '/editor', '/approvals', '/schedules', '/accounts']) {
      await driver.get(`${url}${path.slice(1)}`);
      await $('main h1');
      // the views load their data after the first paint
      await driver.wait(async () => (await driver.findElements(By.css('main [role="status"]'))).length === 0, 15_000);
      expect({ path, overflow: await overflow() }).toEqual({ path, overflow: 0 });
      if (path === runPath) await shot('studio-run-phone');
    }
  });
});

describe.skipIf(!hasChromium)('web studio behind a token (real chromium, real server)', () => {
  const TOKEN = 'studio-test-token-5b1f0c9e';
  let h: ServeHarness;
  let factory: Mpv2BrowserFactory;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(repo, 'studio', 'build.mjs'), '--quiet'], { cwd: repo });
    h = await startHarness({ 'pipelines/greet.yaml': GREET }, { env: { MPV2_SERVE_TOKEN: TOKEN }, serve: { studioDir: join(repo, 'dist', 'studio') } });
    factory = createBrowserFactory({ locksDir: join(h.root, 'locks'), log: { debug() {}, info() {}, warn() {} } });
  });
  afterAll(async () => {
    await factory?.closeAll();
    await h?.close();
  });

  it('sends the browser to the sign-in page, then back to the view it asked for; the token stays out of the page', async () => {
    const driver = (await factory.open()).driver;
    await driver.get(`${h.base}/pipelines/greet`);
    // the studio's first API call is refused (401): the sign-in page, which returns here
    await driver.wait(until.urlContains('/signin?next='), 15_000);
    expect(decodeURIComponent(new URL(await driver.getCurrentUrl()).searchParams.get('next')!)).toBe('/pipelines/greet');
    await (await driver.wait(until.elementLocated(By.css('#token')), 5_000)).sendKeys(TOKEN, Key.ENTER);
    await driver.wait(until.urlIs(`${h.base}/pipelines/greet`), 15_000);
    await driver.wait(until.elementLocated(By.css('#in-emails')), 15_000);
    // the session cookie is httpOnly (scripts cannot read it) and holds no token
    expect(await driver.executeScript('return document.cookie')).toBe('');
    expect(await driver.executeScript('return document.documentElement.outerHTML')).not.toContain(TOKEN);
  });
});

/** The clip, then its upload to YouTube, which every `youtube.upload` waits for by config. */
const SHORT = `${CLIP.replace('name: clip', 'name: short')}  - id: upload
    uses: youtube.upload
    with:
      video: \${{ steps.video.outputs.file }}
      thumbnail: \${{ steps.video.outputs.thumbnail }}
      title: Studio test upload
      description: \${{ steps.post.outputs.text }}
      visibility: unlisted
`.replace(/outputs:\n[\s\S]*?(  - id: upload)/, '$1');

describe.skipIf(!hasChromium)('web studio: approving a YouTube upload (loopback YouTube API)', () => {
  let yt: YoutubeServer;
  let h: ServeHarness;
  let factory: Mpv2BrowserFactory;

  beforeAll(async () => {
    yt = await startYoutubeServer({ ...CLIENT, refreshTokens: ['rt-main'] });
    execFileSync(process.execPath, [join(repo, 'studio', 'build.mjs'), '--quiet'], { cwd: repo });
    const c = yt.config;
    h = await startHarness({ 'pipelines/short.yaml': SHORT }, {
      serve: { studioDir: join(repo, 'dist', 'studio') },
      config: `youtube:\n  apiBaseUrl: ${c.apiBaseUrl}\n  uploadBaseUrl: ${c.uploadBaseUrl}\n  oauthTokenUrl: ${c.oauthTokenUrl}\n  oauthAuthorizeUrl: ${c.oauthAuthorizeUrl}\napprovals:\n  youtube.upload: required\n`,
    });
    mkdirSync(join(h.root, 'in'));
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=540x540', '-frames:v', '1', join(h.root, 'in', 'still.jpg')]);
    const types = await accountTypes(h.project);
    const youtube = types.find((t) => t.type.platform === 'youtube')!.type;
    await addAccount(openAccounts({ root: h.root, kv: h.project.state().kv }), youtube, { name: 'main', settings: { driver: 'api' }, secrets: { ...CLIENT, refreshToken: 'rt-main' } });
    factory = createBrowserFactory({ locksDir: join(h.root, 'locks'), log: { debug() {}, info() {}, warn() {} } });
  });
  afterAll(async () => {
    await factory?.closeAll();
    await h?.close();
    await yt?.close();
  });

  it('shows the video, thumbnail and title before it goes out; approve uploads it exactly once', async () => {
    const driver = (await factory.open()).driver;
    await driver.get(`${h.base}/pipelines/short`);
    await (await driver.wait(until.elementLocated(By.css('#in-text')), 15_000)).sendKeys('Octopus hearts.');
    await driver.findElement(By.css('button[type="submit"]')).click();
    await driver.wait(until.urlMatches(/\/runs\/\d{8}-\d{6}Z-[0-9a-f]{6}$/), 15_000);
    const card = await driver.wait(until.elementLocated(By.css('[data-approval]')), 90_000);
    expect(yt.videos.size).toBe(0);
    // the preview: the rendered video (it plays) and thumbnail from the run folder, the texts
    const media = await driver.executeAsyncScript<{ readyState: number; duration: number; thumb: number }>(`
      const done = arguments[arguments.length - 1];
      const card = document.querySelector('[data-approval]');
      const v = card.querySelector('video');
      const wait = () => v.readyState >= 1 ? done({ readyState: v.readyState, duration: v.duration, thumb: [...card.querySelectorAll('img')].filter((i) => i.naturalWidth > 0).length }) : setTimeout(wait, 50);
      wait();`);
    expect(media.duration).toBeGreaterThan(0.5);
    expect(media.thumb).toBeGreaterThanOrEqual(1);
    const text = await card.getText();
    expect(text).toContain('Studio test upload');
    expect(text).toContain('unlisted');
    // (youtube.upload's dry-run description names no description text yet, so none is shown)
    await driver.executeScript('arguments[0].scrollIntoView({ block: "start" })', card);
    await screenshot(driver, h.root, 'studio-approval-youtube');
    await card.findElement(By.css('button.primary')).click();
    await driver.wait(until.elementTextIs(await driver.findElement(By.css('.run-title .status')), 'succeeded'), 60_000);
    expect(yt.videos.size).toBe(1);
    const [video] = [...yt.videos.values()];
    expect(video!.metadata.snippet).toMatchObject({ title: 'Studio test upload', description: 'New clip: Octopus hearts.' });
    expect(video!.metadata.status).toMatchObject({ privacyStatus: 'unlisted' });
  });
});

describe('studio build', () => {
  it('writes index.html naming hashed assets, under the JavaScript budget', () => {
    execFileSync(process.execPath, [join(repo, 'studio', 'build.mjs'), '--quiet'], { cwd: repo });
    const html = readFileSync(join(repo, 'dist', 'studio', 'index.html'), 'utf8');
    expect(html).toMatch(/<script type="module" src="\/assets\/app-[A-Z0-9]{8}\.js"><\/script>/);
    expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/app-[A-Z0-9]{8}\.css">/);
    expect(html).not.toMatch(/https?:\/\//);
    const report = JSON.parse(readFileSync(join(repo, 'dist', 'studio', 'build.json'), 'utf8')) as { jsBytes: number };
    expect(report.jsBytes).toBeLessThan(300 * 1024);
  });
});
