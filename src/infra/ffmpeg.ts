/**
 * Finding and running ffmpeg/ffprobe. Order: config `ffmpeg.path` > FFMPEG_PATH > `ffmpeg` on
 * PATH > the binary shipped in the npm package @ffmpeg-installer/ffmpeg. Features are detected.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { mpv2Error } from '../errors.js';

export interface FfmpegInfo {
  ffmpeg: string;
  ffprobe?: string;
  source: 'config' | 'env' | 'path' | 'npm';
  version: string;
  filters: Set<string>;
  encoders: Set<string>;
}

const cache = new Map<string, FfmpegInfo>();

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

function listNames(bin: string, flag: '-filters' | '-encoders'): Set<string> {
  const r = spawnSync(bin, ['-hide_banner', flag], { encoding: 'utf8' });
  const names = new Set<string>();
  for (const line of (r.stdout ?? '').split('\n')) {
    const m = /^\s*[A-Z.|]{2,}\s+(\S+)\s/.exec(line);
    if (m) names.add(m[1]!);
  }
  return names;
}

/** Locates ffmpeg (and ffprobe beside it or on PATH) and detects its filters and encoders. */
export function findFfmpeg(opts: { path?: string; ffprobePath?: string } = {}): FfmpegInfo {
  const key = `${opts.path ?? ''}|${opts.ffprobePath ?? ''}|${process.env.FFMPEG_PATH ?? ''}|${process.env.PATH ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  for (const c of candidates(opts.path)) {
    const r = spawnSync(c.path, ['-hide_banner', '-version'], { encoding: 'utf8' });
    if (r.status !== 0) {
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
    const info: FfmpegInfo = { ffmpeg: c.path, ffprobe, source: c.source, version, filters: listNames(c.path, '-filters'), encoders: listNames(c.path, '-encoders') };
    cache.set(key, info);
    return info;
  }
  throw mpv2Error('E_DEPENDENCY_MISSING', 'ffmpeg was not found', {
    hint: 'install it (Debian/Ubuntu: `apt-get install ffmpeg`), or set `ffmpeg.path` in the config or FFMPEG_PATH',
  });
}

const graphCache = new Map<string, boolean>();

/**
 * Whether this ffmpeg accepts a filter chain (options and expression variables differ between
 * builds: the 2018 npm build's scale has `eval` but not the `n` variable). Runs it on a few
 * frames of a tiny test source; the answer is cached per binary.
 */
export function supportsFilter(info: FfmpegInfo, chain: string): boolean {
  const key = `${info.ffmpeg}|${chain}`;
  let hit = graphCache.get(key);
  if (hit === undefined) {
    const r = spawnSync(info.ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=black:s=32x32:r=5:d=1', '-vf', chain, '-f', 'null', '-'], { encoding: 'utf8', timeout: 10_000 });
    hit = r.status === 0;
    graphCache.set(key, hit);
  }
  return hit;
}

const commandCache = new Map<string, Set<string>>();

/** Whether `filter` takes runtime commands (flag `C` in `ffmpeg -filters`; sendcmd needs it). */
export function filterTakesCommands(info: FfmpegInfo, filter: string): boolean {
  let set = commandCache.get(info.ffmpeg);
  if (!set) {
    set = new Set();
    const out = spawnSync(info.ffmpeg, ['-hide_banner', '-filters'], { encoding: 'utf8' }).stdout ?? '';
    for (const line of out.split('\n')) {
      const m = /^\s*([A-Z.|]{3})\s+(\S+)\s/.exec(line);
      if (m && m[1]![2] === 'C') set.add(m[2]!);
    }
    commandCache.set(info.ffmpeg, set);
  }
  return set.has(filter);
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
}

/**
 * Runs ffmpeg with `-progress pipe:1`. On failure the error carries the useful tail of stderr.
 * Abort kills this ffmpeg process (by its pid) and nothing else.
 */
export function runFfmpeg(bin: string, args: string[], opts: RunFfmpegOptions = {}): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    if (opts.signal?.aborted) return reject(mpv2Error('E_ABORTED', 'ffmpeg was not started: the step was aborted'));
    const child = spawn(bin, ['-hide_banner', '-nostdin', '-y', '-progress', 'pipe:1', '-nostats', ...args], {
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.length > 64_000) stderr = stderr.slice(-32_000);
    });
    // -progress writes key=value lines; a chunk may end mid-line, so keep the partial line
    let partial = '';
    child.stdout.on('data', (d: Buffer) => {
      if (!opts.onProgress || !opts.durationSec) return;
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      let us: number | undefined;
      for (const line of lines) {
        const m = /^out_time_(?:us|ms)=(\d+)/.exec(line.trim());
        if (m) us = Number(m[1]);
      }
      if (us !== undefined) opts.onProgress(Math.max(0, Math.min(1, us / 1e6 / opts.durationSec)));
    });
    // kill only this child, by its pid; SIGKILL because ffmpeg may ignore SIGTERM while blocked in a filter
    const onAbort = () => { if (child.exitCode === null) child.kill('SIGKILL'); };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(mpv2Error('E_DEPENDENCY_MISSING', `could not start ffmpeg (${bin}): ${e.message}`, { cause: e }));
    });
    child.on('close', (code, sig) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (opts.signal?.aborted) return reject(mpv2Error('E_ABORTED', 'ffmpeg was stopped: the step was aborted'));
      if (code === 0) return resolvePromise();
      reject(mpv2Error('E_PLUGIN_FAILED', `ffmpeg failed (${sig ?? `exit ${code}`}): ${stderrTail(stderr, opts.tailLines)}`, { status: code ?? undefined, details: { stderrTail: stderrTail(stderr, 20) } }));
    });
  });
}

/**
 * Runs ffmpeg for what it prints (analysis filters such as volumedetect write to stderr) and
 * returns stderr. Fails like runFfmpeg.
 */
export function ffmpegText(bin: string, args: string[], signal?: AbortSignal): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, ['-hide_banner', '-nostdin', ...args], { stdio: ['ignore', 'ignore', 'pipe'], signal });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); if (err.length > 1_000_000) err = err.slice(-500_000); });
    child.on('error', (e) => reject(signal?.aborted
      ? mpv2Error('E_ABORTED', 'ffmpeg was stopped: the step was aborted')
      : mpv2Error('E_DEPENDENCY_MISSING', `could not start ffmpeg (${bin}): ${e.message}`, { cause: e })));
    child.on('close', (code) => {
      if (code === 0) return resolvePromise(err);
      reject(mpv2Error('E_PLUGIN_FAILED', `ffmpeg failed (exit ${code}): ${stderrTail(err)}`, { status: code ?? undefined }));
    });
  });
}

/** The last meaningful lines of ffmpeg's stderr. */
export function stderrTail(stderr: string, lines = 6): string {
  const useful = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^(frame=|size=|Stream mapping|Press \[q\])/.test(l));
  return useful.slice(-lines).join('\n');
}

export interface ProbeResult {
  format: { duration?: string; format_name?: string; size?: string };
  streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number; r_frame_rate?: string; avg_frame_rate?: string; duration?: string; sample_rate?: string; channels?: number; pix_fmt?: string; nb_frames?: string }>;
}

export async function ffprobe(info: FfmpegInfo, file: string, signal?: AbortSignal): Promise<ProbeResult> {
  if (!info.ffprobe) throw mpv2Error('E_DEPENDENCY_MISSING', 'ffprobe was not found', { hint: 'install ffmpeg (it includes ffprobe) or set FFPROBE_PATH' });
  return new Promise((resolvePromise, reject) => {
    const child = spawn(info.ffprobe!, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], { signal });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', (e) => reject(mpv2Error('E_DEPENDENCY_MISSING', `could not start ffprobe: ${e.message}`, { cause: e })));
    child.on('close', (code) => {
      if (code !== 0) return reject(mpv2Error('E_FILE', `ffprobe could not read ${file}: ${stderrTail(err, 3)}`));
      try { resolvePromise(JSON.parse(out) as ProbeResult); } catch (e) { reject(mpv2Error('E_FILE', `ffprobe gave unreadable output for ${file}`, { cause: e })); }
    });
  });
}
