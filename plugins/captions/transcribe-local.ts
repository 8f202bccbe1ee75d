/**
 * Transcription on this machine: whisper.cpp (./whisper-binding.ts) with a ggml model file the
 * user provides (`captions.transcription.local.modelPath`; mpv2 never downloads one). The audio
 * is decoded by ffmpeg to 16 kHz mono 16-bit PCM (./pcm.ts), which the binding takes; whisper.cpp's
 * token timestamps with `max_len = 1` make every token its own timed segment, and the tokens
 * are joined into words (`pieceWords`).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMpv2Error, mpv2Error, pluginError } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import type { CaptionsConfig } from './config.js';
import { ModelFormatError, readWhisperModel, type WhisperModelInfo } from './ggml-model.js';
import { RATE } from './mfcc.js';
import { decodeFileS16 } from './pcm.js';
import type { Transcriber } from './transcriber.js';
import { pieceWords } from './transcript-words.js';
import { loadWhisperBinding, type WhisperJob, type WhisperResult } from './whisper-binding.js';
import { WHISPER_LANGUAGES } from './whisper-languages.js';

export const MODEL_HINT = 'download a whisper.cpp ggml model yourself (mpv2 never does), e.g. ggml-base.en.bin (English) or ggml-base.bin (multilingual) from https://huggingface.co/ggerganov/whisper.cpp, and set captions.transcription.local.modelPath to its path';

/** whisper.cpp writes this for audio with no speech; it is not a word of the recording. */
const BLANK = '[BLANK_AUDIO]';

export function createLocalTranscriber(cfg: CaptionsConfig['transcription'], ctx: StepContext): Transcriber {
  const { modelPath, threads } = cfg.local;
  if (!modelPath) {
    throw mpv2Error('E_CONFIG_INVALID', 'captions.transcribe (provider local) needs a whisper.cpp model, and captions.transcription.local.modelPath is not set', { hint: MODEL_HINT });
  }
  const model = resolve(ctx.root, modelPath);
  return {
    id: 'local',
    async transcribe({ audio, language, signal }) {
      const info = await checkModel(model, modelPath);
      const lang = whisperLanguage(language, info, modelPath);
      const whisper = loadWhisperBinding(ctx.root);
      const pcm = await decodeFileS16(audio, ctx.workdir, signal);
      let loadedModel;
      try {
        loadedModel = await whisper.open(model);
      } catch (e) {
        throw mpv2Error('E_CONFIG_INVALID', `captions.transcription.local.modelPath: whisper.cpp could not load ${model}: ${(e as Error).message}`, { cause: e, hint: `the file may be damaged or from a newer whisper.cpp; ${MODEL_HINT}` });
      }
      const stopLog = whisper.listen((level, text) => { if (level !== 'info') ctx.log.debug(`whisper.cpp ${level}: ${text.trim()}`); });
      let result: WhisperResult;
      try {
        const job = loadedModel.transcribeData(arrayBufferOf(pcm), {
          language: lang,
          tokenTimestamps: true,
          maxLen: 1,
          ...(threads && { maxThreads: threads }),
          // whisper.cpp's percentage can pass 100 (its windows are counted past the end)
          onProgress: (p) => ctx.progress({ fraction: Math.min(1, p / 100), message: 'transcribing (whisper.cpp)' }),
        });
        result = await untilDone(job, signal);
      } catch (e) {
        if (isMpv2Error(e) && e.code === 'E_ABORTED') throw e;
        throw pluginError('captions/WHISPER_FAILED', `whisper.cpp could not transcribe ${audio}: ${(e as Error).message}`, { cause: e, hint: 'run with --verbose to see whisper.cpp\'s own messages' });
      } finally {
        stopLog();
        await loadedModel.release();
      }
      const duration = pcm.length / 2 / RATE;
      const pieces = result.segments.map((s) => ({ text: s.text, start: Math.min(s.t0 / 1000, duration), end: Math.min(s.t1 / 1000, duration) }));
      const words = pieceWords(pieces, result.result).filter((w) => w.text !== BLANK);
      const text = result.result.replaceAll(BLANK, '').replace(/\s+/g, ' ').trim();
      // whisper.cpp names no language for audio too short to transcribe
      return { text, words, language: language ?? result.language ?? 'unknown' };
    },
  };
}

/** The model's header, or E_CONFIG_INVALID naming the setting, the path and what is wrong. */
async function checkModel(model: string, setting: string): Promise<WhisperModelInfo> {
  if (!existsSync(model)) {
    throw mpv2Error('E_CONFIG_INVALID', `captions.transcription.local.modelPath: the model file ${setting} does not exist (${model})`, { hint: MODEL_HINT });
  }
  try {
    return await readWhisperModel(model);
  } catch (e) {
    if (!(e instanceof ModelFormatError)) throw mpv2Error('E_FILE', `captions.transcription.local.modelPath: ${model} cannot be read: ${(e as Error).message}`, { cause: e });
    throw mpv2Error('E_CONFIG_INVALID', `captions.transcription.local.modelPath: ${model} is not a whisper.cpp model: ${e.message}`, { hint: MODEL_HINT });
  }
}

/**
 * The language to give whisper.cpp: the one asked (whisper.cpp must know it, and an English-only
 * model knows only English), else `auto` (detected from the first 30 s) — or `en` for an
 * English-only model, which cannot detect.
 */
function whisperLanguage(language: string | undefined, info: WhisperModelInfo, setting: string): string {
  if (!language) return info.multilingual ? 'auto' : 'en';
  const index = WHISPER_LANGUAGES.indexOf(language);
  if (index < 0) {
    throw mpv2Error('E_INPUT_INVALID', `whisper.cpp does not know the language "${language}"`, { hint: `give one of ${WHISPER_LANGUAGES.join(', ')}, or leave \`language\` out to have it detected` });
  }
  if (!info.multilingual && language !== 'en') {
    throw mpv2Error('E_INPUT_INVALID', `the model ${setting} is English-only, and the audio is said to be in "${language}"`, { hint: 'use a multilingual model (a ggml-*.bin without .en, e.g. ggml-base.bin) in captions.transcription.local.modelPath' });
  }
  if (index >= info.languages) {
    throw mpv2Error('E_INPUT_INVALID', `the model ${setting} knows ${info.languages} languages, and "${language}" is not one of them`, { hint: 'use a newer model (large-v3 knows yue), or leave `language` out' });
  }
  return language;
}

/** The job's result; on abort, E_ABORTED at once (the binding cannot interrupt whisper.cpp). */
function untilDone(job: WhisperJob, signal: AbortSignal): Promise<WhisperResult> {
  return new Promise((done, fail) => {
    const onAbort = () => {
      void job.stop();
      fail(mpv2Error('E_ABORTED', 'the local transcription was cancelled'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    job.promise.then(done, fail).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The bytes as an ArrayBuffer of their own (the binding reads the whole buffer), copied only when the Buffer is a view into a larger one. */
function arrayBufferOf(b: Buffer): ArrayBuffer {
  const whole = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;
  return (whole ? b.buffer : b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)) as ArrayBuffer;
}
