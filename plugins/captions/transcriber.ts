/**
 * What every transcription provider offers captions.transcribe: the words of a recording, with
 * their times. One interface, so the step and its outputs do not depend on who transcribes.
 */
import type { StepContext } from 'mpv2/plugin';
import type { CaptionsConfig } from './config.js';
import { createLocalTranscriber } from './transcribe-local.js';
import { createOpenAiTranscriber } from './transcribe-openai.js';

export interface TimedWord {
  text: string;
  /** Seconds from the start of the audio. */
  start: number;
  end: number;
}

export interface Transcript {
  text: string;
  words: TimedWord[];
  /** The language the provider heard (or was told). */
  language: string;
  /** Why the word times are less exact than usual, when they are. */
  warning?: string;
}

export interface TranscribeRequest {
  /** Absolute path of the recording. */
  audio: string;
  /** ISO 639-1 (`en`, `pt`), when the caller knows it. */
  language?: string;
  signal: AbortSignal;
}

export interface Transcriber {
  readonly id: ProviderId;
  transcribe(req: TranscribeRequest): Promise<Transcript>;
}

export type ProviderId = CaptionsConfig['transcription']['provider'];

export function createTranscriber(id: ProviderId, cfg: CaptionsConfig['transcription'], ctx: StepContext): Transcriber {
  switch (id) {
    case 'openai': return createOpenAiTranscriber(cfg, ctx);
    case 'local': return createLocalTranscriber(cfg, ctx);
  }
}
