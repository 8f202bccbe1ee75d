/**
 * captions.transcribe: word-timed text for a recording with no script, from a transcription
 * provider, in the `words` shape tts.speak and captions.align return, so video.render takes it.
 */
import { existsSync } from 'node:fs';
import { definePlugin, mpv2Error } from 'mpv2/plugin';
import type { FromSchema, JSONSchema } from 'mpv2/plugin';
import type { CaptionsConfig } from './config.js';
import { createTranscriber, type ProviderId, type Transcript } from './transcriber.js';

const input = {
  type: 'object',
  required: ['audio'],
  additionalProperties: false,
  properties: {
    audio: { type: 'string', format: 'path', description: 'The recording: an audio (or video) file the provider reads (mp3, mp4, m4a, wav, webm …; for `local`, anything ffmpeg reads).' },
    language: { type: 'string', pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$', description: 'Language spoken (BCP 47 such as `en`, `pt-BR`); the step\'s or pipeline\'s `language:` when not set, else the provider detects it.' },
    provider: { enum: ['openai', 'local'], description: 'Who transcribes; `captions.transcription.provider` when not set.' },
  },
} as const satisfies JSONSchema;

const output = {
  type: 'object',
  required: ['text', 'words', 'language', 'provider'],
  additionalProperties: false,
  properties: {
    text: { type: 'string', description: 'What was said.' },
    words: {
      type: 'array',
      description: 'Every word with its start and end in the recording, in seconds, in order, never overlapping.',
      items: {
        type: 'object',
        required: ['text', 'start', 'end'],
        additionalProperties: false,
        properties: {
          text: { type: 'string', description: 'The word as the provider wrote it.' },
          start: { type: 'number', description: 'Seconds from the start of the audio.' },
          end: { type: 'number', description: 'Seconds from the start of the audio.' },
        },
      },
    },
    language: { type: 'string', description: 'The language given, or the one the provider heard (as it names it).' },
    provider: { enum: ['openai', 'local'], description: 'Who transcribed.' },
    warning: { type: 'string', description: 'Why the word times are estimates, when they are.' },
  },
} as const satisfies JSONSchema;

type Input = FromSchema<typeof input>;
type Output = Transcript & { provider: ProviderId };

export default definePlugin<Input, Output>({
  id: 'captions.transcribe',
  version: '1.0.0',
  description: 'Word-timed text for a recording with no script, from an OpenAI-compatible /v1/audio/transcriptions or whisper.cpp on this machine',
  secrets: ['OPENAI_API_KEY'],
  input,
  output,
  async run(ctx, i) {
    const audio = ctx.resolvePath(i.audio);
    if (!existsSync(audio)) throw mpv2Error('E_FILE', `the audio file ${i.audio} does not exist (${audio})`, { hint: 'give the path of the recording, relative to the pipeline' });
    const cfg = (ctx.config as CaptionsConfig).transcription;
    const provider = i.provider ?? cfg.provider;
    // providers take ISO 639-1: the region of a BCP 47 tag changes nothing they hear
    const language = (i.language ?? ctx.language)?.split('-')[0]!.toLowerCase();
    const t = await createTranscriber(provider, cfg, ctx).transcribe({ audio, language, signal: ctx.signal });
    if (t.warning) ctx.log.warn(`captions: ${t.warning}`);
    ctx.log.info(`captions: transcribed ${t.words.length} words (${provider})`);
    return { ...t, provider };
  },
});
