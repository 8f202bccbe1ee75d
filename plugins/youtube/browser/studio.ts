/**
 * The YouTube Studio upload dialog, step by step: file, title, description, thumbnail,
 * audience, altered content, tags, the Next buttons, visibility chosen by its value (or the
 * schedule), wait for the upload, read the link, Done. Every field is read back after it is set.
 */
import { Key, type WebElement } from 'selenium-webdriver';
import { mpv2Error } from 'mpv2/plugin';
import type { StepLogger } from 'mpv2/plugin';
import type { UploadRequest } from '../types.js';
import type { Finder } from './finder.js';
import { formatLocal, type SelectorKey } from './selectors.js';

export class NotSignedIn extends Error {
  constructor(readonly url: string) { super(`not signed in (landed on ${url})`); }
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The video id in a Studio or YouTube link. */
export function videoIdFromLink(href: string): string | undefined {
  return /(?:youtu\.be\/|[?&]v=|\/video\/|\/shorts\/)([\w-]{6,})/.exec(href)?.[1];
}

/** Loads `url` and waits until either `readyKey` shows up (signed in) or a sign-in page does. */
export async function openSignedIn(f: Finder, url: string, readyKey: SelectorKey): Promise<void> {
  await f.driver.get(url);
  let signedOut = false;
  const ready = await f.until(async () => {
    const here = await f.driver.getCurrentUrl();
    if (f.sel.loginUrlPatterns.some((p) => here.includes(p))) { signedOut = true; return true; }
    if (await f.tryFind('signedOut', { timeoutMs: 0 })) { signedOut = true; return true; }
    return (await f.tryFind(readyKey, { timeoutMs: 0 })) !== undefined;
  });
  if (signedOut) throw new NotSignedIn(await f.driver.getCurrentUrl());
  if (!ready) await f.find(readyKey, { timeoutMs: 0 }); // throws SelectorMissing naming the key
}

async function setText(f: Finder, key: SelectorKey, text: string): Promise<void> {
  const el = await f.find(key, { visible: true });
  const read = (e: WebElement) => f.driver.executeScript<string>("const e=arguments[0]; return (e.tagName==='INPUT'||e.tagName==='TEXTAREA') ? e.value : e.innerText;", e);
  // execCommand keeps Studio's editors in sync and, unlike sendKeys, accepts emoji (non-BMP)
  await f.driver.executeScript(`const e=arguments[0]; e.focus();
    if (e.tagName==='INPUT'||e.tagName==='TEXTAREA') e.select();
    else { const r=document.createRange(); r.selectNodeContents(e); const s=getSelection(); s.removeAllRanges(); s.addRange(r); }
    if (arguments[1]) document.execCommand('insertText', false, arguments[1]); else document.execCommand('delete');`, el, text);
  if (norm(await read(el)) === norm(text)) return;
  await el.click();
  await el.sendKeys(Key.chord(Key.CONTROL, 'a'), Key.BACK_SPACE, text);
  const got = await read(el);
  if (norm(got) !== norm(text)) throw mpv2Error('E_PLUGIN_FAILED', `Studio field "${key}" holds ${JSON.stringify(got.slice(0, 80))} after typing ${JSON.stringify(text.slice(0, 80))}`);
}

/** Clicks the radio whose name/value is `value` (never a position) and checks it took. */
async function chooseRadio(f: Finder, key: SelectorKey, value: string, timeoutMs?: number): Promise<void> {
  const el = await f.find(key, { value, visible: true, timeoutMs });
  await el.click();
  const checked = () => f.driver.executeScript<boolean>("const e=arguments[0]; return e.getAttribute('aria-checked')==='true' || e.checked===true || e.hasAttribute('checked');", el);
  if (!(await f.until(checked, 5000))) throw mpv2Error('E_PLUGIN_FAILED', `Studio radio "${key}" = ${value} did not become selected`);
}

async function clickNextUntil(f: Finder, key: SelectorKey, value: string): Promise<void> {
  for (let i = 0; i < 6; i++) {
    if (await f.tryFind(key, { value, visible: true, timeoutMs: i === 0 ? 0 : 600 })) return;
    await (await f.find('nextButton', { visible: true })).click();
  }
  await f.find(key, { value, visible: true });
}

export async function studioUpload(
  f: Finder, req: UploadRequest,
  o: { uploadUrl: string; processingTimeoutMs: number; log: StepLogger; progress: (m: string) => void; fileChosen?: () => void },
): Promise<{ videoId: string; thumbnail?: 'set' | 'skipped' }> {
  const { sel } = f;
  await openSignedIn(f, o.uploadUrl, 'fileInput');
  const input = await f.find('fileInput');
  // from here Studio holds a draft of the video, whatever happens next
  o.fileChosen?.();
  await input.sendKeys(req.video);
  o.progress('file chosen; filling in the details');
  await setText(f, 'titleBox', req.title);
  if (req.description) await setText(f, 'descriptionBox', req.description);
  // custom thumbnails need a verified channel: without the input the video still goes up
  let thumbnail: 'set' | 'skipped' | undefined;
  if (req.thumbnail) {
    const input = await f.tryFind('thumbnailInput', { timeoutMs: 3000 });
    if (input) { await input.sendKeys(req.thumbnail); thumbnail = 'set'; } else {
      thumbnail = 'skipped';
      o.log.warn('Studio offers no custom thumbnail for this channel (verify it at https://www.youtube.com/verify); the video goes up without it');
    }
  }
  await chooseRadio(f, 'madeForKids', sel.values.madeForKids[String(req.madeForKids)]!);
  const tags = req.hashTag ? [...req.tags, req.hashTag] : req.tags;
  if (tags.length > 0 || req.syntheticMedia) {
    const more = await f.tryFind('showMore', { visible: true, timeoutMs: 2000 });
    if (more) await more.click();
  }
  const altered = sel.values.alteredContent[String(req.syntheticMedia)]!;
  if (req.syntheticMedia) await chooseRadio(f, 'alteredContent', altered);
  // "No" is Studio's default: answer it only where the question is already on screen
  else if (await f.tryFind('alteredContent', { value: altered, visible: true, timeoutMs: 0 })) await chooseRadio(f, 'alteredContent', altered);
  if (tags.length > 0) await (await f.find('tagsInput', { visible: true })).sendKeys(`${tags.join(',')},`);

  if (req.publishAt) {
    await clickNextUntil(f, 'scheduleExpand', '');
    await (await f.find('scheduleExpand', { visible: true })).click();
    const trigger = await f.tryFind('scheduleDateTrigger', { visible: true, timeoutMs: 2000 });
    if (trigger) await trigger.click();
    const at = new Date(req.publishAt);
    await setBox(f, 'scheduleDateInput', formatLocal(at, sel.scheduleDateFormat));
    await setBox(f, 'scheduleTimeInput', formatLocal(at, sel.scheduleTimeFormat));
  } else {
    const value = sel.values.visibility[req.visibility]!;
    await clickNextUntil(f, 'visibilityRadio', value);
    await chooseRadio(f, 'visibilityRadio', value);
  }

  o.progress('waiting for Studio to finish the upload');
  const label = await f.find('uploadProgress');
  const done = await f.until(async () => {
    const t = (await label.getText()).toLowerCase();
    return sel.uploadDoneText.some((d) => t.includes(d.toLowerCase()));
  }, o.processingTimeoutMs);
  if (!done) throw mpv2Error('E_TIMEOUT', `Studio did not finish uploading within ${Math.round(o.processingTimeoutMs / 1000)} s (last status: ${JSON.stringify(await label.getText())})`, { retryable: true });

  const link = await f.find('videoLink');
  let href = '';
  await f.until(async () => { href = (await link.getAttribute('href')) || (await link.getText()); return videoIdFromLink(href) !== undefined; });
  const videoId = videoIdFromLink(href);
  if (!videoId) throw mpv2Error('E_PLUGIN_FAILED', `Studio's video link has no video id: ${JSON.stringify(href)}`);

  await (await f.find('doneButton', { visible: true })).click();
  const closed = await f.until(async () => (await f.tryFind('uploadDialog', { visible: true, timeoutMs: 0 })) === undefined, 15_000);
  if (!closed) o.log.warn('the Studio upload dialog stayed open after Done; the video link was read before it');
  return { videoId, thumbnail };
}

/** Types into a date/time box and presses Enter; checks the box shows it. */
async function setBox(f: Finder, key: SelectorKey, text: string): Promise<void> {
  const el = await f.find(key, { visible: true });
  await el.click();
  await el.sendKeys(Key.chord(Key.CONTROL, 'a'), Key.BACK_SPACE, text, Key.ENTER);
  const got = await el.getAttribute('value');
  if (norm(got ?? '') !== norm(text)) throw mpv2Error('E_PLUGIN_FAILED', `Studio field "${key}" shows ${JSON.stringify(got)} after typing ${JSON.stringify(text)}`);
}

/** The newest row of the content list whose title is `title`: its video id. */
export async function findInContentList(f: Finder, contentUrl: string, title: string): Promise<string | undefined> {
  await openSignedIn(f, contentUrl, 'contentList');
  for (const row of await f.findAll('contentRow')) {
    const [t] = await f.findAll('contentRowTitle', row);
    if (!t || norm(await t.getText()) !== norm(title)) continue;
    for (const a of await f.findAll('contentRowLink', row)) {
      const id = videoIdFromLink((await a.getAttribute('href')) ?? '');
      if (id) return id;
    }
  }
  return undefined;
}
