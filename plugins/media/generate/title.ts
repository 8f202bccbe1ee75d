/**
 * The keyword title of a generated visual, rendered by pango (sharp's `text` input): it wraps,
 * handles right-to-left scripts, and shrinks to fit the box when the words are many or long.
 * A blurred dark copy underneath keeps it readable on any background.
 */
import type { OverlayOptions } from 'sharp';
import { loadSharp } from 'mpv2/plugin';
import { displayFont } from './fonts.js';
import { escapeMarkup } from './keywords.js';

export interface TitleBox {
  /** Box the title must fit in (pixels). */
  left: number;
  top: number;
  width: number;
  height: number;
  /** Preferred size in pixels; smaller when the text does not fit. */
  fontPx: number;
}

async function renderText(markup: string, box: TitleBox, autofit: boolean, wrap: 'word' | 'word-char' = 'word-char'): Promise<{ data: Buffer; width: number; height: number }> {
  const font = displayFont();
  const sharp = await loadSharp();
  const { data, info } = await sharp({
    text: {
      text: markup,
      font: autofit ? font.family : `${font.family} ${box.fontPx}`,
      ...(font.file && { fontfile: font.file }),
      width: box.width,
      ...(autofit ? { height: box.height } : { dpi: 72 }),
      align: 'centre',
      wrap,
      rgba: true,
    },
  }).png().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The largest size (up to the preferred one) at which the widest word fits on one line, so words are not split. */
async function sizeForLongestWord(text: string, box: TitleBox, span: (t: string) => string): Promise<number> {
  // one word a line, on a wide canvas: the image is as wide as the widest word
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length === 0) return box.fontPx;
  const wide = { ...box, width: box.width * 4 };
  const word = await renderText(span(words.join('\n')), wide, false, 'word');
  return word.width <= box.width ? box.fontPx : Math.floor((box.fontPx * box.width * 0.96) / word.width);
}

export interface Title {
  /** Shadow, then text; empty when there is no text. */
  overlays: OverlayOptions[];
  /** Where the text landed. */
  top: number;
  height: number;
}

/** Title layers centred in the box. */
export async function renderTitle(text: string, color: string, box: TitleBox): Promise<Title> {
  if (!text.trim()) return { overlays: [], top: box.top, height: 0 };
  const span = (fg: string) => (t: string) => `<span foreground="${fg}" letter_spacing="${Math.round(box.fontPx * 20)}">${escapeMarkup(t)}</span>`;
  const markup = (fg: string) => span(fg)(text);
  // shrink until the longest word fits on a line; only words too long even at 45 % are split
  const fitted = await sizeForLongestWord(text, box, span(color));
  box = { ...box, fontPx: Math.max(Math.round(box.fontPx * 0.45), fitted) };
  let img = await renderText(markup(color), box, false);
  const autofit = img.height > box.height || img.width > box.width;
  if (autofit) img = await renderText(markup(color), box, true);
  const shadowText = await renderText(markup('#000000'), box, autofit);
  const pad = Math.round(box.fontPx * 0.5);
  const sharp = await loadSharp();
  const shadow = await sharp(shadowText.data)
    .extend({ top: pad, bottom: pad, left: pad, right: pad, background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .blur(Math.max(1, box.fontPx * 0.12))
    .linear([1, 1, 1, 0.55], [0, 0, 0, 0])
    .png()
    .toBuffer();
  const left = Math.round(box.left + (box.width - img.width) / 2);
  const top = Math.round(box.top + (box.height - img.height) / 2);
  const drop = Math.round(box.fontPx * 0.05);
  return {
    overlays: [
      { input: shadow, left: left - pad, top: top - pad + drop },
      { input: img.data, left, top },
    ],
    top,
    height: img.height,
  };
}
