import { describe, expect, it } from 'vitest';
import { parseSilences } from '../../../plugins/tts/audio.js';
import { createTestContext } from 'mpv2/testing';
import type { TtsConfig } from '../../../plugins/tts/config.js';
import { namespace } from '../../../plugins/tts/index.js';
import speak from '../../../plugins/tts/speak.js';
import { edgeSsml, edgeVoiceName, escapeXml, marksFromBoundaries } from '../../../plugins/tts/edge.js';
import { secMsGec } from '../../../plugins/tts/edge-protocol.js';
import { marksFromAlignment } from '../../../plugins/tts/elevenlabs.js';
import { parseEbur128 } from '../../../plugins/tts/loudness.js';
import { speechUrl } from '../../../plugins/tts/openai.js';
import { decodeWav, encodeWav, fadeEdges, padTail, pcmSeconds } from '../../../plugins/tts/wav.js';

describe('wav', () => {
  it('round-trips, fades the edges and pads the tail', () => {
    const data = Buffer.alloc(4800 * 2);
    for (let i = 0; i < 4800; i++) data.writeInt16LE(10000, i * 2);
    const pcm = decodeWav(encodeWav({ data, sampleRate: 48000, channels: 1 }));
    expect(pcmSeconds(pcm)).toBeCloseTo(0.1, 6);
    fadeEdges(pcm, 5);
    expect(pcm.data.readInt16LE(0)).toBe(0);
    expect(pcm.data.readInt16LE((4800 - 1) * 2)).toBe(0);
    expect(pcm.data.readInt16LE(2400 * 2)).toBe(10000);
    expect(pcmSeconds(padTail(pcm, 0.1, 0.3))).toBeCloseTo(0.3, 6);
    expect(padTail(pcm, 0.4, 0.3)).toBe(pcm);
  });
  it('accepts streamed WAVs (data size 0xFFFFFFFF) and refuses other files', () => {
    const w = encodeWav({ data: Buffer.alloc(200), sampleRate: 24000, channels: 1 });
    w.writeUInt32LE(0xffffffff, 40);
    expect(decodeWav(w).data.length).toBe(200);
    expect(() => decodeWav(Buffer.from('ID3 not a wav file at all'))).toThrow(/not a WAV/);
  });
});

describe('ffmpeg reports', () => {
  it('parses silencedetect, closing an open silence at the end', () => {
    const err = '[silencedetect @ 0x1] silence_start: 0\n[silencedetect @ 0x1] silence_end: 0.12 | silence_duration: 0.12\n[silencedetect @ 0x1] silence_start: 1.5\n';
    expect(parseSilences(err, 2)).toEqual([{ start: 0, end: 0.12 }, { start: 1.5, end: 2 }]);
  });
  it('parses the ebur128 summary', () => {
    const err = 'I: -30 LUFS (frame)\n[Parsed_ebur128_0 @ 0x1] Summary:\n\n  Integrated loudness:\n    I:         -14.2 LUFS\n    Threshold: -24.3 LUFS\n\n  Sample peak:\n    Peak:       -2.0 dBFS\n';
    expect(parseEbur128(err)).toEqual({ integrated: -14.2, peak: -2 });
  });
});

describe('providers', () => {
  it('edge: voice names, SSML escaping, rate and boundaries', () => {
    expect(edgeVoiceName('en-US-AriaNeural')).toEqual({ name: 'Microsoft Server Speech Text to Speech Voice (en-US, AriaNeural)', lang: 'en-US' });
    expect(edgeVoiceName('zh-CN-liaoning-XiaobeiNeural')?.name).toBe('Microsoft Server Speech Text to Speech Voice (zh-CN-liaoning, XiaobeiNeural)');
    expect(edgeVoiceName('Aria')).toBeUndefined();
    expect(escapeXml(`a<b>&"c'\u000b`)).toBe('a&lt;b&gt;&amp;&quot;c&apos; ');
    expect(edgeSsml('hi', 'en-US-AriaNeural', 0.8)).toContain("rate='-20%'");
    expect(marksFromBoundaries('Hello, big world!', [{ text: 'Hello', start: 0.1, duration: 0.3 }, { text: 'world', start: 0.9, duration: 0.4 }]))
      .toEqual([{ index: 0, start: 0.1, end: 0.4 }, { index: 11, start: 0.9, end: 1.3 }]);
  });
  it('edge: Sec-MS-GEC matches the reference algorithm', () => {
    expect(secMsGec(1_700_000_000_000)).toBe('42301B335578FEFDAE2637DED1ABD614505D432559EC08032B82048483726AFF');
  });
  it('elevenlabs: character alignment to marks, code points or not', () => {
    const a = { characters: ['a', ' ', '😀'], character_start_times_seconds: [0, 0.2, 0.3], character_end_times_seconds: [0.2, 0.3, 0.6] };
    expect(marksFromAlignment('a 😀', a)).toEqual([{ index: 0, start: 0, end: 0.2 }, { index: 2, start: 0.3, end: 0.6 }]);
    expect(marksFromAlignment('different', a)).toBeUndefined();
  });
  it('openai: speech URL with or without /v1', () => {
    expect(speechUrl('https://api.openai.com')).toBe('https://api.openai.com/v1/audio/speech');
    expect(speechUrl('http://localhost:1234/v1/')).toBe('http://localhost:1234/v1/audio/speech');
  });
  it('config: the section as a run holds it, defaults filled; a wrong value is refused', async () => {
    const t = createTestContext({ plugin: speak, namespace, config: { espeak: { engine: 'wasm' }, openai: { apiKey: 'k' } } });
    try {
      const c = t.context().config as TtsConfig;
      expect(c.provider).toBe('espeak-ng');
      expect(c.espeak).toEqual({ engine: 'wasm', voice: 'en-us', voices: {}, libPath: 'libespeak-ng.so.1' });
      expect(c.openai).toMatchObject({ apiKey: 'k', voice: 'alloy', baseUrl: 'https://api.openai.com' });
    } finally { await t.close(); }
    expect(() => createTestContext({ plugin: speak, namespace, config: { provider: 'nope' } })).toThrow(expect.objectContaining({ code: 'E_CONFIG_INVALID' }));
  });
});
