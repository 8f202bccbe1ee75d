/**
 * Ollama's native API: POST /api/chat with `format: <schema>` for structured output and
 * NDJSON streaming; GET /api/tags lists the pulled models (the doctor check).
 */
import type { Readable } from 'node:stream';
import { isMpv2Error } from 'mpv2/plugin';
import { estimateMessages, estimateTokens } from '../usage.js';
import type { DriverCall, DriverDeps, DriverReply, JsonMode, ProviderDriver, ResolvedProvider } from '../types.js';
import { deadline } from './deadline.js';
import { axiosFailure, inlineError } from './failure.js';
import { lines } from './stream.js';

interface OllamaChunk {
  model?: string;
  message?: { content?: string };
  done?: boolean;
  prompt_eval_count?: number;
  eval_count?: number;
}

function headers(p: ResolvedProvider): Record<string, string> {
  return { 'Content-Type': 'application/json', ...(p.apiKey && { Authorization: `Bearer ${p.apiKey}` }), ...p.headers };
}

async function once(deps: DriverDeps, call: DriverCall, mode: JsonMode): Promise<DriverReply> {
  const p = call.provider;
  const options: Record<string, number> = {};
  if (call.temperature !== undefined) options.temperature = call.temperature;
  if (call.maxTokens !== undefined) options.num_predict = call.maxTokens;
  const format = call.schema && mode !== 'none' ? (mode === 'schema' ? call.schema : 'json') : undefined;
  const body = { model: call.model, messages: call.messages, stream: call.stream, ...(format && { format }), ...(Object.keys(options).length && { options }) };
  const dl = deadline(call.signal, p.timeoutMs);
  try {
    const res = await deps.http.post(`${p.baseUrl}/api/chat`, body, {
      headers: headers(p), signal: dl.signal, timeout: 0, responseType: call.stream ? 'stream' : 'json',
    });
    if (!call.stream) {
      const data = res.data as OllamaChunk;
      const err = inlineError(data, p, call.model);
      if (err) throw err;
      const text = data.message?.content ?? '';
      return {
        text, model: data.model ?? call.model,
        inputTokens: data.prompt_eval_count ?? estimateMessages(call.messages),
        outputTokens: data.eval_count ?? estimateTokens(text),
      };
    }
    let text = '';
    let chunks = 0;
    let last: OllamaChunk = {};
    for await (const line of lines(res.data as Readable)) {
      if (!line.trim()) continue;
      let obj: OllamaChunk;
      try { obj = JSON.parse(line) as OllamaChunk; } catch { continue; }
      const err = inlineError(obj, p, call.model);
      if (err) throw err;
      const piece = obj.message?.content ?? '';
      if (piece) { text += piece; call.onChunk?.(++chunks); }
      last = obj;
      if (obj.done) break;
    }
    return {
      text, model: last.model ?? call.model,
      inputTokens: last.prompt_eval_count ?? estimateMessages(call.messages),
      outputTokens: last.eval_count ?? (chunks || estimateTokens(text)),
    };
  } catch (e) {
    throw isMpv2Error(e) ? e : await axiosFailure(e, p, call.model, dl);
  } finally {
    dl.dispose();
  }
}

export const ollamaDriver: ProviderDriver = {
  async chat(deps, call) {
    let mode: JsonMode = call.schema ? call.jsonMode : 'none';
    for (;;) {
      try {
        return await once(deps, call, mode);
      } catch (e) {
        // Ollama before 0.5 accepts only `format: "json"`
        const retry = call.schema && mode === 'schema' && isMpv2Error(e) && e.status === 400 && /format|schema/i.test(String(e.details?.answer ?? ''));
        if (!retry) throw e;
        deps.log?.warn(`Ollama at ${call.provider.baseUrl} refused a JSON schema in \`format\`; asking for plain JSON (upgrade Ollama to 0.5+ for schemas)`);
        mode = 'object';
      }
    }
  },
  async listModels(deps, p, signal) {
    const dl = deadline(signal, Math.min(p.timeoutMs, 15_000));
    try {
      const res = await deps.http.get(`${p.baseUrl}/api/tags`, { headers: headers(p), signal: dl.signal, timeout: 0 });
      return ((res.data as { models?: Array<{ name?: string }> }).models ?? []).map((m) => m.name ?? '').filter(Boolean);
    } catch (e) {
      throw await axiosFailure(e, p, p.model, dl);
    } finally {
      dl.dispose();
    }
  },
};
