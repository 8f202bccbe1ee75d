/**
 * Audio the fake TTS servers answer with: one tone per word, silent gaps between words, so
 * the true word times are known exactly. MP3 encoding goes through the local ffmpeg.
 */
import { spawnSync } from 'node:child_process';
import { encodeWav } from '../../plugins/tts/wav.js';

export interface ToneWord {
  text: string;
  start: number;
  end: number;
}

export interface ToneAudio {
  pcm: Buffer;
  sampleRate: number;
  words: ToneWord[];
  seconds: number;
}

/** Words split on whitespace; each one a tone of 0.12 s + 0.05 s a character, 0.15 s apart. */
export function toneSpeech(text: string, sampleRate = 24_000, lead = 0.1, gap = 0.15): ToneAudio {
  const tokens = text.split(/\s+/).filter(Boolean);
  const words: ToneWord[] = [];
  let t = lead;
  for (const w of tokens) {
    const d = 0.12 + 0.05 * [...w].length;
    words.push({ text: w, start: t, end: t + d });
    t += d + gap;
  }
  const seconds = t + 0.2;
  const pcm = Buffer.alloc(Math.round(seconds * sampleRate) * 2);
  for (const w of words) {
    const a = Math.round(w.start * sampleRate);
    const b = Math.round(w.end * sampleRate);
    for (let i = a; i < b; i++) pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 220 * i) / sampleRate)), i * 2);
  }
  return { pcm, sampleRate, words, seconds };
}

export function toneWav(text: string, sampleRate = 24_000): { wav: Buffer; audio: ToneAudio } {
  const audio = toneSpeech(text, sampleRate);
  return { wav: encodeWav({ data: audio.pcm, sampleRate, channels: 1 }), audio };
}

/** The same as MP3 (what Edge and ElevenLabs send by default). */
export function toneMp3(text: string, sampleRate = 24_000): { mp3: Buffer; audio: ToneAudio } {
  const { wav, audio } = toneWav(text, sampleRate);
  const r = spawnSync(process.env.FFMPEG_PATH || 'ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'wav', '-i', 'pipe:0', '-c:a', 'libmp3lame', '-b:a', '48k', '-f', 'mp3', 'pipe:1'], { input: wav, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`ffmpeg could not encode mp3: ${r.stderr.toString()}`);
  return { mp3: r.stdout, audio };
}
