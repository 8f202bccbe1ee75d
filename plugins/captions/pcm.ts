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
  const { ffmpeg } = await findFfmpeg();
  const out = join(workdir, `align-${randomUUID().slice(0, 8)}.f32`);
  try {
    await runFfmpeg(ffmpeg, ['-i', file, '-vn', '-ac', '1', '-ar', String(RATE), '-f', 'f32le', out], { signal });
    return floats(await readFile(out));
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
