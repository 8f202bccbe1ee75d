/**
 * ElevenLabs: POST /v1/text-to-speech/{voice_id}/with-timestamps returns base64 audio and a
 * per-character alignment; word times come from the characters of each word.
 */
import { mappedVoice } from './voices.js';
import { mpv2Error } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import type { TtsConfig } from './config.js';
import { clampRate, providerHttpError, type Mark, type TtsProvider } from './provider.js';
import { encodeWav } from './wav.js';

export interface Alignment {
  characters: string[];
  character_start_times_seconds: number[];
  character_end_times_seconds: number[];
}

/**
 * One mark per character of `text`, when the alignment spells `text` exactly (characters
 * may be code points or UTF-16 units); otherwise undefined and words are estimated.
 */
export function marksFromAlignment(text: string, a: Alignment | undefined): Mark[] | undefined {
  if (!a?.characters?.length || a.characters.join('') !== text) return undefined;
  const marks: Mark[] = [];
  let index = 0;
  a.characters.forEach((ch, i) => {
    const start = a.character_start_times_seconds[i];
    const end = a.character_end_times_seconds[i];
    if (ch.trim() && typeof start === 'number' && typeof end === 'number') marks.push({ index, start, end });
    index += ch.length;
  });
  return marks;
}

export function createElevenLabsProvider(cfg: TtsConfig, ctx: StepContext): TtsProvider {
  const o = cfg.elevenlabs;
  const key = ctx.secrets.ELEVENLABS_API_KEY ?? o.apiKey;
  if (!key) {
    throw mpv2Error('E_MISSING_KEY', 'the elevenlabs TTS provider needs an API key', { hint: 'set ELEVENLABS_API_KEY (or `tts.elevenlabs.apiKey` in the config), or use provider: espeak-ng' });
  }
  const base = o.baseUrl.replace(/\/+$/, '');
  const pcmRate = /^pcm_(\d+)$/.exec(o.outputFormat)?.[1];
  return {
    id: 'elevenlabs',
    engine: 'elevenlabs',
    maxChars: 2500,
    timed: true,
    variant: `${o.model}/${o.outputFormat}`,
    concurrency: cfg.concurrency,
    // the model speaks the text's language with any of its voices: a language without a mapped voice keeps the default
    async resolveVoice(voice, language) {
      return voice ?? mappedVoice(o.voices, language) ?? o.voice;
    },
    async synthesize({ text, voice, rate, signal }) {
      const url = `${base}/v1/text-to-speech/${encodeURIComponent(voice)}/with-timestamps`;
      let body: { audio_base64?: string; alignment?: Alignment };
      try {
        const res = await ctx.http.post(url, { text, model_id: o.model, voice_settings: rate === 1 ? undefined : { speed: clampRate(rate, 0.7, 1.2) } }, {
          params: { output_format: o.outputFormat }, headers: { 'xi-api-key': key }, responseType: 'json', signal,
        });
        body = res.data as typeof body;
      } catch (e) {
        const err = providerHttpError(e, 'ElevenLabs speech', 'ELEVENLABS_API_KEY (or `tts.elevenlabs.apiKey`)');
        if (err.status === 404) {
          throw mpv2Error('E_INPUT_INVALID', `ElevenLabs has no voice "${voice}"`, { cause: err, status: 404, hint: 'GET /v1/voices (or the Voices page of elevenlabs.io) lists the voice ids of your account' });
        }
        throw err;
      }
      if (!body?.audio_base64) throw mpv2Error('E_HTTP', `ElevenLabs ${url} answered without audio_base64`, { retryable: true });
      const raw = Buffer.from(body.audio_base64, 'base64');
      const audio = pcmRate ? encodeWav({ data: raw.subarray(0, raw.length - (raw.length % 2)), sampleRate: Number(pcmRate), channels: 1 }) : raw;
      const marks = marksFromAlignment(text, body.alignment);
      if (!marks) ctx.log.warn('ElevenLabs alignment does not match the text; word times are estimated');
      return { audio, ext: pcmRate ? 'wav' : 'mp3', marks };
    },
  };
}
