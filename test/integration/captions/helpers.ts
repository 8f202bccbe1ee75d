/** Truth-known narrations for the alignment tests: espeak-ng's library with its exact word events. */
import type { StepContext } from 'mpv2/plugin';
import type { CaseSpeech } from '../../../bench/align-cases.js';
import { configSection } from 'mpv2/testing';
import { ttsConfigSchema } from '../../../plugins/tts/config.js';
import { referenceSpeech } from '../../../plugins/tts/reference.js';
import { encodeWav } from '../../../plugins/tts/wav.js';

/** `text` spoken by espeak-ng `voice` at `rate`, with every word's true start and end. */
export async function narrate(text: string, voice: string, rate = 1): Promise<CaseSpeech> {
  // the reference service needs nothing of a step but the tts config, as the loader fills it
  const r = await referenceSpeech({ config: configSection(ttsConfigSchema, {}) } as unknown as StepContext, { text, voice, rate });
  return { pcm: r.pcm, sampleRate: r.sampleRate, words: r.words };
}

export const wav = (s: CaseSpeech): Buffer => encodeWav({ data: s.pcm, sampleRate: s.sampleRate, channels: 1 });

/** Voices the truth is spoken in: never the reference's own (the language's default voice). */
export const TRUTH_VOICE = { en: 'en-us+f3', es: 'es+f2', de: 'de+m3', fr: 'fr+f4' } as const;
