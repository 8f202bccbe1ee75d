/**
 * SubRip (.srt) and WebVTT (.vtt) sidecars from word timings, grouped into short lines
 * (YouTube shows them as closed captions).
 */
import { groupWords, type Word } from './words.js';

function stamp(sec: number, sep: ',' | '.'): string {
  const ms = Math.max(0, Math.round(sec * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${sep}${pad(ms % 1000, 3)}`;
}

function lines(words: readonly Word[]) {
  // about two seconds of speech, at most 42 characters: the usual caption line budget
  return groupWords(words, { maxWords: 7, maxChars: 42, breakGap: 0.8 }).map((g) => ({
    ...g,
    // a caption stays at least 0.5 s on screen, but never overlaps the next one
    end: Math.max(g.end, g.start + 0.5),
  })).map((g, i, all) => ({ ...g, end: all[i + 1] ? Math.min(g.end, all[i + 1]!.start) : g.end }));
}

export function toSrt(words: readonly Word[]): string {
  return lines(words).map((g, i) => `${i + 1}\n${stamp(g.start, ',')} --> ${stamp(g.end, ',')}\n${g.text}\n`).join('\n');
}

export function toVtt(words: readonly Word[]): string {
  const cues = lines(words).map((g) => `${stamp(g.start, '.')} --> ${stamp(g.end, '.')}\n${g.text.replace(/-->/g, '→')}\n`);
  return `WEBVTT\n\n${cues.join('\n')}`;
}
