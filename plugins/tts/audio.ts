/**
 * The ffmpeg side of tts.speak, kept to filters the 2018 npm ffmpeg also has (silencedetect,
 * aresample, loudnorm, concat): chunk conversion to 48 kHz mono PCM with silence detection,
 * and the final sample-aligned join with two-pass loudness normalization.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { mpv2Error } from '../../src/errors.js';
import { stderrTail } from '../../src/infra/ffmpeg.js';
import type { Interval } from './timing.js';

export const SAMPLE_RATE = 48_000;

/** Runs ffmpeg and resolves with its stderr (where silencedetect and loudnorm report). */
export function ffmpegStderr(bin: string, args: string[], signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(mpv2Error('E_ABORTED', 'ffmpeg was not started: the step was aborted'));
    const child = spawn(bin, ['-hide_banner', '-nostdin', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.length > 4_000_000) err = err.slice(-2_000_000);
    });
    const onAbort = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      signal?.removeEventListener('abort', onAbort);
      reject(mpv2Error('E_DEPENDENCY_MISSING', `could not start ffmpeg (${bin}): ${e.message}`, { cause: e }));
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) return reject(mpv2Error('E_ABORTED', 'ffmpeg was stopped: the step was aborted'));
      if (code === 0) return resolve(err);
      reject(mpv2Error('E_PLUGIN_FAILED', `ffmpeg failed (exit ${code}): ${stderrTail(err)}`, { status: code ?? undefined }));
    });
  });
}

/** Silences reported by silencedetect on stderr; an open one at the end closes at `duration`. */
export function parseSilences(stderr: string, duration?: number): Interval[] {
  const out: Interval[] = [];
  let open: number | undefined;
  for (const m of stderr.matchAll(/silence_(start|end): (-?[\d.]+)/g)) {
    const t = Math.max(0, Number(m[2]));
    if (m[1] === 'start') open = t;
    else if (open !== undefined) { out.push({ start: open, end: t }); open = undefined; }
  }
  if (open !== undefined && duration !== undefined && duration > open) out.push({ start: open, end: duration });
  return out;
}

/** Silence detection settings: quieter than -45 dBFS for at least 60 ms. */
export const SILENCE = { noiseDb: -45, minSec: 0.06 };

/** Converts any audio ffmpeg reads into 48 kHz mono s16 WAV; returns ffmpeg's report (give it to parseSilences). */
export async function convertChunk(bin: string, input: string, output: string, signal?: AbortSignal): Promise<string> {
  const err = await ffmpegStderr(bin, [
    '-i', input, '-vn', '-af', `silencedetect=noise=${SILENCE.noiseDb}dB:d=${SILENCE.minSec},aresample=${SAMPLE_RATE}`,
    '-ac', '1', '-ar', String(SAMPLE_RATE), '-c:a', 'pcm_s16le', '-f', 'wav', output,
  ], signal);
  return err;
}

export interface Loudness {
  input_i: string;
  input_tp: string;
  input_lra: string;
  input_thresh: string;
  target_offset: string;
}

function parseLoudnorm(stderr: string): Loudness {
  const at = stderr.lastIndexOf('"input_i"');
  const open = stderr.lastIndexOf('{', at);
  const close = stderr.indexOf('}', at);
  if (at < 0 || open < 0 || close < 0) throw mpv2Error('E_PLUGIN_FAILED', `ffmpeg loudnorm printed no measurement: ${stderrTail(stderr)}`);
  return JSON.parse(stderr.slice(open, close + 1)) as Loudness;
}

export interface JoinOptions {
  format: 'm4a' | 'wav';
  /** Integrated loudness target in LUFS. */
  loudness: number;
  signal?: AbortSignal;
}

/**
 * Joins same-format WAV chunks sample-exactly (concat demuxer), measures loudness (pass 1)
 * and writes the normalized result (pass 2, loudnorm with the measured values).
 */
export async function joinAndNormalize(bin: string, chunkPaths: string[], listPath: string, output: string, opts: JoinOptions): Promise<Loudness> {
  const list = chunkPaths.map((p) => `file '${p.replace(/'/g, "'\\''")}'`).join('\n');
  await writeFile(listPath, `ffconcat version 1.0\n${list}\n`);
  const input = ['-f', 'concat', '-safe', '0', '-i', listPath];
  const target = `I=${opts.loudness}:TP=-1.5:LRA=11`;
  const measured = parseLoudnorm(await ffmpegStderr(bin, [...input, '-af', `loudnorm=${target}:print_format=json`, '-f', 'null', '-'], opts.signal));
  const finite = (v: string, d: number) => (Number.isFinite(Number(v)) ? v : String(d));
  const second = [
    `loudnorm=${target}`,
    `measured_I=${finite(measured.input_i, -70)}`, `measured_TP=${finite(measured.input_tp, -70)}`,
    `measured_LRA=${finite(measured.input_lra, 0)}`, `measured_thresh=${finite(measured.input_thresh, -70)}`,
    `offset=${finite(measured.target_offset, 0)}`, 'linear=true', 'print_format=summary',
  ].join(':');
  const codec = opts.format === 'm4a' ? ['-c:a', 'aac', '-b:a', '160k', '-movflags', '+faststart'] : ['-c:a', 'pcm_s16le'];
  await ffmpegStderr(bin, [...input, '-af', `${second},aresample=${SAMPLE_RATE}`, '-ac', '1', '-ar', String(SAMPLE_RATE), ...codec, output], opts.signal);
  return measured;
}
