/**
 * One place that turns a provider's failure into an Mpv2Error that names the provider, the
 * model or the env var to fix, says whether a retry can help, and never carries the key.
 */
import { mpv2Error, type Mpv2Error } from 'mpv2/plugin';
import { parseRetryAfter } from 'mpv2/plugin';
import type { ResolvedProvider } from './types.js';

export interface HttpFailure {
  status: number;
  body: string;
  retryAfter?: string | null;
}

const CONTEXT_RE = /context[_ ]length|context window|maximum context|too many tokens|prompt is too long|input is too long|reduce the length|num_ctx|token limit/i;

/** Removes the provider's key (and anything that looks like a bearer token) from text. */
export function scrub(text: string, provider: ResolvedProvider): string {
  let s = text;
  if (provider.apiKey && provider.apiKey.length >= 4) s = s.split(provider.apiKey).join('***');
  return s.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1***');
}

function short(body: string): string {
  const s = body.replace(/\s+/g, ' ').trim();
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

/** Token counts in a context-length message, e.g. OpenAI's "maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens". */
export function parseTokenCounts(body: string): { limit?: number; tokens?: number } {
  const num = (m: RegExpMatchArray | null) => (m ? Number(m[1]!.replace(/,/g, '')) : undefined);
  let tokens = num(body.match(/(?:resulted in|contains|requested|prompt has|prompt of|got)\s+(\d[\d,]*)\s*(?:input\s+)?tokens/i));
  let limit = num(body.match(/(?:maximum context length is|context length of|context window of|limit of|limit is|maximum of|max(?:imum)? (?:is )?)\s*(\d[\d,]*)/i))
    ?? num(body.match(/(\d[\d,]*)\s*(?:tokens? )?(?:maximum context|max context|context length|context window|token limit)/i));
  if (tokens === undefined && limit === undefined) {
    const nums = [...body.matchAll(/(\d[\d,]*)\s*tokens?/gi)].map((m) => Number(m[1]!.replace(/,/g, ''))).filter((n) => n >= 16);
    if (nums.length === 1) limit = nums[0];
    if (nums.length > 1) { limit = Math.min(...nums); tokens = Math.max(...nums); }
  }
  return { ...(limit !== undefined && { limit }), ...(tokens !== undefined && tokens !== limit && { tokens }) };
}

export function httpFailureError(f: HttpFailure, provider: ResolvedProvider, model: string, cause?: unknown): Mpv2Error {
  const body = scrub(short(f.body), provider);
  const who = `LLM provider "${provider.name}" (${provider.baseUrl})`;
  const status = f.status;
  // the provider's words apart from ours (a provider's name or URL may hold any word): drivers
  // that must read them read details.answer, never the message
  const opts = { status, cause: cause === undefined ? undefined : sanitizeCause(cause, provider), details: { answer: body } };
  if (status === 401 || status === 403) {
    const where = provider.keyEnv ? `${provider.keyEnv} or llm.providers.${provider.name}.apiKey` : `llm.providers.${provider.name}.apiKey`;
    return mpv2Error('E_AUTH', `${who} rejected the API key (${status})${body ? `: ${body}` : ''}`, {
      ...opts, hint: `check ${where}; a retry will not help`,
    });
  }
  if (status === 429) {
    return mpv2Error('E_RATE_LIMITED', `${who} is rate limiting requests (429)${body ? `: ${body}` : ''}`, {
      ...opts, retryable: true, retryAfterMs: parseRetryAfter(f.retryAfter ?? undefined),
      hint: 'add `limit:` with a lower rate to the step, or a fallback provider',
    });
  }
  if (CONTEXT_RE.test(f.body) && (status === 400 || status === 413 || status === 422 || status === 500)) {
    const { limit, tokens } = parseTokenCounts(f.body);
    const counts = tokens !== undefined ? `${tokens} tokens, limit ${limit}` : limit !== undefined ? `limit ${limit} tokens` : 'token count not given';
    return mpv2Error('E_INPUT_INVALID', `the prompt is too long for model "${model}" at ${who} (${counts})${body ? `: ${body}` : ''}`, {
      ...opts, details: { ...opts.details, limit, tokens }, hint: 'shorten the prompt, lower maxTokens, or use a model with a larger context window',
    });
  }
  if (status === 404) {
    return mpv2Error('E_NOT_FOUND', `model "${model}" was not found at ${who} (404)${body ? `: ${body}` : ''}`, {
      ...opts, hint: `check the model name (\`mpv2 doctor\` lists the provider's models) and that baseUrl is right${provider.type === 'openai' ? ' (most OpenAI-compatible servers end in /v1)' : ''}`,
    });
  }
  const retryable = status === 408 || status === 425 || status >= 500;
  return mpv2Error('E_HTTP', `${who} answered ${status}${body ? `: ${body}` : ''}`, {
    ...opts, retryable, retryAfterMs: retryable ? parseRetryAfter(f.retryAfter ?? undefined) : undefined,
  });
}

export function timeoutError(provider: ResolvedProvider, cause?: unknown): Mpv2Error {
  return mpv2Error('E_TIMEOUT', `LLM provider "${provider.name}" did not answer within ${provider.timeoutMs} ms`, {
    retryable: true, cause: cause === undefined ? undefined : sanitizeCause(cause, provider),
    hint: `raise llm.providers.${provider.name}.timeout, or add a fallback provider`,
  });
}

export function abortedError(provider: ResolvedProvider): Mpv2Error {
  return mpv2Error('E_ABORTED', `the request to LLM provider "${provider.name}" was cancelled`);
}

export function networkError(provider: ResolvedProvider, e: unknown): Mpv2Error {
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code;
  return mpv2Error('E_HTTP', `LLM provider "${provider.name}" (${provider.baseUrl}) could not be reached: ${scrub(msg, provider)}${code && !msg.includes(code) ? ` (${code})` : ''}`, {
    retryable: true, cause: sanitizeCause(e, provider),
    hint: provider.type === 'ollama' ? 'is Ollama running? (`ollama serve`)' : undefined,
  });
}

/** A plain Error with the cause's message and code: library errors carry request headers (the key). */
export function sanitizeCause(e: unknown, provider: ResolvedProvider): Error {
  const msg = e instanceof Error ? e.message : String(e);
  const out = new Error(scrub(msg, provider));
  out.name = e instanceof Error ? e.name : 'Error';
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') (out as Error & { code?: string }).code = code;
  return out;
}
