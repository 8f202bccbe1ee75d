/**
 * Any OpenAI-compatible transcription endpoint: POST {baseUrl}/v1/audio/transcriptions,
 * multipart, `verbose_json` with word (and segment) timestamps.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { classifyHttpError, mpv2Error } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import type { CaptionsConfig } from './config.js';
import type { Transcriber } from './transcriber.js';
import { answerWords, isVerboseAnswer } from './transcript-words.js';

export function transcriptionsUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return `${/\/v1$/.test(base) ? base : `${base}/v1`}/audio/transcriptions`;
}

export function createOpenAiTranscriber(cfg: CaptionsConfig['transcription'], ctx: StepContext): Transcriber {
  const key = ctx.secrets.OPENAI_API_KEY ?? cfg.apiKey;
  if (!key) {
    throw mpv2Error('E_MISSING_KEY', 'captions.transcribe (provider openai) needs an API key', { hint: 'set OPENAI_API_KEY (or `captions.transcription.apiKey` in the config)' });
  }
  const url = transcriptionsUrl(cfg.baseUrl);
  return {
    id: 'openai',
    async transcribe({ audio, language, signal }) {
      const form = new FormData();
      form.append('file', new Blob([await readFile(audio)]), basename(audio));
      form.append('model', cfg.model);
      form.append('response_format', 'verbose_json');
      // segments too: a server without word timestamps still gives them, and words are spread over them
      form.append('timestamp_granularities[]', 'word');
      form.append('timestamp_granularities[]', 'segment');
      if (language) form.append('language', language);
      let data: unknown;
      try {
        data = (await ctx.http.post<unknown>(url, form, { headers: { Authorization: `Bearer ${key}` }, signal })).data;
      } catch (e) {
        const err = classifyHttpError(e, 'OpenAI transcription');
        if (err.code === 'E_AUTH') err.hint = 'check OPENAI_API_KEY (or `captions.transcription.apiKey`)';
        else if (err.status === 400 || err.status === 404) err.hint = `check captions.transcription.model ("${cfg.model}") and baseUrl: the server must offer /v1/audio/transcriptions with verbose_json`;
        throw err;
      }
      if (!isVerboseAnswer(data)) {
        throw mpv2Error('E_HTTP', `OpenAI transcription ${url} answered without a verbose_json transcript`, { hint: 'the server must answer response_format=verbose_json ({ text, words | segments })' });
      }
      const timed = answerWords(data);
      if (!timed) {
        throw mpv2Error('E_HTTP', `OpenAI transcription ${url} answered text without word or segment timestamps`, { hint: `use a model that gives timestamps with verbose_json (captions.transcription.model is "${cfg.model}")` });
      }
      return { text: data.text.trim(), words: timed.words, language: language ?? data.language ?? 'unknown', ...(timed.warning && { warning: timed.warning }) };
    },
  };
}
