/** tts.speak against loopback Edge (WebSocket), ElevenLabs and OpenAI-compatible servers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import speak, { type SpeakInput } from '../../../plugins/tts/speak.js';
import { tokenize } from '../../../plugins/tts/text.js';
import { startEdgeServer, type EdgeServer } from '../../servers/tts-edge.js';
import { startElevenLabsServer, type ElevenLabsServer } from '../../servers/tts-elevenlabs.js';
import { startOpenAiSpeechServer, type OpenAiSpeechServer } from '../../servers/tts-openai.js';
import { toneSpeech } from '../../servers/tts-audio.js';
import { makeTestContext } from '../../helpers/context.js';
import { namespace } from '../../../plugins/tts/index.js';
import { expectWellFormed, loudness, probe } from './helpers.js';

const text = 'Short videos need clear voices. This one has three sentences, and a comma! Does it work?';
const input = (over: Partial<SpeakInput> = {}): SpeakInput => ({ text, rate: 1, format: 'm4a', loudness: -14, ...over });
const fail = (p: unknown) => Promise.resolve(p).then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e);

/** The true word starts in the joined audio: chunk by chunk, each chunk's tones shifted by the chunks before. */
function truth(chunks: string[]): number[] {
  let offset = 0;
  const out: number[] = [];
  for (const c of chunks) {
    const a = toneSpeech(c);
    out.push(...a.words.map((w) => offset + w.start));
    offset += Math.round(a.seconds * 48_000) / 48_000;
  }
  return out;
}

describe('tts.speak openai', () => {
  let server: OpenAiSpeechServer;
  beforeAll(async () => { server = await startOpenAiSpeechServer('sk-test'); });
  afterAll(() => server.close());
  const config = () => ({ provider: 'openai', openai: { baseUrl: server.baseUrl, model: 'tts-1' } });

  it('speaks sentence by sentence and estimates words from the audio', async () => {
    const ctx = makeTestContext({ namespace, config: config(), secrets: { OPENAI_API_KEY: 'sk-test' } });
    const out = await speak.run(ctx, input({ voice: 'nova', rate: 1.25 }));
    expect(out).toMatchObject({ provider: 'openai', engine: 'openai', voice: 'nova', timing: 'estimated', chunks: 3 });
    expect(server.requests.map((r) => r.input).sort()).toEqual(['Does it work?', 'Short videos need clear voices.', 'This one has three sentences, and a comma!']);
    expect(server.requests[0]).toMatchObject({ model: 'tts-1', voice: 'nova', response_format: 'wav', speed: 1.25 });
    expect(out.words.map((w) => w.text)).toEqual(text.split(' '));
    expectWellFormed(out.words, out.durationSec);
    // tones with 150 ms gaps: silence detection finds every gap, so the estimate is near exact
    const want = truth(['Short videos need clear voices.', 'This one has three sentences, and a comma!', 'Does it work?']);
    out.words.forEach((w, i) => expect(Math.abs(w.start - want[i]!)).toBeLessThan(0.03));
    expect(Math.abs((await probe(out.audio)).duration - out.durationSec)).toBeLessThan(0.05);
    expect(Math.abs(loudness(out.audio) + 14)).toBeLessThan(1.5);
    // the same text again: every chunk comes from the cache
    const before = server.requests.length;
    const misses = ctx.cacheMisses;
    await speak.run(ctx, input({ voice: 'nova', rate: 1.25 }));
    expect(server.requests.length).toBe(before);
    expect(ctx.cacheMisses).toBe(misses);
  });

  it('says a retry can help on 429 (with Retry-After) and 500, and not on a bad key', async () => {
    const ctx = () => makeTestContext({ namespace, config: config(), secrets: { OPENAI_API_KEY: 'sk-test' } });
    server.failNext(429, 429, 429);
    expect(await fail(speak.run(ctx(), input()))).toMatchObject({ code: 'E_RATE_LIMITED', retryable: true, retryAfterMs: 3000, status: 429 });
    server.failNext(500);
    expect(await fail(speak.run(ctx(), input({ text: 'One more sentence.' })))).toMatchObject({ code: 'E_HTTP', retryable: true, status: 500 });
    const bad = makeTestContext({ namespace, config: config(), secrets: { OPENAI_API_KEY: 'sk-wrong' } });
    expect(await fail(speak.run(bad, input({ text: 'Auth test.' })))).toMatchObject({ code: 'E_AUTH', retryable: false, hint: expect.stringContaining('OPENAI_API_KEY') });
    expect(await fail(speak.run(ctx(), input({ text: 'Voice test.', voice: 'nobody' })))).toMatchObject({ code: 'E_HTTP', retryable: false, hint: expect.stringContaining('alloy') });
  });

  it('needs a key', async () => {
    const ctx = makeTestContext({ namespace, config: config() });
    expect(await fail(speak.run(ctx, input()))).toMatchObject({ code: 'E_MISSING_KEY', hint: expect.stringContaining('OPENAI_API_KEY') });
  });

  it('takes the key from the config when the environment has none', async () => {
    const ctx = makeTestContext({ namespace, config: { ...config(), openai: { baseUrl: `${server.baseUrl}/v1`, apiKey: 'sk-test' } } });
    const out = await speak.run(ctx, input({ text: 'Config key works.' }));
    expect(out.voice).toBe('alloy');
  });
});

describe('tts.speak elevenlabs', () => {
  let server: ElevenLabsServer;
  beforeAll(async () => { server = await startElevenLabsServer('el-test', ['voice1', 'voice2']); });
  afterAll(() => server.close());
  const config = () => ({ provider: 'elevenlabs', elevenlabs: { baseUrl: server.baseUrl, voice: 'voice1' } });

  it('derives word times from the character alignment', async () => {
    const rtl = 'Hello 😀 world. שלום עולם!';
    const ctx = makeTestContext({ namespace, config: config(), secrets: { ELEVENLABS_API_KEY: 'el-test' } });
    const out = await speak.run(ctx, input({ text: rtl }));
    expect(out).toMatchObject({ provider: 'elevenlabs', voice: 'voice1', timing: 'exact', chunks: 1 });
    expect(server.requests[0]).toMatchObject({ voice: 'voice1', outputFormat: 'mp3_44100_128', body: { text: rtl, model_id: 'eleven_multilingual_v2' } });
    expect(out.words.map((w) => w.text)).toEqual(tokenize(rtl).map((w) => w.text));
    expectWellFormed(out.words, out.durationSec);
    const want = server.answers[0]!;
    // exact times from the alignment (the MP3 decoder may shift audio by its padding, not the words)
    out.words.forEach((w, i) => {
      expect(w.start).toBeCloseTo(want[i]!.start, 2);
      expect(w.end).toBeCloseTo(want[i]!.end, 2);
    });
  });

  it('maps errors: unknown voice, 429, 500, bad key, no key', async () => {
    const ok = () => makeTestContext({ namespace, config: config(), secrets: { ELEVENLABS_API_KEY: 'el-test' } });
    expect(await fail(speak.run(ok(), input({ voice: 'ghost' })))).toMatchObject({ code: 'E_INPUT_INVALID', message: expect.stringContaining('ghost'), hint: expect.stringContaining('/v1/voices') });
    server.failNext(429);
    expect(await fail(speak.run(ok(), input({ text: 'Rate limited.' })))).toMatchObject({ code: 'E_RATE_LIMITED', retryable: true, retryAfterMs: 2000 });
    server.failNext(500);
    expect(await fail(speak.run(ok(), input({ text: 'Server error.' })))).toMatchObject({ code: 'E_HTTP', retryable: true, status: 500 });
    const bad = makeTestContext({ namespace, config: config(), secrets: { ELEVENLABS_API_KEY: 'nope' } });
    expect(await fail(speak.run(bad, input({ text: 'Bad key.' })))).toMatchObject({ code: 'E_AUTH', hint: expect.stringContaining('ELEVENLABS_API_KEY') });
    expect(await fail(speak.run(makeTestContext({ namespace, config: config() }), input()))).toMatchObject({ code: 'E_MISSING_KEY', hint: expect.stringContaining('ELEVENLABS_API_KEY') });
  });
});

describe('tts.speak edge', () => {
  let server: EdgeServer;
  beforeAll(async () => { server = await startEdgeServer(); });
  afterAll(() => server.close());
  const config = () => ({ provider: 'edge', edge: { baseUrl: server.baseUrl } });

  it('speaks the read-aloud protocol and uses its word boundaries', async () => {
    const said = 'Fish & chips <cheap>, "quoted" text. Second sentence here!';
    const out = await speak.run(makeTestContext({ namespace, config: config() }), input({ text: said, rate: 1.5 }));
    expect(out).toMatchObject({ provider: 'edge', voice: 'en-US-AriaNeural', timing: 'exact', chunks: 1 });
    const req = server.requests.at(-1)!;
    expect(req.query.TrustedClientToken).toBe('6A5AA1D4EAFF4E9FB37E23D68491D6F4');
    expect(req.query['Sec-MS-GEC']).toMatch(/^[0-9A-F]{64}$/);
    expect(req.config).toContain('"wordBoundaryEnabled":"true"');
    expect(req.config).toContain('audio-24khz-48kbitrate-mono-mp3');
    expect(req.voice).toBe('Microsoft Server Speech Text to Speech Voice (en-US, AriaNeural)');
    expect(req.rate).toBe('+50%');
    expect(req.ssml).toContain('Fish &amp; chips &lt;cheap&gt;');
    expect(req.text).toBe(said);
    expect(out.words.map((w) => w.text)).toEqual(said.split(' '));
    const want = server.answers.at(-1)!;
    out.words.forEach((w, i) => expect(w.start).toBeCloseTo(want[i]!.start, 3));
    expectWellFormed(out.words, out.durationSec);
  });

  it('picks a voice by language, refuses names that are not Edge voices', async () => {
    const out = await speak.run(makeTestContext({ namespace, config: config() }), input({ text: 'Bonjour à tous.', language: 'fr' }));
    expect(out.voice).toBe('fr-FR-DeniseNeural');
    expect(server.requests.at(-1)!.voice).toBe('Microsoft Server Speech Text to Speech Voice (fr-FR, DeniseNeural)');
    expect(await fail(speak.run(makeTestContext({ namespace, config: config() }), input({ voice: 'Aria' })))).toMatchObject({ code: 'E_INPUT_INVALID', hint: expect.stringContaining('voices/list') });
  });

  it('classifies refused connections: 429 and 5xx retryable, 403 auth', async () => {
    server.failNext(429);
    expect(await fail(speak.run(makeTestContext({ namespace, config: config() }), input({ text: 'Busy.' })))).toMatchObject({ code: 'E_RATE_LIMITED', retryable: true, status: 429 });
    server.failNext(503);
    expect(await fail(speak.run(makeTestContext({ namespace, config: config() }), input({ text: 'Down.' })))).toMatchObject({ code: 'E_HTTP', retryable: true, status: 503 });
    server.failNext(403);
    expect(await fail(speak.run(makeTestContext({ namespace, config: config() }), input({ text: 'Denied.' })))).toMatchObject({ code: 'E_AUTH', retryable: false });
  });
});
