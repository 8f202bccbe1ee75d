/**
 * A loopback LLM server for tests and the benchmark. It speaks OpenAI chat completions
 * (plain JSON and SSE with `data: [DONE]`), the same path and shapes the Mistral SDK reads,
 * and Ollama's /api/chat (plain and NDJSON) and /api/tags. Replies come from a scripted
 * queue, else from `responder`; every request is recorded and counted.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLoopback } from './listen.js';

export type Reply =
  /** Assistant content. */
  | { text: string; model?: string }
  /** Assistant content: this value as JSON. */
  | { json: unknown; model?: string }
  /** An error status with a body (an OpenAI-style error object unless given). */
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Waits before answering with `then` (default: a short text). */
  | { delayMs: number; then?: Reply }
  /** Status 200, some streamed text, then an error object inside the stream (as OpenRouter does). */
  | { streamError: { message: string; code?: number }; partial?: string };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface LlmServer {
  /** `http://127.0.0.1:<port>` (add `/v1` for OpenAI/Mistral clients as they expect). */
  url: string;
  requests: RecordedRequest[];
  /** Requests whose path ends with `suffix` (all requests without one). */
  count(suffix?: string): number;
  enqueue(...replies: Reply[]): void;
  responder: (req: RecordedRequest) => Reply;
  close(): Promise<void>;
}

export interface LlmServerOptions {
  responder?: (req: RecordedRequest) => Reply;
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401. */
  apiKey?: string;
  models?: string[];
}

const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));
/** Splits text into small pieces, like a tokenizer would, for streaming. */
export const pieces = (s: string) => s.match(/[\s\S]{1,4}/g) ?? [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { s += c; });
    req.on('end', () => resolve(s));
    req.on('error', reject);
  });
}

function contentOf(r: { text: string } | { json: unknown }): string {
  return 'text' in r ? r.text : JSON.stringify(r.json);
}

export async function startLlmServer(opts: LlmServerOptions = {}): Promise<LlmServer> {
  const queue: Reply[] = [];
  const requests: RecordedRequest[] = [];
  const models = opts.models ?? ['test-model', 'mistral-small-latest', 'llama3.2:latest'];
  const state: LlmServer = {
    url: '',
    requests,
    count: (suffix) => requests.filter((r) => !suffix || r.path.endsWith(suffix)).length,
    enqueue: (...r) => { queue.push(...r); },
    responder: opts.responder ?? ((req) => ({ text: `echo: ${lastUser(req.body)}` })),
    close: () => listening.close(),
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(e) } }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    let body: Record<string, unknown> = {};
    try { body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {}; } catch { /* recorded as empty */ }
    const path = (req.url ?? '/').split('?')[0]!;
    const rec: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body };
    requests.push(rec);
    if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      return sendJson(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    if (req.method === 'GET' && path.endsWith('/models')) {
      return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'test', type: 'base', capabilities: { completion_chat: true } })) });
    }
    if (req.method === 'GET' && path === '/api/tags') {
      return sendJson(res, 200, { models: models.map((name) => ({ name, model: name, size: 1 })) });
    }
    const ollama = path === '/api/chat';
    if (req.method !== 'POST' || !(ollama || path.endsWith('/chat/completions'))) return sendJson(res, 404, { error: { message: `no route ${req.method} ${path}` } });
    let reply = queue.shift() ?? state.responder(rec);
    while ('delayMs' in reply) {
      const wait = reply.delayMs;
      await new Promise((r) => setTimeout(r, wait));
      if (res.destroyed || req.socket.destroyed) return;
      reply = reply.then ?? { text: 'slow reply' };
    }
    if ('streamError' in reply) {
      res.writeHead(200, { 'Content-Type': ollama ? 'application/x-ndjson' : 'text/event-stream' });
      const partial = { model: 'test-model', choices: [{ index: 0, delta: { content: reply.partial ?? 'Once upon' }, finish_reason: null }] };
      if (ollama) res.write(`${JSON.stringify({ model: 'test-model', message: { role: 'assistant', content: reply.partial ?? 'Once upon' }, done: false })}\n`);
      else res.write(`data: ${JSON.stringify({ id: 'x', ...partial })}\n\n`);
      return res.end(ollama ? `${JSON.stringify({ error: reply.streamError.message })}\n` : `data: ${JSON.stringify({ error: reply.streamError })}\n\n`);
    }
    if ('status' in reply) {
      const b = reply.body ?? (ollama ? { error: `error ${reply.status}` } : { error: { message: `error ${reply.status}`, type: 'server_error' } });
      res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
      return res.end(typeof b === 'string' ? b : JSON.stringify(b));
    }
    const text = contentOf(reply);
    const model = reply.model ?? String(body.model ?? 'test-model');
    const promptTokens = tokens(JSON.stringify(body.messages ?? ''));
    const stream = ollama ? body.stream !== false : body.stream === true;
    if (ollama) return stream ? ollamaStream(res, model, text, promptTokens) : sendJson(res, 200, ollamaFinal(model, text, promptTokens, tokens(text)));
    return stream ? openaiStream(res, model, text, promptTokens) : sendJson(res, 200, {
      id: 'chatcmpl-test', object: 'chat.completion', created: 1700000000, model,
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage: { prompt_tokens: promptTokens, completion_tokens: tokens(text), total_tokens: promptTokens + tokens(text) },
    });
  }

  const listening = await listenLoopback(server);
  state.url = listening.url;
  return state;
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function openaiStream(res: ServerResponse, model: string, text: string, promptTokens: number) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  const base = { id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1700000000, model };
  const parts = pieces(text);
  res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })}\n\n`);
  for (const p of parts) res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: p }, finish_reason: null }] })}\n\n`);
  const usage = { prompt_tokens: promptTokens, completion_tokens: parts.length, total_tokens: promptTokens + parts.length };
  res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage })}\n\n`);
  res.end('data: [DONE]\n\n');
}

function ollamaFinal(model: string, text: string, promptTokens: number, evalCount: number) {
  return { model, created_at: '2024-01-01T00:00:00Z', message: { role: 'assistant', content: text }, done: true, done_reason: 'stop', prompt_eval_count: promptTokens, eval_count: evalCount };
}

function ollamaStream(res: ServerResponse, model: string, text: string, promptTokens: number) {
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
  const parts = pieces(text);
  for (const p of parts) res.write(`${JSON.stringify({ model, created_at: '2024-01-01T00:00:00Z', message: { role: 'assistant', content: p }, done: false })}\n`);
  res.end(`${JSON.stringify({ ...ollamaFinal(model, '', promptTokens, parts.length) })}\n`);
}

function lastUser(body: Record<string, unknown>): string {
  const msgs = (body.messages ?? []) as Array<{ role: string; content: string }>;
  return [...msgs].reverse().find((m) => m.role === 'user')?.content ?? '';
}

/**
 * A responder that writes a valid youtube-short script (title, description, tags,
 * narration, imageQueries) about the topic named in the prompt: for the benchmark and the
 * end-to-end pipeline test. Deterministic, so equal prompts give equal answers.
 */
export function scriptResponder(req: RecordedRequest): Reply {
  const prompt = lastUser(req.body);
  const topic = /about:\s*(.+)/.exec(prompt)?.[1]?.trim() ?? (prompt.slice(0, 60) || 'something');
  const beats = [`Here is something surprising about ${topic}.`, `Most people never notice it.`, `But once you see it, you cannot unsee it.`, `Now you know a little more about ${topic}.`];
  return {
    json: {
      title: `The truth about ${topic}`.slice(0, 100),
      description: `A short look at ${topic}.\n\n#shorts #facts`,
      tags: ['shorts', 'facts', ...topic.toLowerCase().split(/\s+/).slice(0, 3)],
      narration: beats.join(' '),
      imageQueries: beats.map((_, i) => `${topic} ${['close up', 'people', 'landscape', 'detail'][i]}`),
    },
  };
}
