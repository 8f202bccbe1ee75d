/** The `video` config section (shared by every video.* plugin). */
import type { JSONSchema } from '../../src/plugin/types.js';

export interface VideoConfig {
  ffmpeg?: { path?: string; ffprobePath?: string };
  encoder?: 'libx264' | 'auto-hw' | 'h264_nvenc' | 'h264_qsv' | 'h264_vaapi';
  quality?: 'final' | 'draft';
  threads?: number;
  xfade?: boolean;
}

export const videoConfigSchema: JSONSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ffmpeg: {
      type: 'object',
      description: 'Where ffmpeg is. Default: FFMPEG_PATH, then `ffmpeg` on PATH, then the @ffmpeg-installer/ffmpeg binary',
      additionalProperties: false,
      properties: {
        path: { type: 'string', description: 'Path of the ffmpeg binary' },
        ffprobePath: { type: 'string', description: 'Path of the ffprobe binary (default: beside ffmpeg, FFPROBE_PATH, PATH)' },
      },
    },
    encoder: {
      type: 'string',
      enum: ['libx264', 'auto-hw', 'h264_nvenc', 'h264_qsv', 'h264_vaapi'],
      description: 'Default video encoder for every render (a step\'s `encoder` wins); a hardware one falls back to libx264 when absent or failing',
    },
    quality: { type: 'string', enum: ['final', 'draft'], description: 'Default quality: `draft` renders 540x960 fast for iteration' },
    threads: { type: 'integer', minimum: 0, description: 'x264 threads (0 = automatic)' },
    xfade: { type: 'boolean', default: false, description: 'Crossfade with the xfade filter (when this ffmpeg has it) instead of an alpha fade + overlay; the overlay blend is about 4x cheaper at 1080x1920' },
  },
};
