/**
 * A loopback OpenAI-compatible transcription server: POST /v1/audio/transcriptions (multipart)
 * answers `verbose_json` — with words, or (`mode: 'segments'`) segments only, as servers without
 * word timestamps do. 401 on a wrong key; `failNext(status)` makes the next requests fail.
 */
import { createServer, type Server } from 'node:http';
import { listenLoopback } from './listen.js';

export interface TranscriptionRequest {
  model: string;
  response_format: string;
  granularities: string[];
  language?: string;
  fileName: string;
  fileBytes: number;
}

export interface TranscriptionServer {
  baseUrl: string;
  requests: TranscriptionRequest[];
  failNext(...statuses: number[]): void;
  close(): Promise<void>;
}

export interface ScriptedAnswer {
  mode: 'words' | 'segments' | 'text';
  /** Words as [text, start, end]; segments are made of runs of `segmentWords` of them. */
  words: Array<[string, number, number]>;
  segmentWords?: number;
  language?: string;
}

export async function startTranscriptionServer(apiKey: string, answer: ScriptedAnswer): Promise<TranscriptionServer> {
  const failures: number[] = [];
  const requests: TranscriptionRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'POST' || req.url !== '/v1/audio/transcriptions') return json(404, { error: { message: 'not found' } });
    if (req.headers.authorization !== `Bearer ${apiKey}`) return json(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
    // the multipart body, parsed by the platform's own Request (undici)
    const parts: Buffer[] = [];
    for await (const c of req) parts.push(c as Buffer);
    const form = await new Request('http://x', { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body: Buffer.concat(parts) }).formData();
    const file = form.get('file');
    if (!(file instanceof Blob) || file.size === 0) return json(400, { error: { message: 'file is required' } });
    const r: TranscriptionRequest = {
      model: String(form.get('model')),
      response_format: String(form.get('response_format')),
      granularities: form.getAll('timestamp_granularities[]').map(String),
      ...(form.has('language') && { language: String(form.get('language')) }),
      fileName: (file as File).name,
      fileBytes: file.size,
    };
    requests.push(r);
    const fail = failures.shift();
    if (fail) return json(fail, { error: { message: fail === 429 ? 'Rate limit reached' : fail >= 500 ? 'The server had an error' : 'Invalid request' } });
    if (r.model !== 'whisper-1') return json(400, { error: { message: `Invalid model: ${r.model}` } });
    const text = answer.words.map((w) => w[0]).join(' ');
    const base = { task: 'transcribe', language: answer.language ?? 'english', duration: answer.words.at(-1)?.[2] ?? 0, text };
    if (answer.mode === 'text') return json(200, base);
    if (answer.mode === 'words') return json(200, { ...base, words: answer.words.map(([word, start, end]) => ({ word, start, end })) });
    const n = answer.segmentWords ?? 4;
    const segments = [];
    for (let i = 0; i < answer.words.length; i += n) {
      const run = answer.words.slice(i, i + n);
      segments.push({ id: segments.length, seek: 0, start: run[0]![1], end: run.at(-1)![2], text: ` ${run.map((w) => w[0]).join(' ')}` });
    }
    return json(200, { ...base, segments });
  });
  const { url, close } = await listenLoopback(server);
  return {
    baseUrl: url,
    requests,
    failNext: (...s: number[]) => { failures.push(...s); },
    close,
  };
}
