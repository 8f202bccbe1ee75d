/**
 * A loopback Edge read-aloud service speaking the WebSocket protocol: it expects
 * `speech.config` then an SSML message, and answers `turn.start`, one `audio.metadata`
 * WordBoundary per word (offsets in 100-ns ticks), binary `Path:audio` frames of MP3
 * (tones, one per word) and `turn.end`. `failNext(status)` refuses the next upgrades.
 */
import { createServer, type Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { toneMp3, type ToneWord } from './tts-audio.js';
import { listenLoopback } from './listen.js';

export interface EdgeServer {
  baseUrl: string;
  requests: Array<{ query: Record<string, string>; config: string; ssml: string; text: string; voice: string; rate: string }>;
  answers: ToneWord[][];
  failNext(...statuses: number[]): void;
  close(): Promise<void>;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

function textMessage(path: string, requestId: string, body: string): string {
  return `X-RequestId:${requestId}\r\nContent-Type:application/json; charset=utf-8\r\nPath:${path}\r\n\r\n${body}`;
}

function audioFrame(requestId: string, data: Buffer): Buffer {
  const head = Buffer.from(`X-RequestId:${requestId}\r\nContent-Type:audio/mpeg\r\nX-StreamId:1\r\nPath:audio\r\n`);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(head.length);
  return Buffer.concat([len, head, data]);
}

export async function startEdgeServer(): Promise<EdgeServer> {
  const failures: number[] = [];
  const state: Pick<EdgeServer, 'requests' | 'answers'> = { requests: [], answers: [] };
  const http: Server = createServer((_req, res) => { res.writeHead(404).end(); });
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const fail = failures.shift();
    const refuse = (code: number, extra = '') => socket.end(`HTTP/1.1 ${code} Refused\r\nConnection: close\r\n${extra}Content-Length: 0\r\n\r\n`);
    if (fail) return refuse(fail, fail === 429 ? 'Retry-After: 5\r\n' : '');
    if (url.pathname !== '/consumer/speech/synthesize/readaloud/edge/v1' || !url.searchParams.get('TrustedClientToken') || !/^[0-9A-F]{64}$/.test(url.searchParams.get('Sec-MS-GEC') ?? '')) return refuse(403);
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, Object.fromEntries(url.searchParams)));
  });
  function serve(ws: WebSocket, query: Record<string, string>) {
    let config = '';
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'unexpected binary');
      const msg = data.toString();
      const path = /Path:([^\r\n]+)/.exec(msg)?.[1];
      if (path === 'speech.config') { config = msg; return; }
      if (path !== 'ssml' || !config) return ws.close(1002, 'speech.config must come first');
      const requestId = /X-RequestId:([^\r\n]+)/.exec(msg)?.[1] ?? 'r';
      const ssml = msg.slice(msg.indexOf('\r\n\r\n') + 4);
      const voice = /<voice name='([^']+)'>/.exec(ssml)?.[1] ?? '';
      const rate = /rate='([^']+)'/.exec(ssml)?.[1] ?? '';
      const text = unescape(/<prosody[^>]*>([\s\S]*)<\/prosody>/.exec(ssml)?.[1] ?? '');
      state.requests.push({ query, config, ssml, text, voice, rate });
      const { mp3, audio } = toneMp3(text);
      state.answers.push(audio.words);
      ws.send(textMessage('turn.start', requestId, '{"context":{"serviceTag":"test"}}'));
      ws.send(textMessage('response', requestId, '{"context":{"serviceTag":"test"},"audio":{"type":"inline"}}'));
      for (const w of audio.words) {
        const meta = { Metadata: [{ Type: 'WordBoundary', Data: { Offset: Math.round(w.start * 1e7), Duration: Math.round((w.end - w.start) * 1e7), text: { Text: w.text.replace(/[.,!?;:]+$/, ''), Length: w.text.length, BoundaryType: 'WordBoundary' } } }] };
        ws.send(textMessage('audio.metadata', requestId, JSON.stringify(meta)));
      }
      for (let i = 0; i < mp3.length; i += 4096) ws.send(audioFrame(requestId, mp3.subarray(i, i + 4096)));
      ws.send(textMessage('audio.metadata', requestId, '{"Metadata":[{"Type":"SessionEnd","Data":{"Offset":0}}]}'));
      ws.send(textMessage('turn.end', requestId, '{}'));
    });
  }
  const { port, close } = await listenLoopback(http);
  return Object.assign(state, {
    baseUrl: `ws://127.0.0.1:${port}/consumer/speech/synthesize/readaloud`,
    failNext: (...s: number[]) => { failures.push(...s); },
    close: () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      return close();
    },
  });
}
