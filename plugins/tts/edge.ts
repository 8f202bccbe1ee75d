/**
 * Microsoft Edge online voices (no key): SSML over the read-aloud WebSocket, with word
 * boundaries mapped back onto the chunk text.
 */
import { mappedVoice, noVoiceFor } from './voices.js';
import { mpv2Error } from 'mpv2/plugin';
import type { TtsConfig } from './config.js';
import { edgeSynthesize, TRUSTED_CLIENT_TOKEN, type WordBoundary } from './edge-protocol.js';
import { clampRate, type Mark, type TtsProvider } from './provider.js';

/** A default voice per language, used when only `language` is given. */
const DEFAULT_VOICES: Record<string, string> = {
  ar: 'ar-SA-ZariyahNeural', de: 'de-DE-KatjaNeural', en: 'en-US-AriaNeural', es: 'es-ES-ElviraNeural',
  fr: 'fr-FR-DeniseNeural', he: 'he-IL-HilaNeural', hi: 'hi-IN-SwaraNeural', it: 'it-IT-ElsaNeural',
  ja: 'ja-JP-NanamiNeural', ko: 'ko-KR-SunHiNeural', nl: 'nl-NL-ColetteNeural', pl: 'pl-PL-ZofiaNeural',
  pt: 'pt-BR-FranciscaNeural', ru: 'ru-RU-SvetlanaNeural', tr: 'tr-TR-EmelNeural', zh: 'zh-CN-XiaoxiaoNeural',
};

const SHORT = /^([a-z]{2,3})-([A-Z]{2}|[A-Za-z]{4}-[A-Z]{2})-([A-Za-z]+(?:-[A-Za-z]+)?Neural)$/;
const LONG = /^Microsoft Server Speech Text to Speech Voice \(([a-z]{2,3}-[A-Za-z-]+), (\w+)\)$/;

/** `en-US-AriaNeural` → the long name Edge sends; undefined when the name has neither form. */
export function edgeVoiceName(voice: string): { name: string; lang: string } | undefined {
  const s = SHORT.exec(voice);
  if (s) {
    // zh-CN-liaoning-XiaobeiNeural: the part before the name's dash belongs to the region
    const dash = s[3]!.indexOf('-');
    const region = dash < 0 ? s[2]! : `${s[2]}-${s[3]!.slice(0, dash)}`;
    return { name: `Microsoft Server Speech Text to Speech Voice (${s[1]}-${region}, ${s[3]!.slice(dash + 1)})`, lang: `${s[1]}-${s[2]}` };
  }
  const l = LONG.exec(voice);
  return l ? { name: voice, lang: l[1]! } : undefined;
}

export function escapeXml(s: string): string {
  // control characters the service rejects become spaces (same length: offsets stay valid)
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ' ')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function edgeSsml(text: string, voice: string, rate: number): string {
  const v = edgeVoiceName(voice)!;
  const pct = Math.round((clampRate(rate, 0.5, 2) - 1) * 100);
  return `<speak version='1.0' xmlns='http://www.w3.org/2001/10/synthesis' xml:lang='${v.lang}'><voice name='${v.name}'>`
    + `<prosody pitch='+0Hz' rate='${pct >= 0 ? '+' : ''}${pct}%' volume='+0%'>${escapeXml(text)}</prosody></voice></speak>`;
}

/** Boundaries carry the spoken text only; find each one in the chunk text, in order. */
export function marksFromBoundaries(text: string, words: WordBoundary[]): Mark[] {
  const marks: Mark[] = [];
  let cursor = 0;
  for (const w of words) {
    if (!w.text) continue;
    const at = text.indexOf(w.text, cursor);
    if (at < 0) continue;
    marks.push({ index: at, start: w.start, end: w.start + w.duration });
    cursor = at + w.text.length;
  }
  return marks;
}

export function createEdgeProvider(cfg: TtsConfig): TtsProvider {
  const o = cfg.edge;
  const ext = /mp3/.test(o.outputFormat) ? 'mp3' : /webm/.test(o.outputFormat) ? 'webm' : /ogg/.test(o.outputFormat) ? 'ogg' : /riff/.test(o.outputFormat) ? 'wav' : 'mp3';
  return {
    id: 'edge',
    engine: 'edge',
    maxChars: 3000,
    timed: true,
    variant: o.outputFormat,
    concurrency: cfg.concurrency,
    async resolveVoice(voice, language) {
      const byLanguage = language ? mappedVoice(o.voices, language) ?? DEFAULT_VOICES[language.toLowerCase().split(/[-_]/)[0]!] : undefined;
      if (!voice && language && !byLanguage) throw noVoiceFor('edge', 'edge', language, `a ShortName such as ${language}-…Neural`);
      const want = voice ?? byLanguage ?? o.voice;
      if (!edgeVoiceName(want)) {
        const list = `${o.baseUrl.replace(/^ws/, 'http').replace(/\/+$/, '')}/voices/list?trustedclienttoken=${TRUSTED_CLIENT_TOKEN}`;
        throw mpv2Error('E_INPUT_INVALID', `"${want}" is not an Edge voice name (they look like en-US-AriaNeural)`, { hint: `the voices are listed at ${list} (ShortName)` });
      }
      return want;
    },
    async synthesize({ text, voice, rate, signal }) {
      const r = await edgeSynthesize({ baseUrl: o.baseUrl, ssml: edgeSsml(text, voice, rate), outputFormat: o.outputFormat, timeoutMs: o.timeoutMs, signal });
      return { audio: r.audio, ext, marks: marksFromBoundaries(text, r.words) };
    },
  };
}
