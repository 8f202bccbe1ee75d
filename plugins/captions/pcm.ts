/** Audio in as 16 kHz mono float samples, decoded by ffmpeg into the step folder. */
import { randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findFfmpeg, runFfmpeg } from 'mpv2/plugin';
import { RATE } from './mfcc.js';

function floats(buf: Buffer): Float32Array {
  const out = new Float32Array(Math.floor(buf.length / 4));
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

/** Decodes any audio (or the audio of a video) ffmpeg reads to 16 kHz mono. */
export async function decodeFile(file: string, workdir: string, signal?: AbortSignal): Promise<Float32Array> {
  return floats(await decodeRaw(file, 'f32le', workdir, signal));
}

/** The same as 16-bit little-endian samples, half the memory of floats (whisper.cpp's binding takes these). */
export function decodeFileS16(file: string, workdir: string, signal?: AbortSignal): Promise<Buffer> {
  return decodeRaw(file, 's16le', workdir, signal);
}

async function decodeRaw(file: string, format: 'f32le' | 's16le', workdir: string, signal?: AbortSignal): Promise<Buffer> {
  const { ffmpeg } = await findFfmpeg();
  const out = join(workdir, `decoded-${randomUUID().slice(0, 8)}.${format}`);
  try {
    await runFfmpeg(ffmpeg, ['-i', file, '-vn', '-ac', '1', '-ar', String(RATE), '-f', format, out], { signal });
    return await readFile(out);
  } finally {
    await rm(out, { force: true });
  }
}

/** Resamples 16-bit mono PCM at `sampleRate` (the reference voice's) to 16 kHz mono. */
export async function decodePcm16(pcm: Buffer, sampleRate: number, workdir: string, signal?: AbortSignal): Promise<Float32Array> {
  const raw = join(workdir, `reference-${randomUUID().slice(0, 8)}.s16`);
  await writeFile(raw, pcm);
  try {
    const { ffmpeg } = await findFfmpeg();
    const out = `${raw}.f32`;
    try {
      await runFfmpeg(ffmpeg, ['-f', 's16le', '-ar', String(sampleRate), '-ac', '1', '-i', raw, '-ar', String(RATE), '-f', 'f32le', out], { signal });
      return floats(await readFile(out));
    } finally {
      await rm(out, { force: true });
    }
  } finally {
    await rm(raw, { force: true });
  }
}
