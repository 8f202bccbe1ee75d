/**
 * Joining chunks and normalizing loudness for YouTube (-14 LUFS integrated).
 *
 * Measured, not guessed: pass 1 reads the joined chunks (concat demuxer, sample-exact) and
 * measures them with ebur128; pass 2 applies the gain with a peak limiter (-2 dBFS, so true
 * peaks stay near -1.5 dBTP), encodes, and measures its own output; when that is more than
 * 0.5 LU off, the gain is corrected and pass 2 runs again (at most 3 times). Chunks are
 * already compressed (see audio.ts), so the limiter rarely has much to do.
 * loudnorm is the fallback when ffmpeg has no alimiter: here it fell short (-16.7 LUFS on a
 * 41-minute espeak file, dynamic mode) and took 66 s where ebur128 took 3 s.
 */
import { rm, writeFile } from 'node:fs/promises';
import { mpv2Error } from 'mpv2/plugin';
import { ffmpegListing, runFfmpeg, stderrTail } from 'mpv2/plugin';
import { SAMPLE_RATE } from './audio.js';

export interface Measurement {
  /** Integrated loudness, LUFS. */
  integrated: number;
  /** Sample peak, dBFS. */
  peak: number;
}

export interface NormalizeResult extends Measurement {
  /** Gain passes it took (1–3). */
  passes: number;
}

export interface NormalizeOptions {
  format: 'm4a' | 'wav';
  /** Target integrated loudness, LUFS. */
  loudness: number;
  signal?: AbortSignal;
  /** Base name for the concat list (removed at the end). */
  tmpBase: string;
}

const LIMIT_DBFS = -2;
const TOLERANCE = 0.5;
const MAX_PASSES = 3;

/**
 * The option names a filter accepts in this ffmpeg (features are detected, not assumed). Asked
 * without blocking: a synchronous child here stalled progress and Ctrl-C for its duration.
 */
function filterHelp(bin: string, filter: string): Promise<string> {
  return ffmpegListing(bin, ['-h', `filter=${filter}`]);
}

/** The ebur128 summary at the end of ffmpeg's report. */
export function parseEbur128(stderr: string): Measurement {
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const i = /I:\s+(-?[\d.]+|-inf) LUFS/.exec(summary)?.[1];
  const p = /Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(summary)?.[1];
  if (i === undefined) throw mpv2Error('E_PLUGIN_FAILED', `ffmpeg ebur128 printed no summary: ${stderrTail(stderr)}`);
  const num = (v: string | undefined) => (v === undefined || v === '-inf' ? -Infinity : Number(v));
  return { integrated: num(i), peak: num(p) };
}

async function ebur128(bin: string): Promise<string> {
  const quiet = /framelog/.test(await filterHelp(bin, 'ebur128')) ? ':framelog=verbose' : '';
  return `ebur128=peak=sample${quiet}`;
}

async function limiter(bin: string): Promise<string | undefined> {
  const help = await filterHelp(bin, 'alimiter');
  if (!/limit/.test(help)) return undefined;
  const limit = 10 ** (LIMIT_DBFS / 20);
  return `alimiter=limit=${limit.toFixed(4)}:attack=5:release=50${/\blevel\b/.test(help) ? ':level=disabled' : ''}${/latency/.test(help) ? ':latency=enabled' : ''}`;
}

/** Joins WAV chunks into `output` (m4a or wav) at the target loudness; returns the last measurement. */
export async function joinAndNormalize(bin: string, chunkPaths: string[], output: string, opts: NormalizeOptions): Promise<NormalizeResult> {
  const list = `${opts.tmpBase}.ffconcat`;
  await writeFile(list, `ffconcat version 1.0\n${chunkPaths.map((p) => `file '${p.replace(/'/g, "'\\''")}'`).join('\n')}\n`);
  // the concat demuxer joins the (same-format) WAVs sample-exactly, so word offsets hold
  const input = ['-f', 'concat', '-safe', '0', '-i', list];
  const encode = opts.format === 'm4a'
    ? ['-ac', '1', '-ar', String(SAMPLE_RATE), '-c:a', 'aac', '-b:a', '160k', '-movflags', '+faststart', '-f', 'mp4']
    : ['-ac', '1', '-ar', String(SAMPLE_RATE), '-c:a', 'pcm_s16le', '-f', 'wav'];
  try {
    const measure = await ebur128(bin);
    let m = parseEbur128(await runFfmpeg(bin, [...input, '-af', measure, '-f', 'null', '-'], { signal: opts.signal }));
    if (!Number.isFinite(m.integrated)) {
      throw mpv2Error('E_PLUGIN_FAILED', 'the synthesized audio is silent (loudness -inf)', { hint: 'check the voice and the text' });
    }
    const lim = await limiter(bin);
    let gain = opts.loudness - m.integrated;
    let passes = 0;
    for (;;) {
      passes++;
      const chain = lim ? `volume=${gain.toFixed(2)}dB,${lim}` : loudnorm(opts.loudness, m);
      // the gain pass measures its own output, so a miss is seen without another read
      m = parseEbur128(await runFfmpeg(bin, [...input, '-af', `${chain},${measure}`, ...encode, output], { signal: opts.signal }));
      if (!lim || passes >= MAX_PASSES || Math.abs(opts.loudness - m.integrated) <= TOLERANCE) break;
      gain += opts.loudness - m.integrated;
    }
    return { ...m, passes };
  } finally {
    await rm(list, { force: true });
  }
}

/** One-pass loudnorm with the measured input values (fallback without alimiter). */
function loudnorm(target: number, m: Measurement): string {
  return `loudnorm=I=${target}:TP=-1.5:LRA=11:measured_I=${m.integrated}:measured_TP=${Number.isFinite(m.peak) ? m.peak : -70}:measured_LRA=7:measured_thresh=${m.integrated - 10}:linear=true`;
}
