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
    filters.push(`[${idx++}:a]${FMT},apad,atrim=0:${D},asetpts=N/SR/TB[nar]`);
    nar = 'nar';
  }
  if (!p.music) {
    if (nar) return { inputs, filters, label: nar };
    filters.push(`anullsrc=r=48000:cl=stereo,atrim=0:${D}[aout]`);
    return { inputs, filters, label: 'aout' };
  }
  const m = p.music;
  inputs.push('-stream_loop', '-1', '-i', m.file);
  const fadeOut = Math.min(m.fadeOut, durationSec / 3);
  const fadeIn = Math.min(m.fadeIn, durationSec / 3);
  filters.push(`[${idx}:a]${FMT},atrim=0:${D},asetpts=N/SR/TB,${m.gainDb ? `volume=${m.gainDb.toFixed(2)}dB,` : ''}volume=${m.volume},afade=t=in:d=${fadeIn.toFixed(3)},afade=t=out:st=${(durationSec - fadeOut).toFixed(3)}:d=${fadeOut.toFixed(3)}[mus]`);
  if (!nar) return { inputs, filters, label: 'mus' };
  let bed = 'mus';
  if (m.duck) {
    filters.push(`[nar]asplit=2[nar1][key]`);
    // the voice is the key: about -16 dB on the music while someone speaks, back within ~0.4 s
    filters.push(`[mus][key]sidechaincompress=threshold=0.02:ratio=6:attack=20:release=400,${FMT}[duck]`);
    bed = 'duck';
    nar = 'nar1';
  }
  // amerge + pan adds the two exactly (amix would rescale them, differently across versions)
  filters.push(`[${nar}][${bed}]amerge=inputs=2,pan=stereo|c0=c0+c2|c1=c1+c3[aout]`);
  return { inputs, filters, label: 'aout' };
}

/** Mixes and encodes the soundtrack of `durationSec` to `out` (AAC in .m4a). */
export async function mixSoundtrack(ffmpeg: string, p: AudioPlan, durationSec: number, out: string, opts: { cwd: string; signal: AbortSignal }): Promise<void> {
  const g = audioGraph(p, 0, durationSec);
  await runFfmpeg(ffmpeg, [...g.inputs, '-filter_complex', g.filters.join(';'), '-map', `[${g.label}]`, ...AUDIO_ARGS, out], opts);
}
