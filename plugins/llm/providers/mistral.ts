/**
 * Mistral through its official SDK (`@mistralai/mistralai`), with `serverURL` taken from the
 * provider's baseUrl so it can point at a local server. The SDK's own retries are off: the
 * engine retries steps, and the fallback chain moves to the next provider.
 */
import type { Mistral } from '@mistralai/mistralai';
import type { ChatCompletionRequest } from '@mistralai/mistralai/models/components';
import { isMpv2Error, mpv2Error, type Mpv2Error } from 'mpv2/plugin';
import { abortedError, httpFailureError, networkError, scrub, timeoutError } from '../errors.js';
import { estimateMessages, estimateTokens } from '../usage.js';
import type { DriverCall, DriverReply, ProviderDriver, ResolvedProvider } from '../types.js';
import { deadline, type Deadline } from './deadline.js';

type Sdk = { Mistral: typeof Mistral; errors: typeof import('@mistralai/mistralai/models/errors') };
let sdk: Sdk | undefined;

/** The SDK, imported on first use: it is most of what loading the llm namespace costs (~0.3 s), and most runs never call Mistral. */
async function loadSdk(): Promise<Sdk> {
  if (!sdk) {
    const [{ Mistral }, errors] = await Promise.all([import('@mistralai/mistralai'), import('@mistralai/mistralai/models/errors')]);
    sdk = { Mistral, errors };
  }
  return sdk;
}

async function client(p: ResolvedProvider): Promise<Mistral> {
  const { Mistral } = await loadSdk();
  return new Mistral({ apiKey: p.apiKey ?? '', serverURL: p.baseUrl, retryConfig: { strategy: 'none' }, timeoutMs: p.timeoutMs });
}

function contentText(c: unknown): string {
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((part) => (part as { text?: string })?.text ?? '').join('');
  return '';
}

function failure(e: unknown, p: ResolvedProvider, model: string, dl: Deadline): Mpv2Error {
  if (isMpv2Error(e)) return e;
  if (!sdk) return networkError(p, e);
  const { ConnectionError, MistralError, RequestAbortedError, RequestTimeoutError, ResponseValidationError, SDKValidationError } = sdk.errors;
  if (dl.timedOut() || e instanceof RequestTimeoutError) return timeoutError(p, e);
  if (dl.signal.aborted || e instanceof RequestAbortedError) return abortedError(p);
  if (e instanceof ResponseValidationError || e instanceof SDKValidationError) {
    return mpv2Error('E_HTTP', `LLM provider "${p.name}" (${p.baseUrl}) sent a reply the Mistral SDK cannot read: ${scrub(e.message, p).slice(0, 300)}`, {
      hint: 'check that baseUrl points at a Mistral-compatible server (type: openai fits most other servers)',
    });
  }
  if (e instanceof MistralError) {
    return httpFailureError({ status: e.statusCode, body: e.body, retryAfter: e.headers.get('retry-after') }, p, model, e);
  }
  if (e instanceof ConnectionError) return networkError(p, e);
  return networkError(p, e);
}

function request(call: DriverCall): ChatCompletionRequest {
  const req: ChatCompletionRequest = {
    model: call.model,
    messages: call.messages.map((m) => ({ role: m.role, content: m.content })) as ChatCompletionRequest['messages'],
    ...(call.temperature !== undefined && { temperature: call.temperature }),
    ...(call.maxTokens !== undefined && { maxTokens: call.maxTokens }),
  };
  if (call.schema && call.jsonMode === 'schema') {
    req.responseFormat = { type: 'json_schema', jsonSchema: { name: 'output', schemaDefinition: call.schema, strict: false } };
  } else if (call.schema && call.jsonMode === 'object') {
    req.responseFormat = { type: 'json_object' };
  }
  return req;
}

export const mistralDriver: ProviderDriver = {
  async chat(_deps, call): Promise<DriverReply> {
    const p = call.provider;
    const dl = deadline(call.signal, p.timeoutMs);
    const opts = { signal: dl.signal, headers: p.headers };
    try {
      const api = await client(p);
      if (!call.stream) {
        const res = await api.chat.complete(request(call), opts);
        const text = contentText(res.choices[0]?.message?.content);
        return {
          text, model: res.model || call.model,
          inputTokens: res.usage?.promptTokens ?? estimateMessages(call.messages),
          outputTokens: res.usage?.completionTokens ?? estimateTokens(text),
        };
      }
      const stream = await api.chat.stream({ ...request(call), stream: true }, opts);
      let text = '';
      let chunks = 0;
      let model = call.model;
      let usage: { promptTokens?: number; completionTokens?: number } | undefined;
      for await (const ev of stream) {
        const d = ev.data;
        if (d.model) model = d.model;
        if (d.usage) usage = d.usage;
        const piece = contentText(d.choices[0]?.delta?.content);
        if (piece) { text += piece; call.onChunk?.(++chunks); }
      }
      return {
        text, model,
        inputTokens: usage?.promptTokens ?? estimateMessages(call.messages),
        outputTokens: usage?.completionTokens ?? (chunks || estimateTokens(text)),
      };
    } catch (e) {
      throw failure(e, p, call.model, dl);
    } finally {
      dl.dispose();
    }
  },
  async listModels(_deps, p, signal) {
    const dl = deadline(signal, Math.min(p.timeoutMs, 15_000));
    try {
      const res = await (await client(p)).models.list(undefined, { signal: dl.signal, headers: p.headers });
      return (res.data ?? []).map((m) => (m as { id?: string }).id ?? '').filter(Boolean);
    } catch (e) {
      throw failure(e, p, p.model, dl);
    } finally {
      dl.dispose();
    }
  },
};
