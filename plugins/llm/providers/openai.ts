/**
 * Any OpenAI-compatible chat-completions endpoint (OpenAI, OpenRouter, Groq, Together,
 * DeepSeek, Venice, Gemini's OpenAI endpoint, LM Studio, vLLM, Ollama's /v1) over ctx.http,
 * with SSE streaming and structured output that steps down json_schema → json_object → none
 * when a server refuses a mode.
 */
import type { Readable } from 'node:stream';
import { isMpv2Error } from 'mpv2/plugin';
import { estimateMessages, estimateTokens } from '../usage.js';
import type { DriverCall, DriverDeps, DriverReply, JsonMode, ProviderDriver, ResolvedProvider } from '../types.js';
import { deadline } from './deadline.js';
import { axiosFailure, inlineError } from './failure.js';
import { sseData } from './stream.js';

/** Servers (base URL + model) that refused a JSON mode, so later calls start lower. */
const refused = new Map<string, JsonMode>();
const MODE_ORDER: JsonMode[] = ['schema', 'object', 'none'];
/** Servers that reject `stream_options` (usage in the stream); they get estimates instead. */
const noStreamOptions = new Set<string>();

interface ChatBody {
  choices?: Array<{ message?: { content?: unknown }; delta?: { content?: unknown } }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  model?: string;
}

function headers(p: ResolvedProvider, stream: boolean): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    Accept: stream ? 'text/event-stream' : 'application/json',
    ...(p.apiKey && { Authorization: `Bearer ${p.apiKey}` }),
    ...p.headers,
  };
}

function contentText(c: unknown): string {
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((part) => (typeof part === 'string' ? part : (part as { text?: string })?.text ?? '')).join('');
  return '';
}

function responseFormat(call: DriverCall, mode: JsonMode): Record<string, unknown> | undefined {
  if (!call.schema || mode === 'none') return undefined;
  if (mode === 'object') return { type: 'json_object' };
  return { type: 'json_schema', json_schema: { name: 'output', schema: call.schema, strict: false } };
}

async function readAll(stream: Readable): Promise<string> {
  let s = '';
  for await (const chunk of stream) s += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return s;
}

async function once(deps: DriverDeps, call: DriverCall, mode: JsonMode, streamOptions: boolean): Promise<DriverReply> {
  const p = call.provider;
  const body = {
    model: call.model,
    messages: call.messages,
    ...(call.temperature !== undefined && { temperature: call.temperature }),
    ...(call.maxTokens !== undefined && { max_tokens: call.maxTokens }),
    ...(responseFormat(call, mode) && { response_format: responseFormat(call, mode) }),
    stream: call.stream,
    ...(call.stream && streamOptions && { stream_options: { include_usage: true } }),
  };
  const dl = deadline(call.signal, p.timeoutMs);
  try {
    const res = await deps.http.post(`${p.baseUrl}/chat/completions`, body, {
      headers: headers(p, call.stream),
      signal: dl.signal,
      timeout: 0,
      responseType: call.stream ? 'stream' : 'json',
    });
    // some OpenAI-compatible servers ignore `stream: true` and answer with one JSON body
    const plainJson = call.stream && !/event-stream/i.test(String(res.headers?.['content-type'] ?? '')) && /json/i.test(String(res.headers?.['content-type'] ?? ''));
    if (!call.stream || plainJson) {
      const data = (plainJson ? JSON.parse(await readAll(res.data as Readable)) : res.data) as ChatBody;
      const err = inlineError(data, p, call.model);
      if (err) throw err;
      const text = contentText(data.choices?.[0]?.message?.content);
      return {
        text,
        model: data.model ?? call.model,
        inputTokens: data.usage?.prompt_tokens ?? estimateMessages(call.messages),
        outputTokens: data.usage?.completion_tokens ?? estimateTokens(text),
      };
    }
    let text = '';
    let chunks = 0;
    let model = call.model;
    let usage: ChatBody['usage'];
    for await (const payload of sseData(res.data as Readable)) {
      if (payload.trim() === '[DONE]') break;
      let obj: ChatBody;
      try { obj = JSON.parse(payload) as ChatBody; } catch { continue; }
      const err = inlineError(obj, p, call.model);
      if (err) throw err;
      if (obj.model) model = obj.model;
      if (obj.usage) usage = obj.usage;
      const piece = contentText(obj.choices?.[0]?.delta?.content);
      if (piece) {
        text += piece;
        call.onChunk?.(++chunks);
      }
    }
    return {
      text,
      model,
      inputTokens: usage?.prompt_tokens ?? estimateMessages(call.messages),
      outputTokens: usage?.completion_tokens ?? (chunks || estimateTokens(text)),
    };
  } catch (e) {
    throw isMpv2Error(e) ? e : await axiosFailure(e, p, call.model, dl);
  } finally {
    dl.dispose();
  }
}

function refusesMode(e: unknown): boolean {
  return isMpv2Error(e) && (e.status === 400 || e.status === 422) && /response_format|json_schema|json_object|structured output/i.test(String(e.details?.answer ?? ''));
}

export const openaiDriver: ProviderDriver = {
  async chat(deps, call) {
    const key = `${call.provider.baseUrl}|${call.model}`;
    let mode: JsonMode = call.schema ? refused.get(key) ?? call.jsonMode : 'none';
    for (;;) {
      try {
        return await once(deps, call, mode, !noStreamOptions.has(call.provider.baseUrl));
      } catch (e) {
        if (call.stream && isMpv2Error(e) && e.status === 400 && /stream_options/.test(String(e.details?.answer ?? '')) && !noStreamOptions.has(call.provider.baseUrl)) {
          noStreamOptions.add(call.provider.baseUrl);
          continue;
        }
        const next = MODE_ORDER[MODE_ORDER.indexOf(mode) + 1];
        if (!call.schema || !next || !refusesMode(e)) throw e;
        deps.log?.warn(`LLM provider "${call.provider.name}" refused response_format ${mode === 'schema' ? 'json_schema' : 'json_object'}; asking again with ${next === 'object' ? 'json_object' : 'plain instructions'}`);
        refused.set(key, next);
        mode = next;
      }
    }
  },
  async listModels(deps, p, signal) {
    const dl = deadline(signal, Math.min(p.timeoutMs, 15_000));
    try {
      const res = await deps.http.get(`${p.baseUrl}/models`, { headers: headers(p, false), signal: dl.signal, timeout: 0 });
      const data = (res.data as { data?: Array<{ id?: string }> }).data ?? [];
      return data.map((m) => m.id ?? '').filter(Boolean);
    } catch (e) {
      throw await axiosFailure(e, p, p.model, dl);
    } finally {
      dl.dispose();
    }
  },
};
