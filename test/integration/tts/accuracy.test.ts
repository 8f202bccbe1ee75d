/**
 * How good is the estimate (proportional + silencedetect) against exact word events?
 * Same text, sentence by sentence: the library's espeakEVENT_WORD times are the truth.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFfmpeg } from '../../../src/infra/ffmpeg.js';
import { convertChunk, parseSilences } from '../../../plugins/tts/audio.js';
import { loadEspeakLib } from '../../../plugins/tts/espeak-lib.js';
import { wasmSynth } from '../../../plugins/tts/espeak-wasm.js';
import { codePointOffsets, splitSentences, tokenize } from '../../../plugins/tts/text.js';
import { estimateWords, wordsFromMarks, type Word } from '../../../plugins/tts/timing.js';
import { decodeWav, encodeWav, pcmSeconds } from '../../../plugins/tts/wav.js';

const text = readFileSync(new URL('../../fixtures/tts/paragraph.txt', import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'mpv2-tts-acc-'));
const ff = await findFfmpeg();

async function analyse(wav: Buffer, name: string) {
  const src = join(dir, `${name}.src.wav`);
  const out = join(dir, `${name}.wav`);
  writeFileSync(src, wav);
  const report = await convertChunk(ff.ffmpeg, src, out);
  const seconds = pcmSeconds(decodeWav(readFileSync(out)));
  return { seconds, silences: parseSilences(report, seconds) };
}

const mae = (a: Word[], b: Word[]) => a.reduce((s, w, i) => s + Math.abs(w.start - b[i]!.start), 0) / a.length;

describe('word timing estimate vs exact library events', () => {
  it('measures the mean absolute error of word starts', async () => {
    const lib = await loadEspeakLib();
    let n = 0;
    let errLib = 0;
    let errLibFlat = 0;
    let errWasm = 0;
    for (const [i, s] of splitSentences(text).entries()) {
      const words = tokenize(s.text);
      const r = lib.synth(s.text, 'en-us', 175);
      const offsets = codePointOffsets(s.text);
      const a = await analyse(encodeWav({ data: r.pcm, sampleRate: r.sampleRate, channels: 1 }), `lib${i}`);
      const exact = wordsFromMarks(words, r.words.map((w) => ({ index: offsets[w.pos - 1]!, start: w.ms / 1000 })), a.seconds, a.silences);
      const est = estimateWords(words, a.seconds, a.silences);
      // the same estimate without pauses inside the sentence: what silence detection adds
      const flat = estimateWords(words, a.seconds, a.silences.filter((x) => x.start < 0.02 || x.end > a.seconds - 0.02));
      const w = await analyse(await wasmSynth(s.text, 'en-us', 175), `wasm${i}`);
      const wasmEst = estimateWords(words, w.seconds, w.silences);
      expect(exact).toHaveLength(words.length);
      errLib += mae(est, exact) * words.length;
      errLibFlat += mae(flat, exact) * words.length;
      errWasm += mae(wasmEst, exact) * words.length;
      n += words.length;
    }
    const result = { words: n, estimateOnLibAudioMs: Math.round((errLib / n) * 1000), withoutSilenceMs: Math.round((errLibFlat / n) * 1000), wasmEstimateMs: Math.round((errWasm / n) * 1000) };
    console.log('tts timing accuracy (mean abs error of word starts)', result);
    expect(result.estimateOnLibAudioMs).toBeLessThan(150);
    expect(result.wasmEstimateMs).toBeLessThan(200);
    expect(result.estimateOnLibAudioMs).toBeLessThanOrEqual(result.withoutSilenceMs);
  });
});
