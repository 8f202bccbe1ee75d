/**
 * The offline provider: espeak-ng through Debian's library (exact word events) or the npm
 * WebAssembly build (no timings: sentence-by-sentence synthesis, estimated words).
 */
import { availableParallelism } from 'node:os';
import { mappedVoice, noVoiceFor } from './voices.js';
import { mpv2Error } from 'mpv2/plugin';
import type { StepLogger } from 'mpv2/plugin';
import type { EspeakEngine, TtsConfig } from './config.js';
import { loadEspeakLib, type EspeakLib, type EspeakVoice } from './espeak-lib.js';
import { wasmSynth, wasmVoices } from './espeak-wasm.js';
import type { Mark, TtsProvider } from './provider.js';
import { clampRate } from './provider.js';
import { codePointOffsets } from './text.js';
import { encodeWav } from './wav.js';

/** espeak-ng's normal speed, in words per minute. */
const BASE_WPM = 175;

export interface EspeakSelection {
  engine: 'lib' | 'wasm';
  lib?: EspeakLib;
  /** Why the library was not used, when `auto` fell back to wasm. */
  fallbackReason?: string;
}

/** Picks the engine: `lib` must load, `wasm` is always there, `auto` prefers lib. */
export async function selectEspeak(engine: EspeakEngine, libPath: string): Promise<EspeakSelection> {
  if (engine === 'wasm') return { engine: 'wasm' };
  try {
    return { engine: 'lib', lib: await loadEspeakLib(libPath) };
  } catch (e) {
    if (engine === 'lib') throw e;
    return { engine: 'wasm', fallbackReason: (e as Error).message };
  }
}

export async function espeakVoices(sel: EspeakSelection): Promise<EspeakVoice[]> {
  return sel.lib ? sel.lib.voices() : wasmVoices();
}

/** True when `voice` (optionally `name+variant`) names an espeak-ng voice or language. */
export function findVoice(voices: EspeakVoice[], voice: string): EspeakVoice | undefined {
  const base = voice.split('+')[0]!.trim().toLowerCase();
  return voices.find((v) => v.languages.some((l) => l.toLowerCase() === base)
    || v.identifier.toLowerCase() === base || v.identifier.toLowerCase().endsWith(`/${base}`)
    || v.name.toLowerCase() === base);
}

function unknownVoice(voices: EspeakVoice[], voice: string) {
  const head = voice.toLowerCase().slice(0, 2);
  const near = voices.flatMap((v) => v.languages).filter((l) => l.startsWith(head)).slice(0, 8);
  return mpv2Error('E_INPUT_INVALID', `espeak-ng has no voice "${voice}"${near.length ? ` (close: ${near.join(', ')})` : ''}`, {
    hint: `\`mpv2 doctor\` shows how many voices there are and \`espeak-ng --voices\` lists them (${voices.length} here); use a language code such as en-us, fr-fr, de, optionally with a variant (en-us+f3)`,
  });
}

export async function createEspeakProvider(cfg: TtsConfig, engine: EspeakEngine, log: StepLogger): Promise<TtsProvider> {
  const sel = await selectEspeak(engine, cfg.espeak.libPath);
  if (sel.fallbackReason) log.info(`espeak-ng: using the wasm engine (${sel.fallbackReason})`);
  else log.info(`espeak-ng: using the ${sel.engine} engine`);
  const lib = sel.lib;
  return {
    id: 'espeak-ng',
    engine: sel.engine,
    // the library is fast and exact: big chunks; the wasm CLI goes sentence by sentence
    maxChars: lib ? 2000 : 600,
    timed: Boolean(lib),
    variant: '',
    // synthesis itself is synchronous; parallel chunks overlap the ffmpeg conversions
    concurrency: Math.max(2, availableParallelism()),
    async resolveVoice(voice, language) {
      const voices = await espeakVoices(sel);
      const mapped = voice ?? mappedVoice(cfg.espeak.voices, language);
      if (!mapped && language) {
        // espeak-ng names its voices by language: the full tag (pt-br), else the language subtag (pt)
        const tag = language.toLowerCase();
        const found = [tag, tag.split(/[-_]/)[0]!].find((t) => findVoice(voices, t));
        if (!found) throw noVoiceFor('espeak-ng', 'espeak', language, 'a voice `espeak-ng --voices` lists');
        return found;
      }
      const want = mapped ?? cfg.espeak.voice;
      if (!findVoice(voices, want)) throw unknownVoice(voices, want);
      return want;
    },
    async synthesize({ text, voice, rate }) {
      const wpm = BASE_WPM * clampRate(rate, 0.5, 2.5);
      if (!lib) return { audio: await wasmSynth(text, voice, wpm), ext: 'wav' };
      const r = lib.synth(text, voice, wpm);
      const offsets = codePointOffsets(text);
      const marks: Mark[] = r.words.filter((w) => w.pos - 1 < offsets.length).map((w) => ({ index: offsets[w.pos - 1]!, start: w.ms / 1000 }));
      return { audio: encodeWav({ data: r.pcm, sampleRate: r.sampleRate, channels: 1 }), ext: 'wav', marks };
    },
  };
}
