/**
 * The brand kit: a logo or watermark overlaid by the render pass itself (one more `overlay`
 * in the same filter graph, no second encode), and the caption and title fonts and colours.
 * `video.brand` in the config gives the channel's look; a step's `with.brand` overrides it
 * field by field; a step's own `captionStyle` values win over both.
 */
import { existsSync, statSync } from 'node:fs';
import sharp from 'sharp';
import type { FromSchema } from 'mpv2/plugin';
import { mpv2Error } from 'mpv2/plugin';
import { COLOR_DEFAULTS, type ResolvedCaptionStyle } from './caption-style.js';
import type { brandSchema } from './brand-schema.js';
import type { CaptionStyleInput } from './render-schema.js';

export type Brand = FromSchema<typeof brandSchema>;

/** The step's brand over the config's, field by field (the logo and colours merged one level down). */
export function mergeBrand(config: Brand | undefined, step: Brand | undefined): Brand | undefined {
  if (!config && !step) return undefined;
  const c = config ?? {};
  const s = step ?? {};
  const logo = c.logo || s.logo ? { ...c.logo, ...s.logo } as NonNullable<Brand['logo']> : undefined;
  const colors = c.colors || s.colors ? { ...c.colors, ...s.colors } : undefined;
  const thumbnail = c.thumbnail || s.thumbnail ? { ...c.thumbnail, ...s.thumbnail } : undefined;
  const intro = mergeBumper(c.intro, s.intro);
  const outro = mergeBumper(c.outro, s.outro);
  return { ...c, ...s, ...(logo && { logo }), ...(colors && { colors }), ...(thumbnail && { thumbnail }), ...(intro !== undefined && { intro }), ...(outro !== undefined && { outro }) };
}

/**
 * An intro or outro merged field by field, except that a step naming a `file` or a `text`
 * replaces the config's kind (a clip does not keep the config card's text), and `false` turns
 * it off.
 */
function mergeBumper(config: Brand['intro'], step: Brand['intro']): Brand['intro'] {
  if (step === false || !config) return step ?? config;
  if (!step) return config;
  const { file, text, ...rest } = config;
  const kind = step.file !== undefined || step.text !== undefined ? {} : { ...(file !== undefined && { file }), ...(text !== undefined && { text }) };
  return { ...rest, ...kind, ...step };
}

/**
 * The caption style with the brand's font and colours where the step gave none. `font` has a
 * schema default, so a font equal to that default counts as not given.
 */
export function brandedCaptionStyle(style: CaptionStyleInput, brand: Brand | undefined, defaultFont: string): CaptionStyleInput {
  if (!brand) return style;
  const b = brand.colors ?? {};
  const given = style.colors;
  const colors = given ?? (b.text || b.highlight || b.outline ? {
    text: b.text ?? COLOR_DEFAULTS.text, highlight: b.highlight ?? COLOR_DEFAULTS.highlight, outline: b.outline ?? COLOR_DEFAULTS.outline, shadow: COLOR_DEFAULTS.shadow,
  } : undefined);
  const ownFont = style.font !== defaultFont || style.fontFile !== undefined;
  return {
    ...style,
    ...(colors && { colors }),
    ...(!ownFont && brand.captionFont && { font: brand.captionFont }),
    ...(!ownFont && brand.fontFile && { fontFile: brand.fontFile }),
  };
}

/** The thumbnail template must be an image sharp reads (checked before the render, not after). */
export async function checkTemplate(file: string): Promise<string> {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw mpv2Error('E_FILE', `brand.thumbnail.template: ${file} does not exist`, { hint: 'check the path (relative to the project folder), or remove brand.thumbnail.template' });
  }
  const meta = await sharp(file).metadata().catch((e: Error) => {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `brand.thumbnail.template: ${file} cannot be read as an image: ${e.message}`, { hint: 'give a PNG with transparency where the picture shows through' });
  });
  if (!meta.width || !meta.height) throw mpv2Error('E_PLUGIN_INPUT_INVALID', `brand.thumbnail.template: ${file} has no size`, { hint: 'give a PNG with transparency where the picture shows through' });
  return file;
}

export interface LogoPlacement { file: string; x: number; y: number; w: number; h: number }

/**
 * Scales the logo to its width and bakes its opacity into the alpha channel (so the pass's
 * overlay needs no per-frame alpha math), placed in the safe area: clear of the Shorts header
 * at the top, the buttons on the right and the bottom bar, and of the captions when both sit
 * at the bottom.
 */
export async function prepareLogo(logo: NonNullable<Brand['logo']>, resolve: (p: string) => string, out: string, width: number, height: number, caption: Pick<ResolvedCaptionStyle, 'position' | 'marginV' | 'size'> & { burned: boolean }): Promise<LogoPlacement> {
  const w = 2 * Math.round((width * (logo.size ?? 0.16)) / 2);
  const opacity = logo.opacity ?? 0.85;
  if (!logo.file) throw mpv2Error('E_PLUGIN_INPUT_INVALID', 'brand.logo has no `file`', { hint: 'give brand.logo.file in the `video.brand` config or in the step\'s `with.brand`' });
  const source = resolve(logo.file);
  let img;
  try {
    img = await sharp(source, { failOn: 'error' }).resize({ width: w }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `brand.logo.file ${source} cannot be read as an image: ${(e as Error).message}`, { hint: 'give a PNG (with transparency) or JPEG logo' });
  }
  const { data, info } = img;
  for (let i = 3; i < data.length; i += 4) data[i] = Math.round(data[i]! * opacity);
  await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } }).png().toFile(out);
  const h = info.height;
  const portrait = height > width;
  const left = Math.round(width * (portrait ? 0.06 : 0.04));
  const right = Math.round(width * (portrait ? 0.15 : 0.04));
  const top = Math.round(height * (portrait ? 0.06 : 0.05));
  let bottom = Math.round(height * (portrait ? 0.22 : 0.08));
  // two caption lines' height above the captions' own margin
  if (caption.burned && caption.position === 'bottom') bottom = Math.max(bottom, caption.marginV + Math.round(caption.size * 2.6));
  const pos = logo.position ?? 'top-left';
  const x = pos.endsWith('left') ? left : width - right - info.width;
  const y = pos.startsWith('top') ? top : height - bottom - h;
  if (x < 0 || y < 0 || x + info.width > width || y + h > height) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `brand.logo (${info.width}x${h} at ${pos}) does not fit the ${width}x${height} frame's safe area`, { hint: 'give brand.logo a smaller `size` or a wider logo' });
  }
  return { file: out, x, y, w: info.width, h };
}
