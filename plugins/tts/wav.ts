/**
 * 16-bit PCM WAV in and out, plus the sample-level touches that make chunks join cleanly:
 * short linear fades at both ends and a minimum trailing pause.
 */
import { mpv2Error } from 'mpv2/plugin';

export interface Pcm {
  /** Interleaved signed 16-bit little-endian samples. */
  data: Buffer;
  sampleRate: number;
  channels: number;
}

export function wavHeader(dataBytes: number, sampleRate: number, channels = 1): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

export function encodeWav(pcm: Pcm): Buffer {
  return Buffer.concat([wavHeader(pcm.data.length, pcm.sampleRate, pcm.channels), pcm.data]);
}

/** Reads a 16-bit PCM WAV (streamed WAVs with a 0xFFFFFFFF data size are accepted). */
export function decodeWav(buf: Buffer, what = 'audio'): Pcm {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw mpv2Error('E_FILE', `${what} is not a WAV file`);
  }
  let off = 12;
  let sampleRate = 0;
  let channels = 0;
  let bits = 0;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') {
      channels = buf.readUInt16LE(off + 10);
      sampleRate = buf.readUInt32LE(off + 12);
      bits = buf.readUInt16LE(off + 22);
    } else if (id === 'data') {
      if (bits !== 16) throw mpv2Error('E_FILE', `${what} has ${bits}-bit samples; 16-bit PCM expected`);
      const end = size === 0xffffffff || off + 8 + size > buf.length ? buf.length : off + 8 + size;
      const bytes = (end - off - 8) - ((end - off - 8) % (2 * channels));
      return { data: buf.subarray(off + 8, off + 8 + bytes), sampleRate, channels };
    }
    off += 8 + size + (size % 2);
  }
  throw mpv2Error('E_FILE', `${what} has no data chunk`);
}

export function pcmSeconds(pcm: Pcm): number {
  return pcm.data.length / 2 / pcm.channels / pcm.sampleRate;
}

/** Linear fade-in and fade-out of `ms` milliseconds, in place (removes clicks at joins). */
export function fadeEdges(pcm: Pcm, ms = 5): void {
  const frames = pcm.data.length / 2 / pcm.channels;
  const n = Math.min(Math.floor((pcm.sampleRate * ms) / 1000), Math.floor(frames / 2));
  for (let i = 0; i < n; i++) {
    const g = i / n;
    for (let c = 0; c < pcm.channels; c++) {
      const a = (i * pcm.channels + c) * 2;
      const b = ((frames - 1 - i) * pcm.channels + c) * 2;
      pcm.data.writeInt16LE(Math.round(pcm.data.readInt16LE(a) * g), a);
      pcm.data.writeInt16LE(Math.round(pcm.data.readInt16LE(b) * g), b);
    }
  }
}

/** Appends silence so the audio ends with at least `seconds` of it (given the trailing silence already there). */
export function padTail(pcm: Pcm, existingSilence: number, seconds: number): Pcm {
  const missing = seconds - existingSilence;
  if (missing <= 0.001) return pcm;
  const frames = Math.round(missing * pcm.sampleRate);
  return { ...pcm, data: Buffer.concat([pcm.data, Buffer.alloc(frames * 2 * pcm.channels)]) };
}
