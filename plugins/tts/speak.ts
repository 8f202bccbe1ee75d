/**
 * tts.speak: narrate text. Long text is chunked at sentence boundaries, chunks are
 * synthesized (bounded parallelism, each one cached), joined sample-exactly and
 * loudness-normalized for YouTube (-14 LUFS). Returns the audio and per-word timings.
 */
import { join } from 'node:path';
import pLimit from 'p-limit';
import { mpv2Error } from 'mpv2/plugin';
import { findFfmpeg } from 'mpv2/plugin';
import { definePlugin, type FromSchema, type JSONSchema } from 'mpv2/plugin';
import { alignEstimated } from './align-words.js';
import { SAMPLE_RATE } from './audio.js';
import { joinAndNormalize } from './loudness.js';
import { renderChunk, type ChunkAudio } from './chunk.js';
import { ENGINES, PROVIDERS, type TtsConfig } from './config.js';
import { createProvider } from './providers.js';
import { ttsServices } from './services.js';
import { chunkText } from './text.js';

const wordSchema = {
  type: 'object',
  required: ['text', 'start', 'end'],
  properties: {
    text: { type: 'string', description: 'The word as written in the input (punctuation attached).' },
    start: { type: 'number', description: 'Seconds from the start of the audio.' },
    end: { type: 'number', description: 'Seconds from the start of the audio.' },
  },
} as const satisfies JSONSchema;

export const speakInput = {
  type: 'object',
  required: ['text'],
  additionalProperties: false,
  properties: {
    text: { type: 'string', description: 'What to say. Long text is split at sentence boundaries; tens of thousands of characters are fine.' },
    provider: { enum: [...PROVIDERS], description: 'Speech provider; `tts.provider` of the config when not set (espeak-ng by default).' },
    voice: { type: 'string', description: 'Voice name of the provider (espeak-ng `en-us`, Edge `en-US-AriaNeural`, ElevenLabs voice id, OpenAI `alloy`); the provider default when not set.' },
    language: { type: 'string', description: 'Language (BCP 47, e.g. `en`, `fr-FR`) used to pick a voice when `voice` is not set.' },
    rate: { type: 'number', minimum: 0.25, maximum: 4, default: 1, description: 'Speaking speed, 1 = normal. Clamped to what the provider accepts.' },
    engine: { enum: [...ENGINES], description: 'espeak-ng only: `lib` (exact word times), `wasm` (runs anywhere), `auto`; `tts.espeak.engine` when not set.' },
    format: { enum: ['m4a', 'wav'], default: 'm4a', description: 'Audio file format: AAC in M4A, or 16-bit PCM WAV; 48 kHz mono either way.' },
    loudness: { type: 'number', minimum: -40, maximum: -5, default: -14, description: 'Integrated loudness target in LUFS (YouTube plays at -14).' },
  },
} as const satisfies JSONSchema;

export const speakOutput = {
  type: 'object',
  required: ['audio', 'durationSec', 'words'],
  properties: {
    audio: { type: 'string', format: 'path', description: 'Absolute path of the narration (in the step folder).' },
    durationSec: { type: 'number', description: 'Length of the audio in seconds.' },
    words: { type: 'array', items: wordSchema, description: 'Every word of the text with its start and end, in seconds.' },
    provider: { type: 'string', description: 'The provider used.' },
    engine: { type: 'string', description: 'The engine used: `lib` or `wasm` for espeak-ng, else the provider id.' },
    voice: { type: 'string', description: 'The voice used.' },
    timing: { enum: ['exact', 'aligned', 'estimated', 'mixed'], description: '`exact` when the engine reported word times, `aligned` when the audio was aligned against the text (captions.align), `estimated` when they were derived from sentence audio and silences.' },
    chunks: { type: 'integer', description: 'How many chunks the text was synthesized in.' },
    sampleRate: { type: 'integer', description: 'Sample rate of the audio (48000).' },
  },
} as const satisfies JSONSchema;

export type SpeakInput = FromSchema<typeof speakInput>;
export type SpeakOutput = FromSchema<typeof speakOutput>;

export default definePlugin<SpeakInput, SpeakOutput>({
  id: 'tts.speak',
  // the user's OpenAI key serves OpenAI speech too (ELEVENLABS_API_KEY is tts's own)
  secrets: ['OPENAI_API_KEY'],
  // engines without word times are aligned by captions (its `align` service); tts offers the reference narration
  uses: ['captions'],
  services: ttsServices,
  version: '1.1.0',
  description: 'Narrate text (espeak-ng offline, Edge, ElevenLabs or OpenAI-compatible); returns loudness-normalized audio and word timings',
  input: speakInput,
  output: speakOutput,
  async run(ctx, input) {
    const text = input.text;
    if (typeof text !== 'string' || !text.trim()) {
      throw mpv2Error('E_INPUT_INVALID', 'expected `text` to hold something to say, got an empty string', { hint: 'check the expression that feeds `with.text`' });
    }
    const cfg = ctx.config as TtsConfig;
    const providerId = input.provider ?? cfg.provider;
    const provider = await createProvider(providerId, cfg, ctx, input.engine ?? cfg.espeak.engine);
    const voice = await provider.resolveVoice(input.voice, input.language ?? ctx.language);
    const rate = input.rate;
    const chunks = chunkText(text, provider.maxChars, !provider.timed);
    if (!chunks.some((c) => c.words.length)) {
      throw mpv2Error('E_INPUT_INVALID', 'expected `text` to hold at least one word, got punctuation only');
    }
    ctx.log.info(`tts: ${chunks.length} chunk(s) with ${providerId}/${provider.engine}, voice ${voice}`);
    const ff = await findFfmpeg();
    const t0 = performance.now();
    const limit = pLimit(provider.concurrency);
    let done = 0;
    // a text that repeats itself repeats chunks: each distinct one is rendered once
    const jobs = new Map<string, Promise<ChunkAudio>>();
    const rendered = await Promise.all(chunks.map((c) => {
      let job = jobs.get(c.text);
      if (!job) {
        job = limit(async () => {
          if (ctx.signal.aborted) throw mpv2Error('E_ABORTED', 'tts.speak was aborted');
          const r = await renderChunk(ctx, ff.ffmpeg, provider, c, voice, rate);
          done++;
          ctx.progress({ fraction: (done / jobs.size) * 0.8, message: `synthesized ${done}/${jobs.size}` });
          return r;
        });
        jobs.set(c.text, job);
      }
      return job;
    }));
    const synthMs = Math.round(performance.now() - t0);
    const words: SpeakOutput['words'] = [];
    let offset = 0;
    for (const r of rendered) {
      for (const w of r.words) words.push({ text: w.text, start: round(offset + w.start), end: round(offset + w.end) });
      offset += r.seconds;
    }
    ctx.progress({ fraction: 0.85, message: 'normalizing loudness' });
    const format = input.format;
    const audio = join(ctx.workdir, `speech.${format}`);
    const level = await joinAndNormalize(ff.ffmpeg, rendered.map((r) => r.path), audio, { format, loudness: input.loudness, signal: ctx.signal, tmpBase: join(ctx.workdir, 'speech') });
    ctx.log.debug(`tts: synthesis ${synthMs} ms, join and loudness ${Math.round(performance.now() - t0) - synthMs} ms; ${level.integrated} LUFS, peak ${level.peak} dBFS after ${level.passes} pass(es)`);
    let kinds = new Set<SpeakOutput['timing']>(rendered.map((r) => r.timing));
    if (kinds.has('estimated')) {
      const estimated = rendered.flatMap((r) => r.words.map(() => r.timing === 'estimated'));
      const a = await alignEstimated(ctx, { audio, text, language: input.language ?? (providerId === 'espeak-ng' ? voice : undefined), words, estimated });
      words.splice(0, words.length, ...a.words.map((w) => ({ text: w.text, start: w.start, end: w.end })));
      if (a.aligned) kinds = new Set([...kinds].map((k) => (k === 'estimated' ? 'aligned' : k)));
    }
    ctx.progress({ fraction: 1, message: 'done' });
    return {
      audio,
      durationSec: round(offset),
      words,
      provider: providerId,
      engine: provider.engine,
      voice,
      timing: kinds.size > 1 ? 'mixed' : [...kinds][0]!,
      chunks: chunks.length,
      sampleRate: SAMPLE_RATE,
    };
  },
});

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
