/**
 * Finding and running ffmpeg/ffprobe, through the one process runner (process.ts). Order: config `ffmpeg.path` > FFMPEG_PATH > `ffmpeg` on
 * PATH > the binary shipped in the npm package @ffmpeg-installer/ffmpeg. Features are detected.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { mpv2Error } from '../errors.js';
import { runProcess, stderrTail as tailOf, type RunProcessOptions } from './process.js';

export interface FfmpegInfo {
  ffmpeg: string;
  ffprobe?: string;
  source: 'config' | 'env' | 'path' | 'npm';
  version: string;
  filters: Set<string>;
  encoders: Set<string>;
}

const cache = new Map<string, Promise<FfmpegInfo>>();

function onPath(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, bin);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

function npmBinary(pkg: string): string | undefined {
  try {
    const req = createRequire(import.meta.url);
    const mod = req(pkg) as { path?: string };
    return mod.path && existsSync(mod.path) ? mod.path : undefined;
  } catch {
    return undefined;
  }
}

function candidates(configPath?: string): Array<{ path: string; source: FfmpegInfo['source'] }> {
  const out: Array<{ path: string; source: FfmpegInfo['source'] }> = [];
  if (configPath) out.push({ path: configPath, source: 'config' });
  if (process.env.FFMPEG_PATH) out.push({ path: process.env.FFMPEG_PATH, source: 'env' });
  const p = onPath('ffmpeg');
  if (p) out.push({ path: p, source: 'path' });
  const n = npmBinary('@ffmpeg-installer/ffmpeg');
  if (n) out.push({ path: n, source: 'npm' });
  return out;
}

async function listNames(bin: string, flag: '-filters' | '-encoders'): Promise<Set<string>> {
  const r = await runProcess(bin, ['-hide_banner', flag], { name: 'ffmpeg' });
  const names = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    const m = /^\s*[A-Z.|]{2,}\s+(\S+)\s/.exec(line);
    if (m) names.add(m[1]!);
  }
  return names;
}

const VERSION_TIMEOUT_MS = 15_000;

/** Locates ffmpeg (and ffprobe beside it or on PATH) and detects its filters and encoders. */
export function findFfmpeg(opts: { path?: string; ffprobePath?: string } = {}): Promise<FfmpegInfo> {
  const key = `${opts.path ?? ''}|${opts.ffprobePath ?? ''}|${process.env.FFMPEG_PATH ?? ''}|${process.env.PATH ?? ''}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = locate(opts);
    // a failure is not kept: once the user fixes the path, the next step finds it
    hit.catch(() => cache.delete(key));
    cache.set(key, hit);
  }
  return hit;
}

async function locate(opts: { path?: string; ffprobePath?: string }): Promise<FfmpegInfo> {
  for (const c of candidates(opts.path)) {
    const r = await runProcess(c.path, ['-hide_banner', '-version'], { name: 'ffmpeg', allowFailure: true, timeoutMs: VERSION_TIMEOUT_MS })
      .catch(() => undefined);
    if (!r || r.exitCode !== 0) {
      // a path the user chose explicitly must work: silently using another ffmpeg would hide the mistake
      if (c.source === 'config' || c.source === 'env') {
        const where = c.source === 'config' ? '`ffmpeg.path` in the config' : 'FFMPEG_PATH';
        throw mpv2Error('E_DEPENDENCY_MISSING', `ffmpeg was not found at ${c.path} (from ${where})`, {
          hint: `fix or remove ${where}; without it mpv2 uses \`ffmpeg\` on PATH (Debian/Ubuntu: \`apt-get install ffmpeg\`)`,
        });
      }
      continue;
    }
    const version = /ffmpeg version (\S+)/.exec(r.stdout)?.[1] ?? 'unknown';
    const besides = join(dirname(c.path), 'ffprobe');
    const ffprobe = opts.ffprobePath ?? process.env.FFPROBE_PATH
      ?? (existsSync(besides) ? besides : onPath('ffprobe') ?? npmBinary('@ffprobe-installer/ffprobe'));
    const [filters, encoders] = await Promise.all([listNames(c.path, '-filters'), listNames(c.path, '-encoders')]);
    return { ffmpeg: c.path, ffprobe, source: c.source, version, filters, encoders };
  }
  throw mpv2Error('E_DEPENDENCY_MISSING', 'ffmpeg was not found', {
    hint: 'install it (Debian/Ubuntu: `apt-get install ffmpeg`), or set `ffmpeg.path` in the config or FFMPEG_PATH',
  });
}

const graphCache = new Map<string, Promise<boolean>>();

/**
 * Whether this ffmpeg accepts a filter chain (options and expression variables differ between
 * builds: the 2018 npm build's scale has `eval` but not the `n` variable). Runs it on a few
 * frames of a tiny test source; the answer is cached per binary.
 */
export function supportsFilter(info: FfmpegInfo, chain: string): Promise<boolean> {
  const key = `${info.ffmpeg}|${chain}`;
  let hit = graphCache.get(key);
  if (!hit) {
    hit = runProcess(info.ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=black:s=32x32:r=5:d=1', '-vf', chain, '-f', 'null', '-'], { name: 'ffmpeg', timeoutMs: 10_000 })
      .then(() => true, () => false);
    graphCache.set(key, hit);
  }
  return hit;
}

const textCache = new Map<string, Promise<string>>();

/** What `ffmpeg <args>` prints to stdout (help and listings), cached per binary and arguments. */
export function ffmpegListing(bin: string, args: string[]): Promise<string> {
  const key = `${bin}|${args.join('\0')}`;
  let hit = textCache.get(key);
  if (!hit) {
    hit = runProcess(bin, ['-hide_banner', ...args], { name: 'ffmpeg', allowFailure: true }).then((r) => r.stdout);
    // a failed start is not cached: the next call says again what is wrong
    hit.catch(() => textCache.delete(key));
    textCache.set(key, hit);
  }
  return hit;
}

/** Whether `filter` takes runtime commands (flag `C` in `ffmpeg -filters`; sendcmd needs it). */
export async function filterTakesCommands(info: FfmpegInfo, filter: string): Promise<boolean> {
  const out = await ffmpegListing(info.ffmpeg, ['-filters']);
  for (const line of out.split('\n')) {
    const m = /^\s*([A-Z.|]{3})\s+(\S+)\s/.exec(line);
    if (m && m[2] === filter) return m[1]![2] === 'C';
  }
  return false;
}

/**
 * A file path as ffmpeg/ffprobe must get it: a name such as `-y.mp4` would be read as an
 * option and `a:b.png` as a protocol, so a relative path gets `./` (absolute paths, `-` for
 * stdin/stdout and `pipe:N` stay as they are).
 */
export function ffPath(p: string): string {
  if (p === '-' || /^pipe:\d*$/.test(p) || isAbsolute(p) || p.startsWith('./') || p.startsWith('../')) return p;
  return `./${p}`;
}

/**
 * Every `-i` value and the final output that begins with `-` is a file name (no protocol,
 * device or lavfi source does), so it gets `./`: whatever a caller built, ffmpeg never reads a
 * file name as an option.
 */
export function guardFileArgs(args: readonly string[]): string[] {
  const out = [...args];
  const fix = (i: number) => { if (out[i]!.startsWith('-') && out[i] !== '-') out[i] = `./${out[i]}`; };
  for (let i = 1; i < out.length; i++) if (out[i - 1] === '-i') fix(i);
  if (out.length > 0 && out[out.length - 2] !== '-i') fix(out.length - 1);
  return out;
}

export interface RunFfmpegOptions {
  signal?: AbortSignal;
  /** Total output duration, to turn `-progress` times into a fraction. */
  durationSec?: number;
  onProgress?: (fraction: number) => void;
  cwd?: string;
  /** Called with the child's pid once it has started (tests, benchmarks). */
  onSpawn?: (pid: number) => void;
  /** Lines of stderr kept for the error message. @default 6 */
  tailLines?: number;
  /** Bytes of stderr kept (the last ones). See process.ts. */
  maxOutput?: number;
}

const FFMPEG_NOISE = /^(frame=|size=|Stream mapping|Press \[q\])/;

/**
 * Runs ffmpeg (`-y`, no stdin) and resolves with its stderr, where analysis filters
 * (ebur128, silencedetect, volumedetect) report. With `onProgress` it reads `-progress`
 * times. On failure the error carries the useful tail of stderr; abort stops this ffmpeg
 * (SIGTERM, then SIGKILL) and nothing else.
 */
export async function runFfmpeg(bin: string, args: string[], opts: RunFfmpegOptions = {}): Promise<string> {
  const progress = opts.onProgress && opts.durationSec ? ['-progress', 'pipe:1', '-nostats'] : ['-nostats'];
  const run: RunProcessOptions = {
    name: 'ffmpeg', signal: opts.signal, cwd: opts.cwd, onSpawn: opts.onSpawn, tailLines: opts.tailLines, maxOutput: opts.maxOutput, noise: FFMPEG_NOISE,
  };
  if (progress.length > 1) {
    run.onStdoutLine = (line) => {
      const m = /^out_time_(?:us|ms)=(\d+)/.exec(line.trim());
      if (m) opts.onProgress!(Math.max(0, Math.min(1, Number(m[1]) / 1e6 / opts.durationSec!)));
    };
  }
  const r = await runProcess(bin, ['-hide_banner', '-nostdin', '-y', ...progress, ...guardFileArgs(args)], run);
  return r.stderr;
}

/** The last meaningful lines of ffmpeg's stderr. */
export function stderrTail(stderr: string, lines = 6): string {
  return tailOf(stderr, lines, FFMPEG_NOISE);
}

export interface ProbeResult {
  format: { duration?: string; format_name?: string; size?: string };
  streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number; r_frame_rate?: string; avg_frame_rate?: string; duration?: string; sample_rate?: string; channels?: number; pix_fmt?: string; nb_frames?: string }>;
}

export async function ffprobe(info: FfmpegInfo, file: string, signal?: AbortSignal): Promise<ProbeResult> {
  if (!info.ffprobe) throw mpv2Error('E_DEPENDENCY_MISSING', 'ffprobe was not found', { hint: 'install ffmpeg (it includes ffprobe) or set FFPROBE_PATH' });
  const r = await runProcess(info.ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ffPath(file)], { name: 'ffprobe', signal, allowFailure: true });
  if (r.exitCode !== 0) throw mpv2Error('E_FILE', `ffprobe could not read ${file}: ${tailOf(r.stderr, 3)}`);
  if (r.truncated.stdout) throw mpv2Error('E_FILE', `ffprobe said more about ${file} than mpv2 reads (over ${r.stdout.length} bytes)`);
  try {
    return JSON.parse(r.stdout) as ProbeResult;
  } catch (e) {
    throw mpv2Error('E_FILE', `ffprobe gave unreadable output for ${file}`, { cause: e });
  }
}
