/**
 * Debian's libespeak-ng.so.1 called in-process through koffi: synchronous synthesis with
 * exact word events (espeakEVENT_WORD.audio_position, in ms). 3–12 ms a sentence here.
 * The library keeps global state, so there is one binding per process; calls are
 * synchronous and therefore never interleave.
 */
import { mpv2Error } from 'mpv2/plugin';

export interface EspeakVoice {
  name: string;
  identifier: string;
  languages: string[];
}

export interface LibWordEvent {
  /** 1-based code point index of the word in the synthesized text. */
  pos: number;
  /** Milliseconds from the start of the audio. */
  ms: number;
}

export interface EspeakLib {
  readonly sampleRate: number;
  readonly version: string;
  voices(): EspeakVoice[];
  /** Throws E_INPUT_INVALID for a voice the library does not know. */
  synth(text: string, voice: string, wpm: number): { pcm: Buffer; sampleRate: number; words: LibWordEvent[] };
}

const loaded = new Map<string, Promise<EspeakLib>>();

/** Loads (once per path) the library; rejects with E_DEPENDENCY_MISSING when it cannot. */
export function loadEspeakLib(path = 'libespeak-ng.so.1'): Promise<EspeakLib> {
  let p = loaded.get(path);
  if (!p) {
    p = bind(path);
    loaded.set(path, p);
  }
  return p;
}

async function bind(path: string): Promise<EspeakLib> {
  let koffi: (typeof import('koffi'))['default'];
  try {
    koffi = (await import('koffi')).default;
  } catch (e) {
    throw mpv2Error('E_DEPENDENCY_MISSING', `koffi could not be loaded: ${(e as Error).message}`, { cause: e, hint: 'reinstall dependencies (`npm install`), or use `engine: wasm`' });
  }
  let lib: ReturnType<typeof koffi.load>;
  try {
    lib = koffi.load(path);
  } catch (e) {
    throw mpv2Error('E_DEPENDENCY_MISSING', `${path} could not be loaded: ${(e as Error).message}`, {
      cause: e,
      hint: 'install it (Debian/Ubuntu: `apt-get install libespeak-ng1`), set `tts.espeak.libPath`, or use `engine: wasm`',
    });
  }
  const Event = koffi.struct('mpv2_espeak_EVENT', {
    type: 'int', unique_identifier: 'uint', text_position: 'int', length: 'int',
    audio_position: 'int', sample: 'int', user_data: 'void *', id: 'int64',
  });
  const Voice = koffi.struct('mpv2_espeak_VOICE', {
    name: 'const char *', languages: 'void *', identifier: 'const char *',
    gender: 'uint8_t', age: 'uint8_t', variant: 'uint8_t', xx1: 'uint8_t', score: 'int', spare: 'void *',
  });
  const SynthCb = koffi.proto('int mpv2_espeak_SynthCb(int16_t *wav, int numsamples, void *events)');
  const initialize = lib.func('int espeak_Initialize(int output, int buflength, const char *path, int options)');
  const info = lib.func('const char *espeak_Info(void *path_data)');
  const listVoices = lib.func('void *espeak_ListVoices(void *spec)');
  const setVoice = lib.func('int espeak_SetVoiceByName(const char *name)');
  const setParameter = lib.func('int espeak_SetParameter(int parameter, int value, int relative)');
  const setCallback = lib.func('void espeak_SetSynthCallback(mpv2_espeak_SynthCb *cb)');
  const synth = lib.func('int espeak_Synth(const char *text, size_t size, uint pos, int pos_type, uint end_pos, uint flags, void *uid, void *user_data)');
  const synchronize = lib.func('int espeak_Synchronize()');

  const sampleRate = initialize(2 /* AUDIO_OUTPUT_SYNCHRONOUS */, 0, null, 0) as number;
  if (sampleRate <= 0) throw mpv2Error('E_DEPENDENCY_MISSING', `${path} could not find its voice data (espeak_Initialize returned ${sampleRate})`, { hint: 'reinstall espeak-ng-data, or use `engine: wasm`' });
  const version = String(info(null) ?? 'unknown');

  let pcm: Buffer[] = [];
  let words: LibWordEvent[] = [];
  const cb = koffi.register((wav: unknown, n: number, events: unknown) => {
    if (wav && n > 0) {
      const s = koffi.decode(wav, 'int16_t', n) as Int16Array;
      pcm.push(Buffer.from(s.buffer, s.byteOffset, s.byteLength));
    }
    for (let i = 0; ; i++) {
      const e = koffi.decode(events, i * 40, Event) as { type: number; text_position: number; audio_position: number };
      if (e.type === 0) break; // espeakEVENT_LIST_TERMINATED
      if (e.type === 1 && e.text_position > 0) words.push({ pos: e.text_position, ms: e.audio_position });
    }
    return 0;
  }, koffi.pointer(SynthCb));
  setCallback(cb);

  let voiceCache: EspeakVoice[] | undefined;
  const voices = (): EspeakVoice[] => {
    if (voiceCache) return voiceCache;
    const out: EspeakVoice[] = [];
    const arr = listVoices(null);
    for (let i = 0; ; i++) {
      const vp = koffi.decode(arr, i * 8, 'void *');
      if (!vp) break;
      const v = koffi.decode(vp, Voice) as { name: string; identifier: string; languages: unknown };
      // `languages` is a list of (priority byte, NUL-terminated name), ended by a 0 byte
      const byte = (o: number) => koffi.decode(v.languages, o, 'uint8_t') as number;
      const langs: string[] = [];
      for (let off = 0; byte(off) !== 0;) {
        off++;
        const b: number[] = [];
        for (let c = byte(off); c !== 0; c = byte(++off)) b.push(c);
        off++;
        langs.push(Buffer.from(b).toString('utf8'));
      }
      out.push({ name: v.name, identifier: v.identifier, languages: langs });
    }
    return (voiceCache = out);
  };

  // SetVoiceByName knows voice files and names; a language code (fr-fr) goes through the list
  const resolveName = (voice: string): string => {
    const [base, variant] = voice.split('+');
    const b = base!.toLowerCase();
    const hit = voices().find((v) => v.identifier.toLowerCase() === b || v.identifier.toLowerCase().endsWith(`/${b}`) || v.name.toLowerCase() === b)
      ?? voices().find((v) => v.languages.some((l) => l.toLowerCase() === b));
    return hit ? `${hit.identifier}${variant ? `+${variant}` : ''}` : voice;
  };

  return {
    sampleRate,
    version,
    voices,
    synth(text, voice, wpm) {
      // note: espeak-ng is not bit-exact between calls (lengths vary by a few ms, pauses by up
      // to ~100 ms depending on earlier calls), which is one more reason chunks are cached
      const rc = setVoice(resolveName(voice)) as number;
      if (rc !== 0) throw mpv2Error('E_INPUT_INVALID', `espeak-ng has no voice "${voice}"`);
      setParameter(1 /* espeakRATE */, Math.round(wpm), 0);
      pcm = [];
      words = [];
      const buf = Buffer.from(`${text}\0`, 'utf8');
      // espeakCHARS_UTF8 | espeakENDPAUSE: a sentence pause at the end, so chunks join naturally
      const r = synth(buf, buf.length, 0, 1 /* POS_CHARACTER */, 0, 0x1 | 0x1000, null, null) as number;
      synchronize();
      if (r !== 0) throw mpv2Error('E_PLUGIN_FAILED', `espeak-ng synthesis failed (code ${r})`);
      const out = { pcm: Buffer.concat(pcm), sampleRate, words };
      pcm = [];
      words = [];
      return out;
    },
  };
}
