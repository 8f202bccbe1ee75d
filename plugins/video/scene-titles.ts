/**
 * Scene titles (the `title` of each visual, e.g. a media.fetchImages keyword) drawn by the
 * render pass as ASS events of their own style, added to the script the captions are burned
 * with: no extra filter, no extra pass. Each title is up only while its visual is alone on
 * screen: it fades in after the crossfade into its scene has ended and is gone before the
 * crossfade out of it starts, so two titles never show at once. It sits at the top of the
 * safe area, or at the bottom when the captions take the top.
 */
import { mpv2Error } from 'mpv2/plugin';
import { assHeader, escapeAss } from './ass.js';
import type { ResolvedCaptionStyle } from './caption-style.js';
import type { Timeline } from './timeline.js';

/** Fade in and out, in ms; shortened when a scene is very short. */
const FADE_MS = 250;

/** The brand's title font and ASS colours (default: white Montserrat Black, black outline). */
export interface TitleLook { font?: string; color?: string; outline?: string }

export interface SceneTitle { text: string; start: number; end: number }

/** When each titled visual is alone on screen (seconds), from the timeline's frame counts. */
export function sceneTitleTimes(titles: ReadonlyArray<string | undefined>, timeline: Timeline): SceneTitle[] {
  const out: SceneTitle[] = [];
  const n = timeline.slots.length;
  titles.forEach((text, i) => {
    if (!text?.trim() || i >= n) return;
    const fromFrame = i === 0 ? 0 : timeline.transitions[i - 1]! + timeline.fadeFrames;
    const toFrame = i === n - 1 ? timeline.totalFrames : timeline.transitions[i]!;
    // whole centiseconds inside the solo part: rounding must never reach into a crossfade
    const start = Math.ceil((fromFrame / timeline.fps) * 100) / 100;
    const end = Math.floor((toFrame / timeline.fps) * 100) / 100;
    if (end > start) out.push({ text: text.trim(), start, end });
  });
  return out;
}

const time = (sec: number) => {
  const cs = Math.round(sec * 100);
  return `${Math.floor(cs / 360_000)}:${String(Math.floor((cs % 360_000) / 6000)).padStart(2, '0')}:${String(Math.floor((cs % 6000) / 100)).padStart(2, '0')}.${String(cs % 100).padStart(2, '0')}`;
};

/** The title style and its events, placed clear of the captions (`caption` says where those are). */
export function sceneTitleLines(titles: readonly SceneTitle[], caption: Pick<ResolvedCaptionStyle, 'position' | 'marginL' | 'marginR'>, width: number, height: number, look: TitleLook = {}): { style: string; events: string[] } {
  const k = Math.min(width, height) / 1080;
  const portrait = height > width;
  const atBottom = caption.position === 'top';
  const marginV = Math.round(height * (atBottom ? (portrait ? 0.24 : 0.1) : (portrait ? 0.15 : 0.07)));
  const size = Math.round((portrait ? 118 : 104) * k);
  // white Montserrat Black with a dark outline and soft shadow, like the thumbnail's title
  const style = `Style: SceneTitle,${look.font ?? 'Montserrat Black'},${size},${look.color ?? '&H00FFFFFF'},&H00FFFFFF,${look.outline ?? '&H00000000'},&H80000000,0,0,0,0,100,100,0,0,1,${(6 * k).toFixed(1)},${Math.round(3 * k)},${atBottom ? 2 : 8},${caption.marginL},${caption.marginR},${marginV},1`;
  const events = titles.map((t) => {
    const fade = Math.max(0, Math.min(FADE_MS, Math.floor(Math.round((t.end - t.start) * 1000) / 3)));
    return `Dialogue: 1,${time(t.start)},${time(t.end)},SceneTitle,,0,0,0,,{\\fad(${fade},${fade})}${escapeAss(t.text.toLocaleUpperCase())}`;
  });
  return { style, events };
}

/**
 * Adds the titles to a caption script (its style before `[Events]`, its events at the end),
 * or makes a script of titles alone when no captions are burned.
 */
export function withSceneTitles(captionsAss: string | undefined, lines: { style: string; events: string[] }, width: number, height: number): string {
  if (captionsAss === undefined) return `${assHeader(width, height, [lines.style])}\n${lines.events.join('\n')}\n`;
  const at = captionsAss.indexOf('\n[Events]');
  if (at < 0) throw mpv2Error('E_INTERNAL', 'the caption script has no [Events] section to add scene titles to');
  const head = captionsAss.slice(0, at).replace(/\n+$/, '');
  const tail = captionsAss.slice(at).replace(/\n*$/, '\n');
  return `${head}\n${lines.style}\n${tail}${lines.events.join('\n')}\n`;
}
