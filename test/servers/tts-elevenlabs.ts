/**
 * A loopback ElevenLabs: POST /v1/text-to-speech/{voice_id}/with-timestamps answers
 * base64 MP3 (tones, one per word) and a per-character alignment matching those tones.
 */
import { createServer, type Server } from 'node:http';
import { toneMp3, type ToneWord } from './tts-audio.js';
import { readBody } from './tts-openai.js';
import { listenLoopback } from './listen.js';

export interface ElevenLabsServer {
  baseUrl: string;
  requests: Array<{ voice: string; outputFormat: string | null; body: { text: string; model_id: string } }>;
  answers: ToneWord[][];
  failNext(...statuses: number[]): void;
  close(): Promise<void>;
}

export async function startElevenLabsServer(apiKey = 'el-test', voices = ['voice1']): Promise<ElevenLabsServer> {
  const failures: number[] = [];
  const state: Pick<ElevenLabsServer, 'requests' | 'answers'> = { requests: [], answers: [] };
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/v1\/text-to-speech\/([^/]+)\/with-timestamps$/.exec(url.pathname);
    const json = (code: number, v: unknown, h: Record<string, string> = {}) => res.writeHead(code, { 'content-type': 'application/json', ...h }).end(JSON.stringify(v));
    if (req.method !== 'POST' || !m) return json(404, { detail: { status: 'not_found' } });
    if (req.headers['xi-api-key'] !== apiKey) return json(401, { detail: { status: 'invalid_api_key', message: 'Invalid API key' } });
    const fail = failures.shift();
    if (fail) return json(fail, { detail: { status: fail === 429 ? 'too_many_concurrent_requests' : 'internal_error' } }, fail === 429 ? { 'retry-after': '2' } : {});
    const voice = decodeURIComponent(m[1]!);
    if (!voices.includes(voice)) return json(404, { detail: { status: 'voice_not_found', message: `A voice with the voice_id ${voice} was not found.` } });
    const parsed = JSON.parse(body) as { text: string; model_id: string };
    state.requests.push({ voice, outputFormat: url.searchParams.get('output_format'), body: parsed });
    const { mp3, audio } = toneMp3(parsed.text);
    state.answers.push(audio.words);
    // characters as code points, each word's characters spread over its tone
    const characters: string[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    const tokens = [...parsed.text.matchAll(/\S+|\s+/g)].map((x) => x[0]);
    let w = 0;
    for (const tok of tokens) {
      const chars = [...tok];
      if (!tok.trim()) {
        const t = audio.words[w - 1]?.end ?? 0;
        for (const c of chars) { characters.push(c); starts.push(t); ends.push(t); }
        continue;
      }
      const word = audio.words[w++]!;
      const step = (word.end - word.start) / chars.length;
      chars.forEach((c, i) => { characters.push(c); starts.push(word.start + i * step); ends.push(word.start + (i + 1) * step); });
    }
    return json(200, {
      audio_base64: mp3.toString('base64'),
      alignment: { characters, character_start_times_seconds: starts, character_end_times_seconds: ends },
      normalized_alignment: { characters, character_start_times_seconds: starts, character_end_times_seconds: ends },
    });
  });
  const { url, close } = await listenLoopback(server);
  return Object.assign(state, {
    baseUrl: url,
    failNext: (...s: number[]) => { failures.push(...s); },
    close,
  });
}
