/**
 * One chunk, synthesized and made ready to join: 48 kHz mono WAV in the step folder, edges
 * faded, a sentence pause at the end, word times relative to the chunk. Cached per
 * provider + variant + voice + rate + text; a cached chunk whose file is gone is redone.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashValue } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import { convertChunk, parseSilences } from './audio.js';
import type { TtsProvider } from './provider.js';
import type { Chunk } from './text.js';
import { estimateWords, speechBounds, wordsFromMarks, type Word } from './timing.js';
import { decodeWav, encodeWav, fadeEdges, padTail, pcmSeconds } from './wav.js';

export interface ChunkAudio {
  /** Absolute path of the chunk's 48 kHz mono WAV. */
  path: string;
  seconds: number;
  /** Word times relative to the chunk start. */
  words: Word[];
  timing: 'exact' | 'estimated';
}

/** Pause every chunk ends with at least (seconds), so joined sentences do not run together. */
const MIN_TAIL = 0.3;

/** Bumped when the chunk format changes, so old cache entries are not reused. */
const FORMAT = 2;

export function chunkKey(provider: TtsProvider, voice: string, rate: number, text: string): Record<string, unknown> {
  return { kind: 'tts.chunk', format: FORMAT, provider: provider.id, variant: provider.variant, voice, rate, text };
}

async function synthesizeChunk(ctx: StepContext, ffmpeg: string, provider: TtsProvider, chunk: Chunk, voice: string, rate: number, name: string): Promise<ChunkAudio> {
  const dir = join(ctx.workdir, 'chunks');
  await mkdir(dir, { recursive: true });
  const out = await provider.synthesize({ text: chunk.text, voice, rate, signal: ctx.signal });
  const src = join(dir, `${name}.${randomUUID().slice(0, 8)}.src.${out.ext}`);
  const path = join(dir, `${name}.wav`);
  await writeFile(src, out.audio);
  const report = await convertChunk(ffmpeg, src, path, ctx.signal);
  await rm(src, { force: true });
  let pcm = decodeWav(await readFile(path), `chunk ${name}`);
  const seconds = pcmSeconds(pcm);
  const closed = parseSilences(report, seconds).map((s) => (s.end > seconds ? { ...s, end: seconds } : s));
  const words = out.marks?.length
    ? wordsFromMarks(chunk.words, out.marks, seconds, closed)
    : estimateWords(chunk.words, seconds, closed);
  const bounds = speechBounds(seconds, closed);
  pcm = padTail(pcm, seconds - bounds.end, MIN_TAIL);
  fadeEdges(pcm, 5);
  await writeFile(path, encodeWav(pcm));
  return { path, seconds: pcmSeconds(pcm), words, timing: out.marks?.length ? 'exact' : 'estimated' };
}

export async function renderChunk(ctx: StepContext, ffmpeg: string, provider: TtsProvider, chunk: Chunk, voice: string, rate: number): Promise<ChunkAudio & { cached: boolean }> {
  const key = chunkKey(provider, voice, rate, chunk.text);
  const name = hashValue(key).slice(0, 24);
  let fresh = false;
  const hit = await ctx.cache.wrap(key, undefined, async () => {
    fresh = true;
    return synthesizeChunk(ctx, ffmpeg, provider, chunk, voice, rate, name);
  });
  if (existsSync(hit.path)) return { ...hit, cached: !fresh };
  ctx.log.debug('tts: cached chunk file is gone, synthesizing again', { path: hit.path });
  return { ...(await synthesizeChunk(ctx, ffmpeg, provider, chunk, voice, rate, name)), cached: false };
}
