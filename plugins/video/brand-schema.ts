/** The `brand:` JSON Schema (video config section and video.render's `with.brand`); brand.ts applies it. */
import type { JSONSchema } from 'mpv2/plugin';

const colorPattern = '^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$';
const color = (d: string) => ({ type: 'string', pattern: colorPattern, description: d }) as const;

/** An intro or outro: a clip, a still, or a generated card (brand-bumpers.ts resolves it and holds its defaults). */
const bumper = (which: 'intro' | 'outro') => ({
  description: `The ${which === 'intro' ? 'first' : 'last'} segment of every video, joined to the ${which === 'intro' ? 'first' : 'last'} scene by the same transition: a clip or still (\`file\`) or a generated card (\`text\`); \`false\` in a step turns the config's off`,
  anyOf: [
    { type: 'boolean', const: false },
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        file: { type: 'string', format: 'path', description: 'A video clip (scaled and cropped to the frame) or a still image' },
        text: { type: 'string', minLength: 1, description: `A generated card instead of a file: this text (e.g. ${which === 'intro' ? 'the channel\'s name' : '"Subscribe for more"'}) in the brand's title font and colour on \`background\`, with the logo centred` },
        duration: { type: 'number', exclusiveMinimum: 0, maximum: 15, description: 'Seconds (default: a clip\'s own length, at most 15 s; a still or a card 1.5 s)' },
        background: color('The card\'s background colour (default: #101010)'),
        audio: { type: 'boolean', description: 'Mix the clip\'s own sound into the soundtrack (default: true); false mutes it' },
      },
    },
  ],
}) as const;

/** No defaults inside: an absent field means "not branded", and defaults would enter every cache key. */
export const brandSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'The channel\'s look: a logo overlaid in the render pass, an intro and an outro, caption and title fonts and colours, the thumbnail\'s template (a step\'s `with.brand` overrides it field by field)',
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
    intro: bumper('intro'),
    outro: bumper('outro'),
    thumbnail: {
      type: 'object',
      additionalProperties: false,
      description: 'The thumbnail\'s look: a template over the picture and where and how the title sits',
      properties: {
        template: { type: 'string', format: 'path', description: 'A PNG frame or border with transparency, scaled to the thumbnail and drawn over the picture, under the title and the logo' },
        titlePosition: { type: 'string', enum: ['top', 'center', 'bottom'], description: 'Where the title sits (default: center)' },
        titleSize: { type: 'number', exclusiveMinimum: 0, maximum: 0.3, description: 'Title font size as a fraction of the frame\'s short side (default: by the title\'s length, about 0.09 to 0.13)' },
        titleColor: color('Title colour (default: the brand\'s title colour, else white)'),
        band: color('Colour of a box behind the title (#RRGGBBAA for a translucent one; default: a dark translucent box)'),
      },
    },
  },
} as const satisfies JSONSchema;
