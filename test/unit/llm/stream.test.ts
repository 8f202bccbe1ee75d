import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { lines, sseData } from '../../../plugins/llm/providers/stream.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('stream readers', () => {
  it('SSE: events split across chunks, CRLF, comments, multi-line data', async () => {
    const chunks = [': keep-alive\r\n\r\nda', 'ta: {"a":1}\r\n\r\ndata: line1\ndata: line2\n\n', 'event: x\ndata: [DONE]\n\n'];
    expect(await collect(sseData(Readable.from(chunks.map((c) => Buffer.from(c)))))).toEqual(['{"a":1}', 'line1\nline2', '[DONE]']);
  });

  it('NDJSON lines, with a last line without newline', async () => {
    expect(await collect(lines(Readable.from(['{"a"', ':1}\n{"b":2}'])))).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('keeps multi-byte characters split across chunks intact', async () => {
    const buf = Buffer.from('data: héllo ✓\n\n');
    const cut = buf.indexOf(0xc3) + 1;
    expect(await collect(sseData(Readable.from([buf.subarray(0, cut), buf.subarray(cut)])))).toEqual(['héllo ✓']);
  });
});
