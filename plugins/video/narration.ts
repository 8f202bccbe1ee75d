/**
 * Checks the narration before the long pass: it must exist, have an audio stream, a length,
 * and some sound (a silent file means the TTS step went wrong).
 */
import { existsSync, statSync } from 'node:fs';
import { ffprobe, runFfmpeg, type FfmpegInfo } from 'mpv2/plugin';
import { mpv2Error } from 'mpv2/plugin';

export async function checkNarration(info: FfmpegInfo, file: string, signal: AbortSignal): Promise<{ durationSec: number }> {
  if (!existsSync(file) || !statSync(file).isFile()) throw mpv2Error('E_FILE', `audio ${file} does not exist`);
  if (statSync(file).size === 0) throw mpv2Error('E_PLUGIN_INPUT_INVALID', `audio ${file} is empty (0 bytes)`, { hint: 'the TTS step produced nothing; check its logs' });
  const probe = await ffprobe(info, file, signal).catch((e: unknown) => {
    throw mpv2Error('E_FILE', `audio ${file} cannot be read`, { cause: e });
  });
  const stream = probe.streams.find((s) => s.codec_type === 'audio');
  if (!stream) throw mpv2Error('E_PLUGIN_INPUT_INVALID', `audio ${file} has no audio stream`);
  const durationSec = Number(stream.duration ?? probe.format.duration ?? 0);
  if (!(durationSec > 0.05)) throw mpv2Error('E_PLUGIN_INPUT_INVALID', `audio ${file} has zero length`, { hint: 'the TTS step produced no speech; check the text it was given' });
  const text = await runFfmpeg(info.ffmpeg, ['-i', file, '-map', '0:a:0', '-af', 'volumedetect', '-f', 'null', '-'], { signal });
  const max = Number(/max_volume:\s*(-?[\d.]+|-inf) dB/.exec(text)?.[1]?.replace('-inf', '-999') ?? '0');
  if (max < -60) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `audio ${file} is silent (peak ${max <= -999 ? '-inf' : max} dB)`, { hint: 'the TTS step produced silence; check its voice and text' });
  }
  return { durationSec };
}
