/**
 * One decode of the music track gives what the render needs from it: its integrated loudness
 * (EBU R128, so every track can be brought to one level under the voice) and its onsets (so
 * scene changes can land on beats). Audio only, a fraction of a second for a typical track;
 * the video is never encoded twice.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runFfmpeg } from 'mpv2/plugin';

/** Loudness every music bed is brought to before its `volume`; about the level of calm-pads.m4a (-13.7 LUFS), so the shipped defaults sound as before. */
export const MUSIC_TARGET_LUFS = -14;
/** Sample rate of the onset analysis: 11.025 kHz keeps transients and is cheap to scan. */
const RATE = 11025;
const HOP = 256; // ~23 ms frames

export interface MusicAnalysis {
  /** Integrated loudness, LUFS (null when the track is silent). */
  lufs: number | null;
  /** Onset times in the track, seconds, ascending. */
  onsets: number[];
  durationSec: number;
}

export async function analyseMusic(ffmpeg: string, file: string, workdir: string, signal: AbortSignal): Promise<MusicAnalysis> {
  const pcm = join(workdir, 'music-analysis.f32');
  // framelog=verbose keeps ebur128's per-frame lines out of stderr; its summary is printed at info level
  const stderr = await runFfmpeg(ffmpeg, [
    '-v', 'info', '-i', file, '-filter_complex',
    `[0:a]aformat=sample_fmts=flt:sample_rates=48000:channel_layouts=stereo,asplit=2[l][p];[l]ebur128=framelog=verbose:metadata=0,anullsink;[p]aresample=${RATE},aformat=sample_fmts=flt:channel_layouts=mono[o]`,
    '-map', '[o]', '-f', 'f32le', pcm,
  ], { signal, cwd: workdir, tailLines: 40, maxOutput: 64 * 1024 });

  const buf = readFileSync(pcm);
  rmSync(pcm, { force: true });
  // copied: a small Buffer may sit at an offset of the shared pool that is not a multiple of 4
  const samples = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength - (buf.byteLength % 4)));
  // the summary is the last "Integrated loudness" in stderr (ebur128 may log an empty one first)
  const m = [...stderr.matchAll(/Integrated loudness:\s*I:\s*(-?[\d.]+|-inf)\s*LUFS/g)].at(-1);
  const lufs = m && m[1] !== '-inf' && Number(m[1]) > -70 ? Number(m[1]) : null;
  return { lufs, onsets: detectOnsets(samples, RATE), durationSec: samples.length / RATE };
}

/**
 * Energy-flux onsets: the rise of log energy from one ~23 ms frame to the next, half-wave
 * rectified; a peak counts when it stands above a moving median of the flux by a margin and is
 * at least 100 ms after the previous onset. Clicks, drums and plucks give clear peaks; pads give
 * none, and then nothing moves.
 */
export function detectOnsets(samples: Float32Array, rate: number): number[] {
  const frames = Math.floor(samples.length / HOP);
  const energy = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let e = 0;
    for (let i = f * HOP; i < (f + 1) * HOP; i++) e += samples[i]! * samples[i]!;
    energy[f] = Math.log10(1e-10 + e / HOP);
  }
  // rises far below the track's loudest frame (a fade-in from digital silence, hiss) are not beats
  const quietest = energy.reduce((a, b) => Math.max(a, b), -Infinity) - 4; // log10 of power: 40 dB
  const flux = new Float64Array(frames);
  for (let f = 1; f < frames; f++) flux[f] = Math.max(0, energy[f]! - energy[f - 1]!);
  const W = 8;
  const minGap = Math.ceil((0.1 * rate) / HOP);
  const out: number[] = [];
  let last = -Infinity;
  for (let f = 1; f < frames - 1; f++) {
    const v = flux[f]!;
    if (v < flux[f - 1]! || v < flux[f + 1]! || energy[f]! < quietest) continue;
    const win = Array.from(flux.subarray(Math.max(0, f - W), Math.min(frames, f + W + 1))).sort((a, b) => a - b);
    const median = win[Math.floor(win.length / 2)]!;
    // 0.5 in log10 energy is about a 3x rise: a real attack, not noise in a sustained note
    if (v - median < 0.5 || f - last < minGap) continue;
    out.push((f * HOP) / rate);
    last = f;
  }
  return out;
}

/** Gain in dB that brings a track of `lufs` to MUSIC_TARGET_LUFS (0 for a silent track). */
export function loudnessGainDb(lufs: number | null): number {
  return lufs === null ? 0 : MUSIC_TARGET_LUFS - lufs;
}
