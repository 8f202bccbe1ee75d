/**
 * tts.speak with a provider that reports no word times (an OpenAI-compatible loopback server)
 * aligns its audio through the captions service: against real speech whose word times are
 * known, the words land on the truth; against audio that is not the text (tones), the
 * estimate stays, with a warning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startErrors } from '../../../bench/align-cases.js';
import speak, { type SpeakInput } from '../../../plugins/tts/speak.js';
import { startOpenAiSpeechServer, type OpenAiSpeechServer } from '../../servers/tts-openai.js';
import { makeTestContext } from '../../helpers/context.js';
import { namespace } from '../../../plugins/tts/index.js';
import { narrate, wav } from './helpers.js';

// one sentence: the provider is asked sentence by sentence, so its audio is the whole narration
const sentence = 'The keeper climbed the steps to polish the lens, and he lit the lamp every night until the ships came home.';
const input = (over: Partial<SpeakInput> = {}): SpeakInput => ({ text: sentence, rate: 1, format: 'wav', loudness: -14, voice: 'nova', ...over });

describe('tts.speak aligns providers without word times', () => {
  let speech: OpenAiSpeechServer;
  let tones: OpenAiSpeechServer;
  let truth: Awaited<ReturnType<typeof narrate>>;
  beforeAll(async () => {
    truth = await narrate(sentence, 'en-us+f3', 1.15);
    speech = await startOpenAiSpeechServer('sk-test', { speak: () => ({ wav: wav(truth), words: truth.words }) });
    tones = await startOpenAiSpeechServer('sk-test');
  });
  afterAll(async () => { await speech.close(); await tones.close(); });
  const ctxFor = (server: OpenAiSpeechServer) => makeTestContext({ namespace, config: { provider: 'openai', openai: { baseUrl: server.baseUrl, model: 'tts-1' } }, secrets: { OPENAI_API_KEY: 'sk-test' } });

  it('returns aligned word times for real speech', async () => {
    const out = await speak.run(ctxFor(speech), input({ language: 'en' }));
    expect(out).toMatchObject({ provider: 'openai', timing: 'aligned', chunks: 1 });
    const e = startErrors(out.words, truth.words);
    expect(e.median).toBeLessThanOrEqual(120);
    expect(e.p95).toBeLessThanOrEqual(300);
  });

  it('keeps the estimate, with a warning, when the audio does not match the text', async () => {
    const ctx = ctxFor(tones);
    const out = await speak.run(ctx, input());
    expect(out.timing).toBe('estimated');
    expect(out.words.map((w) => w.text)).toEqual(sentence.split(' '));
    const warnings = ctx.logs.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings.some((m) => /does not match the text/.test(m))).toBe(true);
    expect(warnings.some((m) => /tts: word times are estimated/.test(m))).toBe(true);
  });
});
