/** Doctor checks for the programs mpv2 runs: node, ffmpeg/ffprobe, chromium and chromedriver. */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { isMpv2Error } from '../../errors.js';
import { findFfmpeg } from '../../infra/ffmpeg.js';
import { runProcess } from '../../infra/process.js';
import type { Mpv2Config } from '../../config/types.js';
import { error, ok, warn, type DoctorCheck } from './doctor-types.js';

const TOOL_TIMEOUT_MS = 10_000;

export function which(names: string[]): string | undefined {
  for (const n of names) {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (dir && existsSync(join(dir, n))) return join(dir, n);
    }
  }
  return undefined;
}

/** First line of `<bin> --version`, or undefined when it does not run. */
export async function versionLine(bin: string, args = ['--version']): Promise<string | undefined> {
  const r = await runProcess(bin, args, { timeoutMs: TOOL_TIMEOUT_MS }).catch(() => undefined);
  return r?.stdout.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
}

export function nodeCheck(version = process.versions.node): DoctorCheck {
  const major = Number(version.split('.')[0]);
  return major >= 20
    ? ok('node', `Node.js ${version}`)
    : error('node', `Node.js ${version} is too old: mpv2 needs 20 or newer`, 'install Node.js 20 LTS or newer (https://nodejs.org)');
}

const FFMPEG_SOURCES = { config: '`ffmpeg.path` in the config', env: 'FFMPEG_PATH', path: 'PATH', npm: 'the npm package @ffmpeg-installer/ffmpeg' } as const;

export async function ffmpegChecks(cfg: Pick<Mpv2Config, 'ffmpeg'> | undefined): Promise<DoctorCheck[]> {
  let info;
  try {
    info = await findFfmpeg({ path: cfg?.ffmpeg.path, ffprobePath: cfg?.ffmpeg.ffprobePath });
  } catch (e) {
    const err = isMpv2Error(e) ? e : undefined;
    return [error('ffmpeg', err?.message ?? String(e), err?.hint), error('ffprobe', 'not checked: ffmpeg was not found')];
  }
  const out: DoctorCheck[] = [];
  const missing = [
    !info.filters.has('ass') && '`ass` filter (libass: burned-in captions)',
    !info.filters.has('xfade') && '`xfade` filter (transitions)',
    !info.encoders.has('libx264') && '`libx264` encoder (H.264 video)',
  ].filter((x): x is string => typeof x === 'string');
  const what = `ffmpeg ${info.version} at ${info.ffmpeg} (from ${FFMPEG_SOURCES[info.source]})`;
  if (missing.length) {
    out.push(warn('ffmpeg', `${what} lacks ${missing.join(', ')}`, 'install a full ffmpeg build (Debian/Ubuntu: `apt-get install ffmpeg`) and put it on PATH or set `ffmpeg.path`'));
  } else {
    out.push(ok('ffmpeg', `${what}; has libass (ass), xfade, libx264`));
  }
  const probeLine = info.ffprobe ? await versionLine(info.ffprobe, ['-hide_banner', '-version']) : undefined;
  out.push(probeLine
    ? ok('ffprobe', `${/ffprobe version (\S+)/.exec(probeLine)?.[1] ?? probeLine} at ${info.ffprobe}`)
    : error('ffprobe', info.ffprobe ? `ffprobe at ${info.ffprobe} does not run` : 'ffprobe was not found', 'install ffmpeg (it ships ffprobe) or set `ffmpeg.ffprobePath`'));
  return out;
}

const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

const major = (line: string | undefined): string | undefined => (line ? /(\d+)\.\d+\.\d+/.exec(line)?.[1] : undefined);

/** Chromium and chromedriver: only browser automation needs them, so missing ones are warnings. */
export async function browserChecks(cfg: Pick<Mpv2Config, 'browser'> | undefined): Promise<DoctorCheck[]> {
  const hintInstall = 'only browser automation needs it; Debian/Ubuntu: `apt-get install chromium chromium-driver`';
  const chromium = cfg?.browser.chromiumPath ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : which(CHROMIUM_NAMES));
  const driver = cfg?.browser.chromedriverPath ?? which(['chromedriver']);
  const out: DoctorCheck[] = [];
  const [cLine, dLine] = await Promise.all([chromium ? versionLine(chromium) : undefined, driver ? versionLine(driver) : undefined]);
  if (!chromium) out.push(warn('chromium', 'chromium was not found', `${hintInstall}, or set \`browser.chromiumPath\``));
  else if (!cLine) out.push(warn('chromium', `${chromium} does not run (\`--version\` failed)`, 'fix `browser.chromiumPath` or reinstall chromium'));
  else out.push(ok('chromium', `${cLine} at ${chromium}`));
  if (!driver) out.push(warn('chromedriver', 'chromedriver was not found', `${hintInstall}, or set \`browser.chromedriverPath\``));
  else if (!dLine) out.push(warn('chromedriver', `${driver} does not run (\`--version\` failed)`, 'fix `browser.chromedriverPath` or reinstall chromium-driver'));
  else if (cLine && major(cLine) && major(dLine) && major(cLine) !== major(dLine)) {
    out.push(warn('chromedriver', `${dLine.split(' (')[0]} does not match chromium ${major(cLine)}`, 'install the chromedriver of the same major version as chromium'));
  } else out.push(ok('chromedriver', `${dLine.split(' (')[0]} at ${driver}`));
  return out;
}
