/**
 * captions.align: word timings for a recording of a known text — the user's own voice-over,
 * or any narration — in the `words` shape tts.speak returns, so video.render takes either.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { definePlugin, mpv2Error } from 'mpv2/plugin';
import type { FromSchema, JSONSchema } from 'mpv2/plugin';
import { align, type AlignResult } from './service.js';

const input = {
  type: 'object',
  required: ['audio'],
  additionalProperties: false,
  properties: {
    audio: { type: 'string', format: 'path', description: 'The recording: any audio (or video) file ffmpeg reads, e.g. voiceover.m4a.' },
    text: { type: 'string', description: 'What is said in the recording. Give this or `textFile`.' },
    textFile: { type: 'string', format: 'path', description: 'A UTF-8 file holding what is said. Give this or `text`.' },
    language: { type: 'string', minLength: 1, description: 'Language of the text (BCP 47 such as `en`, `es`, `de-DE`, or an espeak-ng voice); `captions.language` when not set.' },
    minConfidence: { type: 'number', minimum: 0, maximum: 1, description: 'Below this the words are estimated instead, with a warning; `captions.minConfidence` (0.5) when not set.' },
  },
} as const satisfies JSONSchema;

const wordSchema = {
  type: 'object',
  required: ['text', 'start', 'end'],
  additionalProperties: false,
  properties: {
    text: { type: 'string', description: 'The word as written in the text (punctuation attached).' },
    start: { type: 'number', description: 'Seconds from the start of the audio.' },
    end: { type: 'number', description: 'Seconds from the start of the audio.' },
  },
} as const satisfies JSONSchema;

const output = {
  type: 'object',
  required: ['words', 'confidence', 'timing', 'durationSec', 'referenceVoice', 'quality'],
  additionalProperties: false,
  properties: {
    words: { type: 'array', items: wordSchema, description: 'Every word of the text with its start and end in the recording, in seconds.' },
    confidence: { type: 'number', minimum: 0, maximum: 1, description: 'How well the recording matched the text, 0–1.' },
    timing: { enum: ['aligned', 'estimated'], description: '`aligned`, or `estimated` when the confidence was under `minConfidence`.' },
    warning: { type: 'string', description: 'Why the words are estimated, when they are.' },
    durationSec: { type: 'number', description: 'Length of the recording in seconds.' },
    referenceVoice: { type: 'string', description: 'The espeak-ng voice the recording was aligned against.' },
    quality: {
      type: 'object',
      required: ['orderRatio', 'pauseAgreement', 'speedRatio'],
      additionalProperties: false,
      description: 'What the confidence is made of.',
      properties: {
        orderRatio: { type: 'number', description: 'Warp cost over that of the recording played backwards: ≤ 0.85 for a recording of the text, near 1 for unrelated speech.' },
        pauseAgreement: { type: 'number', description: 'Share of the reference\'s pauses found in the recording where the alignment put them.' },
        speedRatio: { type: 'number', description: 'Speech length of the recording over the reference narration\'s.' },
      },
    },
  },
} as const satisfies JSONSchema;

type Input = FromSchema<typeof input>;

export default definePlugin<Input, AlignResult>({
  id: 'captions.align',
  version: '1.0.0',
  description: 'Word timings for a recording of a known text (your voice-over, any narration), offline: aligned against an espeak-ng reference with MFCCs and DTW',
  // the reference narration is the tts namespace's (espeak-ng with exact word events)
  uses: ['tts'],
  input,
  output,
  services: { align },
  async run(ctx, i) {
    if ((i.text === undefined) === (i.textFile === undefined)) {
      throw mpv2Error('E_INPUT_INVALID', i.text === undefined ? 'captions.align needs the spoken text: give `text` or `textFile`' : 'captions.align takes `text` or `textFile`, not both', {
        hint: 'text: "what is said" — or textFile: script.txt',
      });
    }
    const audio = ctx.resolvePath(i.audio);
    if (!existsSync(audio)) throw mpv2Error('E_FILE', `the audio file ${i.audio} does not exist (${audio})`, { hint: 'give the path of the recording, relative to the pipeline' });
    const text = i.text ?? await readText(ctx.resolvePath(i.textFile!));
    return align(ctx, { audio, text, language: i.language, minConfidence: i.minConfidence });
  },
});

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw mpv2Error('E_FILE', `cannot read the text file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e, hint: 'give the path of a UTF-8 text file, relative to the pipeline' });
  }
}
