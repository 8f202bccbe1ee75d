/** The `brand:` JSON Schema (video config section and video.render's `with.brand`); brand.ts applies it. */
import type { JSONSchema } from 'mpv2/plugin';

const colorPattern = '^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$';
const color = (d: string) => ({ type: 'string', pattern: colorPattern, description: d }) as const;

/** No defaults inside: an absent field means "not branded", and defaults would enter every cache key. */
export const brandSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'The channel\'s look: a logo overlaid in the render pass, caption and title fonts and colours (a step\'s `with.brand` overrides it field by field)',
  properties: {
    logo: {
      type: 'object',
      additionalProperties: false,
      description: 'A logo or watermark (PNG with transparency, or any image sharp reads) drawn on every frame',
      properties: {
        file: { type: 'string', format: 'path', description: 'The logo image (required once the config and the step are merged: a step may change only the position)' },
        position: { type: 'string', enum: ['top-left', 'top-right', 'bottom-left', 'bottom-right'], description: 'Corner of the platform\'s safe area (default: top-left)' },
        size: { type: 'number', exclusiveMinimum: 0, maximum: 0.5, description: 'Width as a fraction of the frame width (default: 0.16)' },
        opacity: { type: 'number', minimum: 0, maximum: 1, description: 'Opacity, 0..1 (default: 0.85)' },
      },
    },
    fontFile: { type: 'string', format: 'path', description: 'A .ttf/.otf with the brand\'s caption font (give its family in `captionFont`)' },
    captionFont: { type: 'string', description: 'Caption font family' },
    titleFont: { type: 'string', description: 'Scene title and thumbnail title font family' },
    colors: {
      type: 'object',
      additionalProperties: false,
      description: 'CSS hex colours (#RRGGBB or #RRGGBBAA)',
      properties: {
        text: color('Caption text colour'),
        highlight: color('The spoken word (karaoke)'),
        outline: color('Caption and title outline colour'),
        title: color('Scene title colour'),
      },
    },
  },
} as const satisfies JSONSchema;
