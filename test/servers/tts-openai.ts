/**
 * A loopback OpenAI-compatible speech server: POST /v1/audio/speech answers a WAV of tones
 * (one per word). `failNext(status)` makes the next requests fail; 401 on a wrong key.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { toneWav, type ToneWord } from './tts-audio.js';
import { listenLoopback } from './listen.js';

export interface OpenAiSpeechServer {
  baseUrl: string;
  requests: Array<{ model: string; input: string; voice: string; response_format: string; speed?: number }>;
  /** Truth of the last answer: word times inside that request's audio. */
  answers: ToneWord[][];
  failNext(...statuses: number[]): void;
  close(): Promise<void>;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** `speak` answers with other audio than tones (real speech, for alignment tests): its WAV and true word times. */
export async function startOpenAiSpeechServer(apiKey = 'sk-test', opts: { speak?: (input: string) => { wav: Buffer; words: ToneWord[] } } = {}): Promise<OpenAiSpeechServer> {
  const failures: number[] = [];
  const state: Omit<OpenAiSpeechServer, 'baseUrl' | 'close' | 'failNext'> = { requests: [], answers: [] };
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.method !== 'POST' || req.url !== '/v1/audio/speech') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}');
      return;
    }
    const fail = failures.shift();
    if (fail) {
      res.writeHead(fail, { 'content-type': 'application/json', ...(fail === 429 && { 'retry-after': '3' }) })
        .end(JSON.stringify({ error: { message: fail === 429 ? 'Rate limit reached' : 'The server had an error' } }));
      return;
    }
    const json = JSON.parse(body) as OpenAiSpeechServer['requests'][number];
    state.requests.push(json);
    if (!['alloy', 'nova', 'echo'].includes(json.voice)) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `Invalid voice: ${json.voice}` } }));
      return;
    }
    const { wav, words } = opts.speak?.(json.input) ?? ((t) => ({ wav: t.wav, words: t.audio.words }))(toneWav(json.input));
    state.answers.push(words);
    res.writeHead(200, { 'content-type': 'audio/wav' }).end(wav);
  });
  const { url, close } = await listenLoopback(server);
  return Object.assign(state, {
    baseUrl: url,
    failNext: (...s: number[]) => { failures.push(...s); },
    close,
  });
}
