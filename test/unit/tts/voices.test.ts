/** A voice per language for each TTS provider: config maps, built-in rules, and a clear error naming the key. */
import { describe, expect, it } from 'vitest';
import { ttsConfigSchema, type TtsConfig } from '../../../plugins/tts/config.js';
import { configSection } from 'mpv2/testing';

const readTtsConfig = (section: Record<string, unknown>): TtsConfig => configSection(ttsConfigSchema, section) as TtsConfig;
import { createEdgeProvider } from '../../../plugins/tts/edge.js';
import { createEspeakProvider } from '../../../plugins/tts/espeak.js';
import { createOpenAiProvider } from '../../../plugins/tts/openai.js';
import { makeTestContext } from '../../helpers/context.js';

const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('tts voice per language', () => {
  it('espeak-ng: the language names the voice (full tag, then subtag), a config map wins, an unknown one names tts.espeak.voices', async () => {
    const cfg = readTtsConfig({ espeak: { voices: { hi: 'hi+f3' } } });
    const p = await createEspeakProvider(cfg, 'auto', log);
    expect(await p.resolveVoice(undefined, 'ar')).toBe('ar');
    expect(await p.resolveVoice(undefined, 'pt-BR')).toBe('pt-br');
    expect(await p.resolveVoice(undefined, 'hi')).toBe('hi+f3');
    expect(await p.resolveVoice('en-us', 'ja')).toBe('en-us');
    await expect(p.resolveVoice(undefined, 'ii')).rejects.toMatchObject({ code: 'E_INPUT_INVALID', message: expect.stringContaining('espeak-ng has no voice for language "ii"'), hint: expect.stringContaining('tts.espeak.voices') });
  });

  it('edge: built-in voices per language, the config map first, an unmapped language names tts.edge.voices', async () => {
    const p = createEdgeProvider(readTtsConfig({ edge: { voices: { ja: 'ja-JP-KeitaNeural' } } }));
    expect(await p.resolveVoice(undefined, 'ja')).toBe('ja-JP-KeitaNeural');
    expect(await p.resolveVoice(undefined, 'he')).toBe('he-IL-HilaNeural');
    expect(await p.resolveVoice(undefined, undefined)).toBe('en-US-AriaNeural');
    await expect(p.resolveVoice(undefined, 'ii')).rejects.toMatchObject({ message: expect.stringContaining('edge has no voice for language "ii"'), hint: expect.stringContaining('tts.edge.voices') });
  });

  it('openai: a multilingual model keeps its voice unless the config maps the language', async () => {
    const cfg = readTtsConfig({ openai: { apiKey: 'sk-test-voices-0000', voices: { ar: 'onyx' } } });
    const p = createOpenAiProvider(cfg, makeTestContext({ secrets: { OPENAI_API_KEY: 'sk-test-voices-0000' } }));
    expect(await p.resolveVoice(undefined, 'ar')).toBe('onyx');
    expect(await p.resolveVoice(undefined, 'ja')).toBe('alloy');
  });
});
