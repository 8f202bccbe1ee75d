/**
 * Builds the one ffmpeg command that makes the video: per-visual motion, crossfades, burned
 * captions, the mixed audio, plus the thumbnail and contact-sheet frames taken off the same
 * filter graph (so the result is decoded zero extra times).
 */
import type { Timeline } from './timeline.js';
import type { Visual } from './visuals.js';
import { zoomedSize } from './visuals.js';
import { audioGraph, type AudioPlan } from './audio-graph.js';

export interface GraphPlan {
  width: number;
  height: number;
  fps: number;
  zoom: number;
  visuals: Visual[];
  timeline: Timeline;
  /** Use the xfade filter; false = an equivalent alpha-fade + overlay blend. */
  xfade: boolean;
  /** swscale flags for the per-frame zoom. */
  scaleFlags: string;
  /** `scale`: per-frame scale + centred crop (smooth); `zoompan`: for builds whose scale lacks the `n` variable. */
  motion: 'scale' | 'zoompan';
  audio: AudioPlan;
  /** Relative to the ffmpeg working folder. */
  captionsAss?: string;
  titleAss?: string;
  fontsDir: string;
  fontFile: string;
  thumbnail?: { file: string; frame: number };
  contactSheet?: { file: string; frames: number[]; columns: number };
  output: string;
  encoder: { pre: string[]; args: string[]; filterSuffix: string };
  audioArgs: string[];
}

/** Escapes a value for a filter option inside -filter_complex (both escaping levels). */
export function escapeFilterValue(v: string): string {
  if (/^[\w./-]+$/.test(v)) return v;
  return v.replace(/[\\':]/g, '\\$&').replace(/[\\'[\],;]/g, '\\$&');
}

/** Ken Burns by per-frame scale of a pre-enlarged still and an exactly centred crop. */
function kenBurns(i: number, frames: number, p: GraphPlan): string {
  const { width: W, height: H } = p;
  const big = zoomedSize(W, H, p.zoom);
  const last = Math.max(1, frames - 1);
  // zoom in on even visuals, out on odd ones; sizes stay even so (size - frame)/2 is a whole
  // pixel and the centre never wobbles; bilinear resampling keeps sub-pixel detail smooth
  const t = i % 2 === 0 ? `n/${last}` : `(1-n/${last})`;
  const w = `2*round((${W}+${big.w - W}*${t})/2)`;
  const h = `2*round((${H}+${big.h - H}*${t})/2)`;
  return `scale=w='${w}':h='${h}':eval=frame:flags=${p.scaleFlags},crop=${W}:${H}:x='(${w}-${W})/2':y='(${h}-${H})/2':exact=1`;
}

function visualChain(i: number, p: GraphPlan): string {
  const v = p.visuals[i]!;
  const frames = p.timeline.slots[i]!.frames;
  const { width: W, height: H, fps } = p;
  if (v.kind === 'video') {
    return `[${i}:v]fps=${fps},scale=${W}:${H}:force_original_aspect_ratio=increase:flags=bicubic,crop=${W}:${H},setsar=1,format=yuv420p,trim=end_frame=${frames},setpts=N/${fps}/TB[v${i}]`;
  }
  if (p.motion === 'zoompan' && p.zoom > 1) {
    const last = Math.max(1, frames - 1);
    const z = i % 2 === 0 ? `1+${p.zoom - 1}*on/${last}` : `${p.zoom}-${p.zoom - 1}*on/${last}`;
    return `[${i}:v]format=yuv420p,zoompan=z='${z}':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=${frames}:s=${W}x${H}:fps=${fps},setsar=1[v${i}]`;
  }
  const motion = p.zoom > 1 ? kenBurns(i, frames, p) : `scale=${W}:${H}`;
  return `[${i}:v]format=yuv420p,loop=loop=${frames - 1}:size=1,settb=1/${fps},setpts=N,${motion},setsar=1[v${i}]`;
}

function transitions(p: GraphPlan, out: string): string[] {
  const n = p.visuals.length;
  const { fps, timeline: tl } = p;
  if (n === 1) return [`[v0]null[${out}]`];
  const fade = tl.fadeFrames / fps;
  if (p.xfade) {
    const parts: string[] = [];
    let prev = 'v0';
    for (let i = 1; i < n; i++) {
      const next = i === n - 1 ? out : `x${i}`;
      parts.push(tl.fadeFrames > 0
        ? `[${prev}][v${i}]xfade=transition=fade:duration=${fade}:offset=${tl.transitions[i - 1]! / fps}[${next}]`
        : `[${prev}][v${i}]concat=n=2:v=1:a=0[${next}]`);
      prev = next;
    }
    return parts;
  }
  // no xfade (old ffmpeg builds): every clip fades in over the one below it on a black base
  const parts = [`color=c=black:s=${p.width}x${p.height}:r=${fps}:d=${tl.totalFrames / fps},format=yuv420p[bg]`];
  let prev = 'bg';
  for (let i = 0; i < n; i++) {
    const start = tl.slots[i]!.startFrame / fps;
    const fadeIn = i > 0 && tl.fadeFrames > 0 ? `,fade=t=in:st=0:d=${fade}:alpha=1` : '';
    parts.push(`[v${i}]format=yuva420p${fadeIn},setpts=PTS+${start}/TB[c${i}]`);
    const next = i === n - 1 ? out : `o${i}`;
    parts.push(`[${prev}][c${i}]overlay=eof_action=pass:format=yuv420[${next}]`);
    prev = next;
  }
  return parts;
}

export function buildGraph(p: GraphPlan): string[] {
  const parts: string[] = [];
  p.visuals.forEach((_, i) => parts.push(visualChain(i, p)));
  parts.push(...transitions(p, 'base'));
  const fontsdir = escapeFilterValue(p.fontsDir);
  let cur = 'base';
  if (p.thumbnail) {
    parts.push(`[${cur}]split=2[main][tsrc]`);
    const title = p.titleAss ? `,ass=filename=${escapeFilterValue(p.titleAss)}:fontsdir=${fontsdir}` : '';
    parts.push(`[tsrc]select='eq(n\\,${p.thumbnail.frame})'${title}[thumb]`);
    cur = 'main';
  }
  if (p.captionsAss) {
    parts.push(`[${cur}]ass=filename=${escapeFilterValue(p.captionsAss)}:fontsdir=${fontsdir}[capt]`);
    cur = 'capt';
  }
  if (p.contactSheet) {
    const cs = p.contactSheet;
    const rows = Math.ceil(cs.frames.length / cs.columns);
    const cellW = 2 * Math.round(p.width / cs.columns / 2);
    const sel = cs.frames.map((f) => `eq(n\\,${f})`).join('+');
    const k = cellW / 360;
    const stamp = `drawtext=fontfile=${escapeFilterValue(p.fontFile)}:text='%{pts\\:hms}':x=${Math.round(10 * k)}:y=${Math.round(10 * k)}:fontsize=${Math.round(22 * k)}:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=${Math.round(6 * k)}`;
    parts.push(`[${cur}]split=2[vmain][ssrc]`);
    parts.push(`[ssrc]select='${sel}',scale=${cellW}:-2,${stamp},tile=${cs.columns}x${rows}:padding=${Math.round(8 * k)}:margin=${Math.round(8 * k)}:color=0x111111[sheet]`);
    cur = 'vmain';
  }
  parts.push(`[${cur}]null${p.encoder.filterSuffix}[vout]`);
  const audio = audioGraph(p.audio, p.visuals.length, p.timeline.totalFrames / p.fps);
  parts.push(...audio.filters);

  const args: string[] = [...p.encoder.pre];
  for (const v of p.visuals) {
    if (v.kind === 'video') {
      const need = (p.timeline.slots[p.visuals.indexOf(v)]!.frames / p.fps) + 1;
      args.push('-stream_loop', '-1', '-t', need.toFixed(3), '-i', v.file);
    } else {
      args.push('-framerate', String(p.fps), '-i', v.file);
    }
  }
  args.push(...audio.inputs);
  args.push('-filter_complex', parts.join(';\n'));
  args.push('-map', '[vout]', '-map', `[${audio.label}]`, ...p.encoder.args, ...p.audioArgs,
    '-frames:v', String(p.timeline.totalFrames), '-movflags', '+faststart', p.output);
  if (p.thumbnail) args.push('-map', '[thumb]', '-frames:v', '1', '-q:v', '2', '-update', '1', p.thumbnail.file);
  if (p.contactSheet) args.push('-map', '[sheet]', '-frames:v', '1', '-update', '1', p.contactSheet.file);
  return args;
}
