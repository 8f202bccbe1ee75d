/**
 * Builds the one ffmpeg command that makes the video: per-visual motion, crossfades, burned
 * captions and the mixed audio. (Thumbnail and contact sheet are separate small calls: a
 * second, mostly idle output on the same graph makes ffmpeg queue the whole video in memory.)
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
  fontsDir: string;
  /** Frames to make keyframes (the contact sheet's). */
  keyframes: number[];
  output: string;
  encoder: { pre: string[]; args: string[]; filterSuffix: string };
  audioArgs: string[];
}

/** Escapes a value for a filter option inside -filter_complex (both escaping levels). */
export function escapeFilterValue(v: string): string {
  if (/^[\w./-]+$/.test(v)) return v;
  return v.replace(/[\\':]/g, '\\$&').replace(/[\\'[\],;]/g, '\\$&');
}

/** Ken Burns by per-frame scale of a pre-enlarged still and an exactly centred crop. `from` = first clip frame. */
function kenBurns(i: number, frames: number, from: number, p: GraphPlan): string {
  const { width: W, height: H } = p;
  const big = zoomedSize(W, H, p.zoom);
  const last = Math.max(1, frames - 1);
  const n = from ? `(n+${from})` : 'n';
  if (p.motion === 'zoompan') {
    const on = from ? `(on+${from})` : 'on';
    const z = i % 2 === 0 ? `1+${p.zoom - 1}*${on}/${last}` : `${p.zoom}-${p.zoom - 1}*${on}/${last}`;
    return `zoompan=z='${z}':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':s=${W}x${H}:fps=${p.fps}`;
  }
  // zoom in on even visuals, out on odd ones; sizes stay even so (size - frame)/2 is a whole
  // pixel and the centre never wobbles; bilinear resampling keeps sub-pixel detail smooth
  const t = i % 2 === 0 ? `${n}/${last}` : `(1-${n}/${last})`;
  const w = `2*round((${W}+${big.w - W}*${t})/2)`;
  const h = `2*round((${H}+${big.h - H}*${t})/2)`;
  return `scale=w='${w}':h='${h}':eval=frame:flags=${p.scaleFlags},crop=${W}:${H}:x='(${w}-${W})/2':y='(${h}-${H})/2':exact=1`;
}

/** A piece of one visual: frames [from, from+count) of its slot. */
interface Piece { visual: number; from: number; count: number }

/**
 * The timeline as independent segments joined by concat: each visual's solo part, and each
 * transition made from the tail of one visual and the head of the next. Every segment is
 * generated on demand, so memory stays flat however long the video is (a chain of xfade
 * filters would queue the later visuals' frames for the whole render).
 */
function segments(p: GraphPlan): Array<{ solo: Piece } | { a: Piece; b: Piece }> {
  const n = p.visuals.length;
  const F = p.timeline.fadeFrames;
  const out: Array<{ solo: Piece } | { a: Piece; b: Piece }> = [];
  for (let i = 0; i < n; i++) {
    const L = p.timeline.slots[i]!.frames;
    const head = i > 0 ? F : 0;
    const tail = i < n - 1 ? F : 0;
    if (L - head - tail > 0) out.push({ solo: { visual: i, from: head, count: L - head - tail } });
    if (tail > 0) out.push({ a: { visual: i, from: L - F, count: F }, b: { visual: i + 1, from: 0, count: F } });
  }
  return out;
}

interface Builder { args: string[]; parts: string[]; inputs: number; stillTaps: Map<number, string[]> }

/** The filter chain producing one piece; returns its label. */
function piece(b: Builder, p: GraphPlan, pc: Piece, label: string): string {
  const v = p.visuals[pc.visual]!;
  const { width: W, height: H, fps } = p;
  const frames = p.timeline.slots[pc.visual]!.frames;
  if (v.kind === 'video') {
    const dur = v.duration ?? 1;
    const idx = b.inputs++;
    b.args.push('-stream_loop', '-1', '-ss', ((pc.from / fps) % dur).toFixed(3), '-t', (pc.count / fps + 1).toFixed(3), '-i', v.file);
    b.parts.push(`[${idx}:v]fps=${fps},scale=${W}:${H}:force_original_aspect_ratio=increase:flags=bicubic,crop=${W}:${H},setsar=1,format=yuv420p,trim=end_frame=${pc.count},setpts=N[${label}]`);
    return label;
  }
  const tap = b.stillTaps.get(pc.visual)!.shift()!;
  const motion = p.zoom > 1 ? kenBurns(pc.visual, frames, pc.from, p) : `scale=${W}:${H}`;
  const src = p.motion === 'zoompan' && p.zoom > 1
    ? `[${tap}]${motion.replace(`:s=`, `:d=${pc.count}:s=`)}`
    : `[${tap}]loop=loop=${pc.count - 1}:size=1,settb=1/${fps},setpts=N,${motion}`;
  b.parts.push(`${src},setsar=1,format=yuv420p[${label}]`);
  return label;
}

function timelineGraph(b: Builder, p: GraphPlan, out: string): void {
  const segs = segments(p);
  // each still is decoded once and split into as many taps as it has pieces
  const uses = new Map<number, number>();
  for (const s of segs) for (const pc of 'solo' in s ? [s.solo] : [s.a, s.b]) uses.set(pc.visual, (uses.get(pc.visual) ?? 0) + 1);
  p.visuals.forEach((v, i) => {
    if (v.kind === 'video') return;
    const idx = b.inputs++;
    b.args.push('-framerate', String(p.fps), '-i', v.file);
    const k = uses.get(i) ?? 0;
    const taps = Array.from({ length: k }, (_, j) => `s${i}_${j}`);
    b.stillTaps.set(i, taps);
    if (k === 1) b.parts.push(`[${idx}:v]format=yuv420p,null[${taps[0]}]`);
    else if (k > 1) b.parts.push(`[${idx}:v]format=yuv420p,split=${k}${taps.map((t) => `[${t}]`).join('')}`);
  });
  const fade = p.timeline.fadeFrames / p.fps;
  const labels = segs.map((s, j) => {
    if ('solo' in s) return piece(b, p, s.solo, `g${j}`);
    const a = piece(b, p, s.a, `g${j}a`);
    const c = piece(b, p, s.b, `g${j}b`);
    b.parts.push(p.xfade
      ? `[${a}][${c}]xfade=transition=fade:duration=${fade}:offset=0[g${j}]`
      // no xfade (old builds): the incoming visual fades in (alpha) over the outgoing one
      : `[${c}]format=yuva420p,fade=t=in:st=0:d=${fade}:alpha=1[g${j}f];[${a}][g${j}f]overlay=format=yuv420,format=yuv420p[g${j}]`);
    return `g${j}`;
  });
  b.parts.push(labels.length === 1 ? `[${labels[0]}]null[${out}]` : `${labels.map((l) => `[${l}]`).join('')}concat=n=${labels.length}:v=1:a=0[${out}]`);
}

export function buildGraph(p: GraphPlan): string[] {
  const b: Builder = { args: [...p.encoder.pre], parts: [], inputs: 0, stillTaps: new Map() };
  timelineGraph(b, p, 'base');
  const parts = b.parts;
  const fontsdir = escapeFilterValue(p.fontsDir);
  let cur = 'base';
  if (p.captionsAss) {
    parts.push(`[${cur}]ass=filename=${escapeFilterValue(p.captionsAss)}:fontsdir=${escapeFilterValue(p.fontsDir)}[capt]`);
    cur = 'capt';
  }
  parts.push(`[${cur}]null${p.encoder.filterSuffix}[vout]`);
  const audio = audioGraph(p.audio, b.inputs, p.timeline.totalFrames / p.fps);
  parts.push(...audio.filters);
  const args = b.args;
  args.push(...audio.inputs);
  args.push('-filter_complex', parts.join(';\n'));
  args.push('-map', '[vout]', '-map', `[${audio.label}]`, ...p.encoder.args, ...p.audioArgs,
    '-frames:v', String(p.timeline.totalFrames), '-movflags', '+faststart',
    // keyframes where the contact sheet looks, so each of its seeks decodes a single frame
    ...(p.keyframes.length ? ['-force_key_frames', p.keyframes.map((f) => (f / p.fps).toFixed(3)).join(',')] : []),
    p.output);
  return args;
}
