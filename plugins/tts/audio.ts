/**
 * The ffmpeg side of tts.speak, kept to filters the 2018 npm ffmpeg also has: running ffmpeg
 * for its report, and chunk conversion to 48 kHz mono PCM with silence detection.
 */
import { spawn } from 'node:child_process';
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

/**
 * A gentle voice compressor (4:1 above -24 dBFS, 5 ms attack, 100 ms release). Synthetic
 * speech has a crest factor near 20 dB; taming it here lets the final loudness gain reach
 * -14 LUFS without the limiter eating the loudness (measured: 3 limiter passes still ended
 * at -14.9 LUFS without it).
 */
export const COMPRESSOR = 'acompressor=threshold=0.063:ratio=4:attack=5:release=100:makeup=2';

/** Converts any audio ffmpeg reads into compressed 48 kHz mono s16 WAV; returns ffmpeg's report (give it to parseSilences). */
export async function convertChunk(bin: string, input: string, output: string, signal?: AbortSignal): Promise<string> {
  const err = await ffmpegStderr(bin, [
    '-i', input, '-vn', '-af', `silencedetect=noise=${SILENCE.noiseDb}dB:d=${SILENCE.minSec},aresample=${SAMPLE_RATE},${COMPRESSOR}`,
    '-ac', '1', '-ar', String(SAMPLE_RATE), '-c:a', 'pcm_s16le', '-f', 'wav', output,
  ], signal);
  return err;
}
