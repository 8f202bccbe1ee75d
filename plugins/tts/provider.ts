/**
 * What every TTS provider offers tts.speak: a voice check and one-chunk synthesis. Timings
 * come back as marks on the chunk text; tts.speak turns them into words.
 */
import type { Mpv2Error } from 'mpv2/plugin';
import { classifyHttpError } from 'mpv2/plugin';
import type { ProviderId } from './config.js';

export interface SynthRequest {
  text: string;
  voice: string;
  /** Speed multiplier, 1 = the voice's normal rate. */
  rate: number;
  signal: AbortSignal;
}

/** A timing the engine reported for the text starting at `index` (UTF-16 offset in the chunk). */
export interface Mark {
  index: number;
  /** Seconds from the start of the chunk audio. */
  start: number;
  end?: number;
}

export interface SynthOutput {
  /** The chunk's audio: a WAV, or any container ffmpeg reads (named by `ext`). */
  audio: Buffer;
  ext: string;
  /** Word timings, when the engine reports them. */
  marks?: Mark[];
}

export interface TtsProvider {
  readonly id: ProviderId;
  /** The engine actually used (`lib`, `wasm`, or the provider id), logged and returned. */
  readonly engine: string;
  /** Largest chunk, in characters. */
  readonly maxChars: number;
  /** True when the engine reports word timings; otherwise text is synthesized sentence by sentence. */
  readonly timed: boolean;
  /** What else changes the audio (model, format), part of the chunk cache key. */
  readonly variant: string;
  /** Chunks synthesized at the same time. */
  readonly concurrency: number;
  /** The voice to use: the given one checked, or the default for `language`. */
  resolveVoice(voice: string | undefined, language: string | undefined): Promise<string>;
  synthesize(req: SynthRequest): Promise<SynthOutput>;
}

/** Keeps the rate inside what a provider accepts. */
export function clampRate(rate: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, rate));
}

/** An HTTP failure as an Mpv2Error; 401/403 name the key to check. */
export function providerHttpError(e: unknown, what: string, keyHint: string): Mpv2Error {
  const err = classifyHttpError(e, what);
  if (err.code === 'E_AUTH') err.hint = `check ${keyHint}`;
  return err;
}
