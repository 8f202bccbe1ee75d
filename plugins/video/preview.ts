/**
 * Things to look at without a player: a thumbnail (the first visual with the brand's
 * template, the title and the logo drawn on it) and a contact sheet (a grid of frames of the result, each labelled with its time).
 * Both are small ffmpeg calls after the render: the sheet seeks to frames the render made
 * keyframes, so it decodes one frame per cell.
 */
import { runFfmpeg, type FfmpegInfo } from 'mpv2/plugin';
import { escapeFilterValue } from './graph.js';
import type { Visual } from './visuals.js';

/**
 * The thumbnail in one ffmpeg call: the picture, the brand's template (a frame or border with
 * transparency, scaled to the thumbnail) over it, the title over both, the logo on top.
 */
export async function makeThumbnail(info: FfmpegInfo, o: {
  visual: Visual; width: number; height: number; zoom: number; titleAss?: string; fontsDir: string; template?: string; logo?: { file: string; x: number; y: number }; out: string; cwd: string; signal: AbortSignal;
}): Promise<void> {
  const { width: W, height: H } = o;
  const input = o.visual.kind === 'video' ? ['-ss', String(Math.min(1, (o.visual.duration ?? 2) / 2)), '-i', o.visual.file] : ['-i', o.visual.file];
  // the prepared still is the frame enlarged by the zoom; show it at half the zoom, as mid-motion
  const z = (1 + o.zoom) / 2;
  const cover = `scale=${W}*${z.toFixed(3)}:${H}*${z.toFixed(3)}:force_original_aspect_ratio=increase,crop=${W}:${H},setsar=1`;
  const inputs = [...input];
  let next = 1;
  const parts = [`[0:v]${cover}[pic]`];
  let cur = 'pic';
  if (o.template) {
    inputs.push('-i', o.template);
    parts.push(`[${next++}:v]scale=${W}:${H},format=rgba[tpl]`, `[${cur}][tpl]overlay=0:0[framed]`);
    cur = 'framed';
  }
  if (o.titleAss && info.filters.has('ass')) {
    parts.push(`[${cur}]ass=filename=${escapeFilterValue(o.titleAss)}:fontsdir=${escapeFilterValue(o.fontsDir)}[titled]`);
    cur = 'titled';
  }
  // the brand's logo sits where it sits in the video
  if (o.logo) {
    inputs.push('-i', o.logo.file);
    parts.push(`[${cur}][${next++}:v]overlay=x=${o.logo.x}:y=${o.logo.y}[logo]`);
    cur = 'logo';
  }
  await runFfmpeg(info.ffmpeg, [...inputs, '-filter_complex', parts.join(';'), '-map', `[${cur}]`, '-frames:v', '1', '-q:v', '2', o.out], { cwd: o.cwd, signal: o.signal });
}

export async function makeContactSheet(info: FfmpegInfo, o: {
  video: string; frames: number[]; fps: number; width: number; height: number; columns: number; fontFile: string; out: string; cwd: string; signal: AbortSignal;
}): Promise<void> {
  const cellW = 2 * Math.round(o.width / o.columns / 2);
  const k = Math.min(o.width, o.height) / o.columns / 360;
  const rows = Math.ceil(o.frames.length / o.columns);
  const inputs = o.frames.flatMap((f) => ['-ss', (f / o.fps).toFixed(3), '-i', o.video]);
  const cells = o.frames.map((f, i) => {
    const label = `${(f / o.fps).toFixed(1)} s`;
    const stamp = info.filters.has('drawtext')
      ? `,drawtext=fontfile=${escapeFilterValue(o.fontFile)}:text='${label}':x=${Math.round(12 * k)}:y=${Math.round(12 * k)}:fontsize=${Math.round(24 * k)}:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=${Math.round(7 * k)}`
      : '';
    return `[${i}:v]trim=end_frame=1,setpts=N,scale=${cellW}:-2,setsar=1${stamp}[c${i}]`;
  });
  const graph = [...cells, `${o.frames.map((_, i) => `[c${i}]`).join('')}concat=n=${o.frames.length}:v=1:a=0,tile=${o.columns}x${rows}:padding=${Math.round(8 * k)}:margin=${Math.round(10 * k)}:color=0x101010[sheet]`].join(';');
  await runFfmpeg(info.ffmpeg, [...inputs, '-filter_complex', graph, '-map', '[sheet]', '-frames:v', '1', o.out], { cwd: o.cwd, signal: o.signal });
}
