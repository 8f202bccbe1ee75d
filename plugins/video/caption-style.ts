/**
 * Caption style options: defaults per style, colour parsing, and placement inside the safe
 * area (Shorts draw their buttons over the right ~15 % and the bottom ~20 % of the frame).
 */
import { mpv2Error } from 'mpv2/plugin';
import { renderInput, type CaptionStyleInput } from './render-schema.js';

export type CaptionKind = CaptionStyleInput['style'];
export type CaptionPosition = NonNullable<CaptionStyleInput['position']>;

// `colors` has no default of its own (one would enter every render's cache key), so ajv fills
// its fields only when it is given: when it is absent, those fields' schema defaults apply
const colorFields = renderInput.properties.captionStyle.properties.colors.properties;
export const COLOR_DEFAULTS = { text: colorFields.text.default, highlight: colorFields.highlight.default, outline: colorFields.outline.default, shadow: colorFields.shadow.default };

export interface ResolvedCaptionStyle {
  style: CaptionKind;
  font: string;
  /** Font size in output pixels. */
  size: number;
  uppercase: boolean;
  outline: number;
  shadow: number;
  position: CaptionPosition;
  colors: { text: string; highlight: string; outline: string; shadow: string };
  /** Margins in output pixels. */
  marginL: number;
  marginR: number;
  marginV: number;
  /** ASS alignment (numpad layout). */
  alignment: number;
}

const DEFAULTS: Record<Exclude<CaptionKind, 'none'>, { size: number; uppercase: boolean; outline: number; position: CaptionPosition }> = {
  karaoke: { size: 96, uppercase: true, outline: 7, position: 'bottom' },
  pop: { size: 116, uppercase: true, outline: 8, position: 'center' },
  classic: { size: 64, uppercase: false, outline: 4, position: 'bottom' },
};

/** `#RGB`, `#RRGGBB` or `#RRGGBBAA` (CSS order) to ASS `&HAABBGGRR` (ASS alpha: 00 = opaque). */
export function assColor(css: string, field = 'color'): string {
  let hex = css.trim().replace(/^#/, '');
  if (/^[0-9a-f]{3}$/i.test(hex)) hex = hex.split('').map((c) => c + c).join('');
  if (!/^[0-9a-f]{6}([0-9a-f]{2})?$/i.test(hex)) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `expected \`${field}\` to be a colour like "#FFD400" or "#00000080", got ${JSON.stringify(css)}`);
  }
  const [r, g, b] = [hex.slice(0, 2), hex.slice(2, 4), hex.slice(4, 6)];
  const a = hex.length === 8 ? (255 - parseInt(hex.slice(6, 8), 16)).toString(16).padStart(2, '0') : '00';
  return `&H${a}${b}${g}${r}`.toUpperCase();
}

export function resolveCaptionStyle(input: CaptionStyleInput, width: number, height: number): ResolvedCaptionStyle {
  const style = input.style;
  const d = DEFAULTS[style === 'none' ? 'karaoke' : style];
  // sizes are given for a 1080-pixel short side and scale with the frame
  const k = Math.min(width, height) / 1080;
  const portrait = height > width;
  const position = input.position ?? d.position;
  const c = input.colors ?? COLOR_DEFAULTS;
  const colors = {
    text: assColor(c.text, 'captionStyle.colors.text'),
    highlight: assColor(c.highlight, 'captionStyle.colors.highlight'),
    outline: assColor(c.outline, 'captionStyle.colors.outline'),
    shadow: assColor(c.shadow, 'captionStyle.colors.shadow'),
  };
  const marginL = Math.round(width * (portrait ? 0.07 : 0.05));
  const marginR = Math.round(width * (portrait ? 0.15 : 0.05));
  const marginV = Math.round(height * (position === 'center' ? 0 : position === 'top' ? (portrait ? 0.14 : 0.06) : (portrait ? 0.22 : 0.08)));
  const alignment = position === 'top' ? 8 : position === 'center' ? 5 : 2;
  return {
    style,
    font: input.font,
    size: Math.round((input.size ?? d.size) * k),
    uppercase: input.uppercase ?? d.uppercase,
    outline: Math.max(0, (input.outline ?? d.outline) * k),
    shadow: Math.round(3 * k),
    position,
    colors,
    marginL,
    marginR,
    marginV,
    alignment,
  };
}
