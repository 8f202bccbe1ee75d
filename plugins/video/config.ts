/** The `video` config section (shared by every video.* plugin). */
import type { FromSchema, JSONSchema } from 'mpv2/plugin';
import { brandSchema } from './brand-schema.js';

export const videoConfigSchema = {
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
    brand: brandSchema,
    crossfade: {
      type: 'string',
      enum: ['auto', 'blend', 'overlay', 'xfade'],
      default: 'auto',
      description: 'How crossfades are made. auto: one shared `blend` stepped by sendcmd when ffmpeg allows (least memory), else `overlay` (alpha fade per transition); `xfade` is about 4x slower at 1080x1920',
    },
  },
} as const satisfies JSONSchema;

/** The section as `ctx.config` holds it (validated, defaults filled by the config loader). */
export type VideoConfig = FromSchema<typeof videoConfigSchema>;
