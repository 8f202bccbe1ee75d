/**
 * The brand's intro and outro: the first and last segments of the render's own timeline, joined
 * to the scenes by the same transitions (no second encode). Each is a clip (scaled and cropped
 * like any clip, played once, its last frame held if `duration` is longer, its sound mixed into
 * the soundtrack unless muted), a still, or a generated card: a background with the logo
 * centred, and the text drawn by the pass's `ass` filter in the brand's title font.
 * Everything is checked here, before the long pass.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { ffprobe, mpv2Error, type FfmpegInfo } from 'mpv2/plugin';
import { escapeAss } from './ass.js';
import type { Brand } from './brand.js';
import type { Visual } from './visuals.js';

/** A card's or a still's length when `duration` is not given, seconds. */
export const BUMPER_STILL_SEC = 1.5;
/** A clip plays its own length up to this, seconds (the schema's `duration` maximum). */
export const BUMPER_CLIP_MAX_SEC = 15;
/** A card's background when the brand gives none. */
export const CARD_BACKGROUND = '#101010';
/** Whether a clip's own sound is mixed in when `audio` is not given. */
export const CLIP_AUDIO = true;
/** The logo's largest width and height on a card (fractions of the frame), and its centre's height. */
const CARD_LOGO_WIDTH = 0.4;
const CARD_LOGO_HEIGHT = 0.3;
const CARD_LOGO_Y = 0.42;

export type BumperSpec = Exclude<NonNullable<Brand['intro']>, false>;
export type Which = 'intro' | 'outro';

export interface Bumper {
  which: Which;
  /** A timeline visual: `brand` set, so it is played once and not zoomed (graph.ts). */
  visual: Visual;
  durationSec: number;
  /** The clip whose sound the soundtrack mixes in over this segment. */
  audio?: string;
  /** A card's text and the top of its text block (fraction of the frame height). */
  text?: { value: string; top: number };
}

/**
 * Checks and prepares an intro or outro. `canvas` is the size the timeline is assembled at
 * (the frame enlarged by the Ken Burns zoom); `logo` the brand's logo file, for cards.
 */
export async function prepareBumper(which: Which, spec: BumperSpec, o: {
  info: FfmpegInfo; resolve: (p: string) => string; workdir: string; canvas: { w: number; h: number }; logo?: string; signal: AbortSignal;
}): Promise<Bumper> {
  const field = `brand.${which}`;
  if (spec.file !== undefined && spec.text !== undefined) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `${field} has both \`file\` and \`text\``, { hint: `give ${field} a clip or image (\`file\`) or a card's \`text\`, not both` });
  }
  if (spec.file === undefined && spec.text === undefined) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `${field} has neither \`file\` nor \`text\``, { hint: `give ${field}.file (a clip or image) or ${field}.text (a generated card), or \`${which}: false\` for none` });
  }
  const out = join(o.workdir, `brand-${which}.jpg`);
  if (spec.text !== undefined) return card(which, spec, spec.text, out, o);
  const source = o.resolve(spec.file!);
  if (!existsSync(source) || !statSync(source).isFile()) {
    throw mpv2Error('E_FILE', `${field}.file: ${source} does not exist`, { hint: `check the path (relative to the project folder), or remove ${field}` });
  }
  const meta = await sharp(source).metadata().catch(() => undefined);
  if (meta?.width && meta.height && !((meta.pages ?? 1) > 1)) {
    try {
      await sharp(source, { failOn: 'error' }).rotate().resize(o.canvas.w, o.canvas.h, { fit: 'cover' }).flatten({ background: '#000000' }).jpeg({ quality: 94 }).toFile(out);
    } catch (e) {
      throw mpv2Error('E_PLUGIN_INPUT_INVALID', `${field}.file: ${source} cannot be read as an image: ${(e as Error).message}`, { hint: 'give a PNG or JPEG image, or a video clip' });
    }
    return { which, visual: { kind: 'image', file: out, source: field, weight: 0, brand: which }, durationSec: spec.duration ?? BUMPER_STILL_SEC };
  }
  const probe = await ffprobe(o.info, source, o.signal).catch((e: unknown) => {
    if ((e as { code?: string }).code === 'E_ABORTED') throw e;
    return undefined;
  });
  const length = Number(probe?.format.duration ?? 0);
  if (!probe || !probe.streams.some((s) => s.codec_type === 'video') || !(length > 0)) {
    throw mpv2Error('E_PLUGIN_INPUT_INVALID', `${field}.file: ${source} cannot be read as a video clip or an image`, { hint: 'give an MP4, MOV or WebM clip, or a PNG or JPEG image; the file may be truncated' });
  }
  const hasSound = probe.streams.some((s) => s.codec_type === 'audio');
  return {
    which,
    visual: { kind: 'video', file: source, source, weight: 0, duration: length, brand: which },
    durationSec: spec.duration ?? Math.min(length, BUMPER_CLIP_MAX_SEC),
    ...(hasSound && (spec.audio ?? CLIP_AUDIO) && { audio: source }),
  };
}

/** A card: the background colour with the logo centred (the text is drawn by the pass). */
async function card(which: Which, spec: BumperSpec, text: string, out: string, o: { resolve: (p: string) => string; canvas: { w: number; h: number }; logo?: string }): Promise<Bumper> {
  const { w, h } = o.canvas;
  const layers: Array<{ input: Buffer; left: number; top: number }> = [];
  let top = 0.5;
  if (o.logo) {
    const source = o.resolve(o.logo);
    let logo;
    try {
      logo = await sharp(source, { failOn: 'error' }).resize({ width: Math.round(w * CARD_LOGO_WIDTH), height: Math.round(h * CARD_LOGO_HEIGHT), fit: 'inside' }).ensureAlpha().png().toBuffer({ resolveWithObject: true });
    } catch (e) {
      throw mpv2Error('E_PLUGIN_INPUT_INVALID', `brand.logo.file ${source} cannot be read as an image: ${(e as Error).message}`, { hint: 'give a PNG (with transparency) or JPEG logo' });
    }
    const lh = logo.info.height;
    layers.push({ input: logo.data, left: Math.round((w - logo.info.width) / 2), top: Math.max(0, Math.round(h * CARD_LOGO_Y - lh / 2)) });
    // the text block starts a little below the logo
    top = CARD_LOGO_Y + lh / 2 / h + 0.04;
  }
  await sharp({ create: { width: w, height: h, channels: 3, background: cssHex(spec.background ?? CARD_BACKGROUND) } })
    .composite(layers).jpeg({ quality: 94 }).toFile(out);
  return {
    which,
    visual: { kind: 'image', file: out, source: `brand.${which}`, weight: 0, brand: which },
    durationSec: spec.duration ?? BUMPER_STILL_SEC,
    text: { value: text, top: o.logo ? top : 0.5 },
  };
}

/** `#RGB`, `#RRGGBB` or `#RRGGBBAA` (with or without `#`) as sharp takes it. */
function cssHex(c: string): string {
  const hex = c.replace(/^#/, '');
  return `#${hex.length === 3 ? hex.split('').map((x) => x + x).join('') : hex.slice(0, 6)}`;
}

/**
 * The cards' text as ASS events of their own style, for the script the pass burns: shown for
 * the card's whole segment, faded out over the crossfade into the first scene (intro) or in
 * over the crossfade out of the last one (outro). Times are seconds of the output.
 */
export function bumperLines(cards: ReadonlyArray<{ text: { value: string; top: number }; start: number; end: number; fadeIn: number; fadeOut: number }>, look: { font: string; color: string; outline: string }, width: number, height: number): { style: string; events: string[] } {
  const k = Math.min(width, height) / 1080;
  const m = Math.round(width * 0.08);
  const style = `Style: BrandCard,${look.font},${Math.round(104 * k)},${look.color},${look.color},${look.outline},&H80000000,0,0,0,0,100,100,0,0,1,${(4 * k).toFixed(1)},${Math.round(2 * k)},8,${m},${m},0,-1`;
  const events = cards.map((c) => {
    // \an5 centres a lone text block on the frame; under a logo it hangs from `top`
    const pos = c.text.top === 0.5 ? `\\an5\\pos(${Math.round(width / 2)},${Math.round(height / 2)})` : `\\an8\\pos(${Math.round(width / 2)},${Math.round(height * c.text.top)})`;
    return `Dialogue: 2,${assTime(c.start)},${assTime(c.end)},BrandCard,,0,0,0,,{${pos}\\fad(${Math.round(c.fadeIn * 1000)},${Math.round(c.fadeOut * 1000)})}${escapeAss(c.text.value)}`;
  });
  return { style, events };
}

function assTime(sec: number): string {
  const cs = Math.max(0, Math.round(sec * 100));
  return `${Math.floor(cs / 360_000)}:${String(Math.floor((cs % 360_000) / 6000)).padStart(2, '0')}:${String(Math.floor((cs % 6000) / 100)).padStart(2, '0')}.${String(cs % 100).padStart(2, '0')}`;
}
