/** tts.speak with real espeak-ng, both engines: audio, words, loudness, cache, bad input, 50k chars. */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import speak, { type SpeakInput } from '../../../plugins/tts/speak.js';
import { tokenize } from '../../../plugins/tts/text.js';
import { makeTestContext } from '../../helpers/context.js';
import { namespace } from '../../../plugins/tts/index.js';
import { expectWellFormed, loudness, probe } from './helpers.js';

const paragraph = readFileSync(new URL('../../fixtures/tts/paragraph.txt', import.meta.url), 'utf8');
const short = 'The quick brown fox jumps over the lazy dog. Then it rests, quietly, in the warm afternoon sun.';
const input = (over: Partial<SpeakInput>): SpeakInput => ({ text: short, rate: 1, format: 'm4a', loudness: -14, ...over });

describe.each(['lib', 'wasm'] as const)('tts.speak espeak-ng (%s)', (engine) => {
  it('writes 48 kHz audio at -14 LUFS with one timed word per word', async () => {
    const ctx = makeTestContext({ namespace });
    const out = await speak.run(ctx, input({ engine }));
    expect(out.engine).toBe(engine);
    // the wasm engine reports no word times: the audio is aligned against the text (captions)
    expect(out.timing).toBe(engine === 'lib' ? 'exact' : 'aligned');
    expect(ctx.logs.some((l) => l.message.includes(`${engine} engine`))).toBe(true);
    expect(out.audio.startsWith(ctx.workdir)).toBe(true);
    const p = await probe(out.audio);
    expect(p).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 1 });
    expect(Math.abs(p.duration - out.durationSec)).toBeLessThan(0.05);
    expect(out.durationSec).toBeGreaterThan(4);
    expect(out.words.map((w) => w.text)).toEqual(short.split(' '));
    expectWellFormed(out.words, out.durationSec);
    // the first word starts at the beginning, the last ends before the final pause
    expect(out.words[0]!.start).toBeLessThan(0.15);
    expect(out.words.at(-1)!.end).toBeGreaterThan(out.durationSec - 1);
    const lufs = loudness(out.audio);
    console.log(`tts.speak ${engine}: ${out.durationSec} s of audio at ${lufs} LUFS`);
    expect(lufs).toBeGreaterThan(-15.5);
    expect(lufs).toBeLessThan(-12.5);
  });

  it('caches chunks: the same text again synthesizes nothing; missing chunk files are redone', async () => {
    const ctx = makeTestContext({ namespace });
    const first = await speak.run(ctx, input({ engine, text: paragraph, format: 'wav' }));
    const misses = ctx.cacheMisses;
    // one per chunk, and for wasm (no word times) the alignment of the narration
    expect(misses).toBe(first.chunks! + (engine === 'wasm' ? 1 : 0));
    const second = await speak.run(ctx, input({ engine, text: paragraph, format: 'wav' }));
    expect(ctx.cacheMisses).toBe(misses);
    expect(second.words).toEqual(first.words);
    rmSync(join(ctx.workdir, 'chunks'), { recursive: true });
    const third = await speak.run(ctx, input({ engine, text: paragraph, format: 'wav' }));
    expect(existsSync(third.audio)).toBe(true);
    expect(readdirSync(join(ctx.workdir, 'chunks')).filter((f) => f.endsWith('.wav'))).toHaveLength(first.chunks!);
    // espeak-ng is not bit-exact from call to call: same words, times within a few tens of ms
    expect(third.words.map((w) => w.text)).toEqual(first.words.map((w) => w.text));
    third.words.forEach((w, i) => expect(Math.abs(w.start - first.words[i]!.start)).toBeLessThan(0.3));
    expect((await probe(third.audio)).codec).toBe('pcm_s16le');
  });
});

describe('tts.speak espeak-ng input handling', () => {
  it('refuses empty text with E_INPUT_INVALID', async () => {
    const ctx = makeTestContext({ namespace });
    await expect(speak.run(ctx, input({ text: '' }))).rejects.toMatchObject({ code: 'E_INPUT_INVALID', message: expect.stringMatching(/text/) });
    await expect(speak.run(ctx, input({ text: '  \n\t ' }))).rejects.toMatchObject({ code: 'E_INPUT_INVALID' });
  });

  it('refuses an unknown voice, saying how to list voices', async () => {
    const ctx = makeTestContext({ namespace });
    const err = await Promise.resolve(speak.run(ctx, input({ voice: 'xx-nowhere' }))).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_INPUT_INVALID', message: expect.stringContaining('xx-nowhere'), hint: expect.stringContaining('--voices') });
  });

  it('speaks emoji and right-to-left text, keeping each word as written', async () => {
    for (const [text, voice] of [['Hi 😀 there, state-of-the-art 3.5 km — ok! 🎉', 'en-us'], ['שלום עולם, מה שלומך? תודה רבה.', 'he'], ['مرحبا بالعالم. كيف حالك؟', 'ar']] as const) {
      for (const engine of ['lib', 'wasm'] as const) {
        const out = await speak.run(makeTestContext({ namespace }), input({ text, voice, engine }));
        expect(out.words.map((w) => w.text)).toEqual(tokenize(text).map((w) => w.text));
        expectWellFormed(out.words, out.durationSec);
      }
    }
  });

  it('picks the voice from `language` when no voice is given', async () => {
    const out = await speak.run(makeTestContext({ namespace }), input({ text: 'Bonjour tout le monde.', language: 'fr-FR', engine: 'lib' }));
    expect(out.voice).toBe('fr-fr');
  });

  it('chunks 50,000 characters and still times every word (lib engine)', async () => {
    const sentences = paragraph.split(/(?<=[.!?])\s+/);
    let text = '';
    for (let i = 0; text.length < 50_000; i++) text += `${sentences[i % sentences.length]} `;
    text = text.slice(0, 50_000);
    const ctx = makeTestContext({ namespace });
    const t0 = performance.now();
    const out = await speak.run(ctx, input({ text, engine: 'lib', format: 'wav' }));
    const ms = performance.now() - t0;
    console.log(ctx.logs.filter((l) => l.message.includes('loudness')).map((l) => l.message).join('\n'));
    console.log(`tts.speak 50,000 chars (lib): ${Math.round(ms)} ms, ${out.chunks} chunks, ${out.words.length} words, ${out.durationSec} s of audio`);
    expect(out.chunks).toBeGreaterThanOrEqual(25);
    expect(out.words).toHaveLength(tokenize(text).length);
    expectWellFormed(out.words, out.durationSec);
    const p = await probe(out.audio);
    expect(Math.abs(p.duration - out.durationSec)).toBeLessThan(0.1);
    expect(out.words.at(-1)!.end).toBeGreaterThan(out.durationSec - 2);
  }, 240_000);
});
