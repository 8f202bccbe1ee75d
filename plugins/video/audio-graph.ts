/**
 * The soundtrack: narration, an optional music bed looped to length, faded in and out, ducked
 * under the voice (sidechain compression) and mixed; silence when there is neither. Mixed and
 * encoded by its own ffmpeg while the visuals are being prepared, then stream-copied into the
 * video: in the render's single ffmpeg every filter and the AAC encoder share one main thread,
 * and the soundtrack cost that thread 11 % of the 60 s benchmark render's wall time (measured).
 */
import { runFfmpeg } from 'mpv2/plugin';
import { AUDIO_ARGS } from './encoder.js';

export interface AudioPlan {
  narration?: string;
  /** Seconds of silence before the narration (the brand's intro plays first). */
  narrationDelay?: number;
  /** Sounds of the brand's intro and outro clips: each plays from `start` for `duration` seconds, faded out over `fadeOut`. */
  clips?: Array<{ file: string; start: number; duration: number; fadeOut: number }>;
  /** `gainDb`: the loudness match (music-analysis.ts), applied before `volume`. */
  music?: { file: string; volume: number; gainDb?: number; duck: boolean; fadeIn: number; fadeOut: number };
}

const FMT = 'aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo';

/** `firstInput` is the index the first audio input will get (after the visuals). */
export function audioGraph(p: AudioPlan, firstInput: number, durationSec: number): { inputs: string[]; filters: string[]; label: string } {
  const inputs: string[] = [];
  const filters: string[] = [];
  const D = durationSec.toFixed(3);
  let idx = firstInput;
  let nar: string | undefined;
  if (p.narration) {
    inputs.push('-i', p.narration);
    const delay = p.narrationDelay ? `adelay=delays=${Math.round(p.narrationDelay * 1000)}:all=1,` : '';
    filters.push(`[${idx++}:a]${FMT},${delay}apad,atrim=0:${D},asetpts=N/SR/TB[nar]`);
    nar = 'nar';
  }
  // the intro's and outro's own sound: not a voice, so it does not duck the music; added to the mix
  const clips = (p.clips ?? []).map((c, j) => {
    inputs.push('-t', c.duration.toFixed(3), '-i', c.file);
    const fade = Math.min(c.fadeOut, c.duration);
    filters.push(`[${idx++}:a]${FMT},apad,atrim=0:${c.duration.toFixed(3)},afade=t=out:st=${(c.duration - fade).toFixed(3)}:d=${fade.toFixed(3)},adelay=delays=${Math.round(c.start * 1000)}:all=1,apad,atrim=0:${D},asetpts=N/SR/TB[clip${j}]`);
    return `clip${j}`;
  });
  if (!p.music) {
    if (nar && clips.length === 0) return { inputs, filters, label: nar };
    if (!nar && clips.length === 0) {
      filters.push(`anullsrc=r=48000:cl=stereo,atrim=0:${D}[aout]`);
      return { inputs, filters, label: 'aout' };
    }
    return sum(inputs, filters, [...(nar ? [nar] : []), ...clips]);
  }
  const m = p.music;
  inputs.push('-stream_loop', '-1', '-i', m.file);
  const fadeOut = Math.min(m.fadeOut, durationSec / 3);
  const fadeIn = Math.min(m.fadeIn, durationSec / 3);
  filters.push(`[${idx}:a]${FMT},atrim=0:${D},asetpts=N/SR/TB,${m.gainDb ? `volume=${m.gainDb.toFixed(2)}dB,` : ''}volume=${m.volume},afade=t=in:d=${fadeIn.toFixed(3)},afade=t=out:st=${(durationSec - fadeOut).toFixed(3)}:d=${fadeOut.toFixed(3)}[mus]`);
  if (!nar) return clips.length ? sum(inputs, filters, ['mus', ...clips]) : { inputs, filters, label: 'mus' };
  let bed = 'mus';
  if (m.duck) {
    filters.push(`[nar]asplit=2[nar1][key]`);
    // the voice is the key: about -16 dB on the music while someone speaks, back within ~0.4 s
    filters.push(`[mus][key]sidechaincompress=threshold=0.02:ratio=6:attack=20:release=400,${FMT}[duck]`);
    bed = 'duck';
    nar = 'nar1';
  }
  return sum(inputs, filters, [nar, bed, ...clips]);
}

/** The stereo streams added sample by sample: amerge + pan adds them exactly (amix would rescale them, differently across versions). */
function sum(inputs: string[], filters: string[], labels: string[]): { inputs: string[]; filters: string[]; label: string } {
  if (labels.length === 1) return { inputs, filters, label: labels[0]! };
  const left = labels.map((_, i) => `c${2 * i}`).join('+');
  const right = labels.map((_, i) => `c${2 * i + 1}`).join('+');
  filters.push(`${labels.map((l) => `[${l}]`).join('')}amerge=inputs=${labels.length},pan=stereo|c0=${left}|c1=${right}[aout]`);
  return { inputs, filters, label: 'aout' };
}

/** Mixes and encodes the soundtrack of `durationSec` to `out` (AAC in .m4a). */
export async function mixSoundtrack(ffmpeg: string, p: AudioPlan, durationSec: number, out: string, opts: { cwd: string; signal: AbortSignal }): Promise<void> {
  const g = audioGraph(p, 0, durationSec);
  await runFfmpeg(ffmpeg, [...g.inputs, '-filter_complex', g.filters.join(';'), '-map', `[${g.label}]`, ...AUDIO_ARGS, out], opts);
}
