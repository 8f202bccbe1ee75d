/**
 * The tts namespace's `reference` service: text narrated by Debian's espeak-ng library with
 * its exact word events, for aligners (captions.align warps a recording onto it). Words are
 * tts.speak's words of the text, so an alignment returns the same words tts.speak would.
 */
import { mpv2Error } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import type { TtsConfig } from './config.js';
import { findVoice, selectEspeak } from './espeak.js';
import { clampRate } from './provider.js';
import { chunkText, codePointOffsets } from './text.js';
import { wordsFromMarks, type Word } from './timing.js';

export interface ReferenceRequest {
  text: string;
  /** A language code (`en`, `fr-FR`) or espeak-ng voice (`en-us+f3`); `tts.espeak.voice` when not set. */
  voice?: string;
  /** Speed, 1 = espeak-ng's 175 words a minute (clamped to 0.5–2.5). */
  rate?: number;
}

export interface ReferenceSpeech {
  /** 16-bit mono PCM. */
  pcm: Buffer;
  sampleRate: number;
  words: Word[];
  voice: string;
}

export async function referenceSpeech(ctx: StepContext, req: ReferenceRequest): Promise<ReferenceSpeech> {
  const cfg = ctx.config as TtsConfig;
  // only the library reports word events; without it there is no reference to align against
  const sel = await selectEspeak('lib', cfg.espeak.libPath);
  const lib = sel.lib!;
  const voice = req.voice?.toLowerCase() ?? cfg.espeak.voice;
  if (!findVoice(lib.voices(), voice)) throw mpv2Error('E_INPUT_INVALID', `espeak-ng has no voice for "${voice}" to narrate the reference`, { hint: 'give a language espeak-ng speaks (`espeak-ng --voices` lists them), e.g. en, fr, de, es, hi' });
  const wpm = 175 * clampRate(req.rate ?? 1, 0.5, 2.5);
  const pcm: Buffer[] = [];
  const words: Word[] = [];
  let offset = 0;
  for (const chunk of chunkText(req.text, 2000, false)) {
    const r = lib.synth(chunk.text, voice, wpm);
    const seconds = r.pcm.length / 2 / r.sampleRate;
    const offsets = codePointOffsets(chunk.text);
    const marks = r.words.filter((w) => w.pos - 1 < offsets.length).map((w) => ({ index: offsets[w.pos - 1]!, start: w.ms / 1000 }));
    for (const w of wordsFromMarks(chunk.words, marks, seconds, [])) words.push({ text: w.text, start: offset + w.start, end: offset + w.end });
    pcm.push(r.pcm);
    offset += seconds;
  }
  return { pcm: Buffer.concat(pcm), sampleRate: lib.sampleRate, words, voice };
}
