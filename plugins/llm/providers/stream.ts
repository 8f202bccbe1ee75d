/**
 * Readers for the two streaming formats on the wire: server-sent events (OpenAI-compatible
 * servers) and newline-delimited JSON (Ollama). Both take a Node readable stream.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** Lines of a byte stream, split on \n (a trailing \r is dropped), the last one without newline included. */
export async function* lines(stream: Readable): AsyncGenerator<string> {
  // a decoder keeps a multi-byte character that is split across two chunks whole
  const decoder = new StringDecoder('utf8');
  let buf = '';
  for await (const chunk of stream) {
    buf += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      yield buf.slice(0, i).replace(/\r$/, '');
      buf = buf.slice(i + 1);
    }
  }
  buf += decoder.end();
  if (buf.length > 0) yield buf.replace(/\r$/, '');
}

/** The `data` of each server-sent event (multi-line data joined with \n); comments and other fields skipped. */
export async function* sseData(stream: Readable): AsyncGenerator<string> {
  let data: string[] = [];
  for await (const line of lines(stream)) {
    if (line === '') {
      if (data.length) yield data.join('\n');
      data = [];
    } else if (line.startsWith('data:')) {
      data.push(line.slice(line[5] === ' ' ? 6 : 5));
    }
  }
  if (data.length) yield data.join('\n');
}

/** Reads a whole (error) body from a stream, capped so a huge page cannot fill memory. */
export async function readBody(data: unknown, cap = 64 * 1024): Promise<string> {
  if (data === undefined || data === null) return '';
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (typeof (data as Readable).on === 'function' && Symbol.asyncIterator in (data as object)) {
    const parts: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of data as Readable) {
        const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        parts.push(b);
        size += b.length;
        if (size > cap) { (data as Readable).destroy(); break; }
      }
    } catch { /* a broken error body still leaves the status to report */ }
    const out = Buffer.concat(parts).toString('utf8');
    return out;
  }
  try { return JSON.stringify(data); } catch { return String(data); }
}
