/**
 * Video encoder arguments. libx264 by default; a hardware H.264 encoder when the step or the
 * config asks for one and this ffmpeg has it (the caller falls back to libx264 if it fails).
 */
import type { FfmpegInfo } from 'mpv2/plugin';
import type { RenderInput } from './render-schema.js';

export type EncoderChoice = NonNullable<RenderInput['encoder']>;

export interface EncoderPlan {
  name: string;
  /** Global options placed before the inputs. */
  pre: string[];
  /** Output options for the video stream. */
  args: string[];
  /** Appended to the last video filter (hardware upload). */
  filterSuffix: string;
}

const HW_ORDER = ['h264_nvenc', 'h264_qsv', 'h264_vaapi'] as const;

/**
 * x264 tuning for the fast presets, measured on the 60 s render benchmark (1080x1920, Ken Burns
 * on every frame, crf 24, against a slow/crf 16 reference):
 * - `b-adapt=0:scenecut=0`: a fixed B-frame pattern instead of a lookahead pass over every
 *   frame; -17 % encoder CPU, same SSIM (0.9771 both) and a 2 % smaller file. Cuts between
 *   visuals are crossfades and a keyframe comes every 2 s anyway.
 * - `weightp=0`: weighted prediction only helps real fades from/to black; no measurable change.
 * - `8x8dct=0`: 8 % less encoder CPU for -0.001 SSIM.
 * The slower presets are left alone: whoever picks them asked for quality over speed.
 */
const FAST_PRESETS = new Set(['ultrafast', 'superfast', 'veryfast', 'faster']);
const FAST_TUNING = '8x8dct=0:b-adapt=0:scenecut=0:weightp=0';

export function planEncoder(info: FfmpegInfo, choice: EncoderChoice, opts: { crf: number; preset: string; fps: number; threads?: number }): EncoderPlan {
  const gop = ['-g', String(opts.fps * 2), '-keyint_min', String(opts.fps)];
  const name = choice === 'auto-hw' ? HW_ORDER.find((e) => info.encoders.has(e)) ?? 'libx264' : info.encoders.has(choice) ? choice : 'libx264';
  switch (name) {
    case 'h264_nvenc':
      return { name, pre: [], filterSuffix: '', args: ['-c:v', name, '-preset', 'p4', '-rc', 'vbr', '-cq', String(opts.crf), '-b:v', '0', '-pix_fmt', 'yuv420p', ...gop] };
    case 'h264_qsv':
      return { name, pre: [], filterSuffix: '', args: ['-c:v', name, '-global_quality', String(opts.crf), '-pix_fmt', 'nv12', ...gop] };
    case 'h264_vaapi':
      return { name, pre: ['-vaapi_device', '/dev/dri/renderD128'], filterSuffix: ',format=nv12,hwupload', args: ['-c:v', name, '-qp', String(opts.crf), ...gop] };
    default:
      return {
        name: 'libx264',
        pre: [],
        filterSuffix: '',
        args: [
          '-c:v', 'libx264', '-preset', opts.preset, '-crf', String(opts.crf), '-pix_fmt', 'yuv420p',
          '-profile:v', 'high', ...(FAST_PRESETS.has(opts.preset) ? ['-x264-params', FAST_TUNING] : []), ...gop,
          ...(opts.threads ? ['-threads', String(opts.threads)] : []),
        ],
      };
  }
}

/**
 * Audio: AAC stereo 48 kHz, the format YouTube and every player expect. The `fast` coder: the
 * default two-loop search took 2.7 s of the render's single main thread per minute of audio
 * (measured), `fast` 1.2 s, transparent at 160 kb/s for speech over a music bed.
 */
export const AUDIO_ARGS = ['-c:a', 'aac', '-aac_coder', 'fast', '-b:a', '160k', '-ar', '48000', '-ac', '2'];
