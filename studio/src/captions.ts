/**
 * Captions for the browser's <track>, which reads WebVTT only. video.render writes a .vtt beside
 * the .srt; for a run that has only SubRip the studio converts it here, in the page.
 */

/** SubRip text to WebVTT: the header, and `,` → `.` in the cue times (cue numbers are allowed in VTT). */
export function srtToVtt(srt: string): string {
  const body = srt.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
    .replace(/^(\d{2}:\d{2}:\d{2}),(\d{3}) --> (\d{2}:\d{2}:\d{2}),(\d{3})/gm, '$1.$2 --> $3.$4');
  return `WEBVTT\n\n${body.trim()}\n`;
}
