/**
 * Any OpenAI-compatible speech endpoint: POST {baseUrl}/v1/audio/speech. No timings, so
 * text goes sentence by sentence and words are estimated from the audio.
 */
import { mappedVoice } from './voices.js';
import { mpv2Error } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import type { TtsConfig } from './config.js';
import { clampRate, providerHttpError, type TtsProvider } from './provider.js';
import { encodeWav } from './wav.js';

export function speechUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return `${/\/v1$/.test(base) ? base : `${base}/v1`}/audio/speech`;
}

export function createOpenAiProvider(cfg: TtsConfig, ctx: StepContext): TtsProvider {
  const o = cfg.openai;
  const key = ctx.secrets.OPENAI_API_KEY ?? o.apiKey;
  if (!key) {
    throw mpv2Error('E_MISSING_KEY', 'the openai TTS provider needs an API key', { hint: 'set OPENAI_API_KEY (or `tts.openai.apiKey` in the config), or use provider: espeak-ng' });
  }
  const url = speechUrl(o.baseUrl);
  return {
    id: 'openai',
    engine: 'openai',
    maxChars: 4000,
    timed: false,
    variant: `${o.model}/${o.responseFormat}`,
    concurrency: cfg.concurrency,
    // the model speaks the text's language with any of its voices: a language without a mapped voice keeps the default
    async resolveVoice(voice, language) {
      return voice ?? mappedVoice(o.voices, language) ?? o.voice;
    },
    async synthesize({ text, voice, rate, signal }) {
      let data: ArrayBuffer;
      try {
        const res = await ctx.http.post<ArrayBuffer>(url, {
          model: o.model, input: text, voice, response_format: o.responseFormat, speed: clampRate(rate, 0.25, 4),
        }, { headers: { Authorization: `Bearer ${key}` }, responseType: 'arraybuffer', signal });
        data = res.data;
      } catch (e) {
        const err = providerHttpError(e, 'OpenAI speech', 'OPENAI_API_KEY (or `tts.openai.apiKey`)');
        if (err.status === 400 && /voice/i.test(String(err.details?.answer ?? ''))) {
          err.hint = `the server did not accept voice "${voice}"; OpenAI voices: alloy, ash, ballad, coral, echo, fable, nova, onyx, sage, shimmer, verse`;
        }
        throw err;
      }
      const audio = Buffer.from(data);
      if (audio.length === 0) throw mpv2Error('E_HTTP', `OpenAI speech ${url} answered with no audio`, { retryable: true });
      if (o.responseFormat === 'pcm') return { audio: encodeWav({ data: audio.subarray(0, audio.length - (audio.length % 2)), sampleRate: 24_000, channels: 1 }), ext: 'wav' };
      return { audio, ext: o.responseFormat === 'opus' ? 'ogg' : o.responseFormat === 'aac' ? 'aac' : o.responseFormat };
    },
  };
}
