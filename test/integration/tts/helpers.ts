/** Measuring what tts.speak wrote: duration (ffprobe) and integrated loudness (ebur128). */
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { ffprobe, findFfmpeg } from '../../../src/infra/ffmpeg.js';
import type { Word } from '../../../plugins/tts/timing.js';

export async function probe(file: string) {
  const info = await ffprobe(await findFfmpeg(), file);
  const a = info.streams.find((s) => s.codec_type === 'audio')!;
  return { duration: Number(info.format.duration), codec: a.codec_name, sampleRate: Number(a.sample_rate), channels: a.channels };
}

/** Integrated loudness (LUFS) from ffmpeg's ebur128 summary. */
export function loudness(file: string): number {
  // a test helper may block: it measures after the fact
  const r = spawnSync(process.env.FFMPEG_PATH || 'ffmpeg', ['-hide_banner', '-nostats', '-i', file, '-af', 'ebur128', '-f', 'null', '-'], { encoding: 'utf8' });
  const summary = r.stderr.slice(r.stderr.lastIndexOf('Summary:'));
  return Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]);
}

/** Words in order, each inside the audio, none overlapping the next. */
export function expectWellFormed(words: Word[], duration: number): void {
  let last = 0;
  for (const w of words) {
    expect(w.start).toBeGreaterThanOrEqual(last - 1e-6);
    expect(w.end).toBeGreaterThanOrEqual(w.start);
    expect(w.end).toBeLessThanOrEqual(duration + 0.01);
    last = w.start;
  }
  for (let i = 1; i < words.length; i++) expect(words[i]!.start).toBeGreaterThanOrEqual(words[i - 1]!.end - 1e-6);
}
