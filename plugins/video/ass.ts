/**
 * Writes the ASS subtitle script that ffmpeg's `ass` filter (libass) burns into the video.
 * karaoke: short lines, the spoken word in the highlight colour (one event per line whose words
 * switch colour with zero-length `\t` transforms at their start times: one event per word made
 * libass keep a layout per event, +60 MB of peak memory on a 10-minute render, measured);
 * pop: one to three words at a time with a small scale-in; classic: short plain lines.
 * Every style is written with `Encoding: -1`, libass's automatic base direction: with the
 * VSFilter default (1) libass lays out each override run as its own left-to-right piece, so an
 * Arabic or Hebrew karaoke line came out in the wrong word order, changing as the highlight
 * moved; with -1 the whole line is one bidi paragraph and only colours change.
 */
import type { ResolvedCaptionStyle } from './caption-style.js';
import { groupWords, type Group, type Word } from './words.js';
import { joinedWithoutSpace, splitUnspaced } from './segment.js';

const centiseconds = (sec: number) => Math.max(0, Math.round(sec * 100));

function time(sec: number): string {
  const cs = centiseconds(sec);
  const h = Math.floor(cs / 360_000);
  const m = Math.floor((cs % 360_000) / 6000);
  const s = Math.floor((cs % 6000) / 100);
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(cs % 100).padStart(2, '0')}`;
}

/** Text made safe for an ASS event: braces and backslashes would start override tags. */
export function escapeAss(text: string): string {
  return text.replace(/\\/g, '＼').replace(/\{/g, '｛').replace(/\}/g, '｝').replace(/\r?\n/g, ' ');
}

export function assHeader(width: number, height: number, styles: string[]): string {
  return [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${width}`,
    `PlayResY: ${height}`,
    'WrapStyle: 0',
    'ScaledBorderAndShadow: yes',
    'YCbCr Matrix: None',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    ...styles,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
  ].join('\n');
}

function styleLine(name: string, s: ResolvedCaptionStyle, bold: boolean): string {
  return `Style: ${name},${s.font},${s.size},${s.colors.text},${s.colors.highlight},${s.colors.outline},${s.colors.shadow},${bold ? -1 : 0},0,0,0,100,100,0,0,1,${s.outline.toFixed(1)},${s.shadow},${s.alignment},${s.marginL},${s.marginR},${s.marginV},-1`;
}

export interface AssOptions {
  /** The content's language (BCP 47), for word segmentation of unspaced scripts. */
  language?: string;
  /** Draw in the font's bold face (script fonts name a family, not a bold family). */
  bold?: boolean;
}

const event = (start: number, end: number, text: string, style = 'Cap') =>
  `Dialogue: 0,${time(start)},${time(end)},${style},,0,0,0,,${text}`;

/** How long a group stays up: until the next one starts if the pause is short, else a little after its last word. */
function holdUntil(groups: Group[], i: number): number {
  const g = groups[i]!;
  const next = groups[i + 1];
  const linger = g.end + 0.35;
  if (!next) return linger;
  return next.start - g.end <= 1 ? next.start : linger;
}

export function buildAss(spoken: readonly Word[], s: ResolvedCaptionStyle, width: number, height: number, durationSec: number, o: AssOptions = {}): string {
  const up = (t: string) => escapeAss(s.uppercase ? t.toLocaleUpperCase(o.language) : t);
  const lines: string[] = [];
  const clampEnd = (t: number) => Math.min(t, durationSec);
  // libass wraps only at spaces: a line of an unspaced script must fit the frame by itself
  const fit = Math.max(2, Math.floor((width - s.marginL - s.marginR) / (s.size * 0.55)));
  const words = splitUnspaced(spoken, o.language, fit);
  const unspaced = words.some((w, i) => i > 0 && joinedWithoutSpace(words[i - 1]!.text, w.text));
  const chars = (n: number) => (unspaced ? Math.min(n, fit) : n);
  if (s.style === 'karaoke') {
    const groups = groupWords(words, { maxWords: unspaced ? 12 : 4, maxChars: chars(22) });
    groups.forEach((g, gi) => {
      const end = clampEnd(holdUntil(groups, gi));
      if (end <= g.start) return;
      // \t times are milliseconds from the event's start as written (whole centiseconds)
      const t0 = centiseconds(g.start) * 10;
      const at = (sec: number) => Math.max(0, Math.round(sec * 1000) - t0);
      const text = g.words.map((w, wi) => {
        const on = wi === 0 ? 0 : at(w.start);
        const off = wi === g.words.length - 1 ? undefined : at(g.words[wi + 1]!.start);
        const tags = [`\\c${on === 0 ? s.colors.highlight : s.colors.text}`];
        if (on > 0) tags.push(`\\t(${on},${on},\\c${s.colors.highlight})`);
        if (off !== undefined) tags.push(`\\t(${off},${off},\\c${s.colors.text})`);
        const sep = wi === 0 || joinedWithoutSpace(g.words[wi - 1]!.text, w.text) ? '' : ' ';
        return `${sep}{${tags.join('')}}${up(w.text)}`;
      }).join('');
      lines.push(event(g.start, end, text));
    });
  } else if (s.style === 'pop') {
    const groups = groupWords(words, { maxWords: unspaced ? 8 : 3, maxChars: chars(16), breakGap: 0.35 });
    groups.forEach((g, gi) => {
      const end = clampEnd(holdUntil(groups, gi));
      if (end > g.start) lines.push(event(g.start, end, `{\\fscx80\\fscy80\\t(0,90,\\fscx100\\fscy100)}${up(g.text)}`));
    });
  } else if (s.style === 'classic') {
    const groups = groupWords(words, { maxWords: unspaced ? 20 : 7, maxChars: chars(34), breakGap: 0.8 });
    groups.forEach((g, gi) => {
      const end = clampEnd(holdUntil(groups, gi));
      if (end > g.start) lines.push(event(g.start, end, up(g.text)));
    });
  }
  return `${assHeader(width, height, [styleLine('Cap', s, o.bold ?? false)])}\n${lines.join('\n')}\n`;
}

/** Where and how the thumbnail's title sits (the brand's `thumbnail`, colours as ASS). */
export interface TitleLayout { position?: 'top' | 'center' | 'bottom'; size?: number; color?: string; band?: string }

/** The title's alignment (numpad) and distance from its edge, as a fraction of the height. */
const TITLE_PLACES = { top: { align: 8, margin: 0.09 }, center: { align: 5, margin: 0 }, bottom: { align: 2, margin: 0.09 } } as const;
/** The box behind the title when the brand gives no `band`: dark, 22 % see-through. */
const TITLE_BAND = '&H38000000';

/**
 * A one-event script drawing the title for the thumbnail: centred (or at the brand's top or
 * bottom), big, on a box (BorderStyle 3: translucent dark, or the brand's band colour), so it
 * stays readable over any picture, including text in the picture.
 */
export function buildTitleAss(title: string, font: string, width: number, height: number, durationSec: number, bold = false, layout: TitleLayout = {}): string {
  const k = Math.min(width, height) / 1080;
  const size = layout.size ? Math.round(layout.size * Math.min(width, height)) : Math.round((title.length > 40 ? 96 : title.length > 24 ? 118 : 136) * k);
  const m = Math.round(width * 0.08);
  const place = TITLE_PLACES[layout.position ?? 'center'];
  const color = layout.color ?? '&H00FFFFFF';
  const style = `Style: Title,${font},${size},${color},${color},${layout.band ?? TITLE_BAND},&H00000000,${bold ? -1 : 0},0,0,0,100,100,0,0,3,${Math.round(22 * k)},0,${place.align},${m},${m},${Math.round(height * place.margin)},-1`;
  return `${assHeader(width, height, [style])}\n${event(0, durationSec + 1, escapeAss(title.toLocaleUpperCase()), 'Title')}\n`;
}
