/**
 * `complete(ctx, req)`: the LLM layer other plugins call (llm.generate, afm pitches,
 * outreach personalisation). Resolves the provider chain, falls back on retryable
 * failures, caches each answered request through `ctx.cache.wrap`, and for structured
 * output validates with ajv and asks again with the errors (at most 2 repairs).
 */
import { mpv2Error, toMpv2Error, type Mpv2Error } from 'mpv2/plugin';
import { parseDuration } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import { llmConfig } from './config.js';
import { withLanguage } from './language.js';
import { generateInput } from './schemas.js';
import { DRIVERS } from './providers/index.js';
import { resolveChain } from './resolve.js';
import { checkReply, jsonInstruction, repairMessage } from './structured.js';
import type { DriverReply, LlmMessage, LlmRequest, LlmResult, LlmUsage, ResolvedProvider } from './types.js';
import { addUsage, costOf } from './usage.js';

export const MAX_REPAIRS = 2;
// callers of the service may leave `cacheTtl` out: llm.generate's `callCache` default holds for them too
export const DEFAULT_CALL_TTL = generateInput.properties.callCache.default;
/** Streamed chunks between two progress reports (deterministic, unlike a timer). */
const PROGRESS_EVERY = 16;

type Answer = Omit<LlmResult, 'cached' | 'provider'>;

/** The parts of a step context the LLM layer uses, with the `llm` config section. */
type LlmEnv = Pick<StepContext, 'config' | 'secrets' | 'http' | 'log' | 'signal' | 'cache' | 'progress' | 'limit'>;

/**
 * Answers one request with the `llm` config section and secrets of `ctx`: an llm.* step's own,
 * or the llm namespace's view the engine binds when another plugin calls `ctx.services.llm.complete`.
 */
export async function complete(ctx: StepContext, req: LlmRequest): Promise<LlmResult> {
  // the calling step's language is part of the request (and so of its cache key)
  req = { ...req, messages: withLanguage(req.messages, ctx.language) };
  const env: LlmEnv = {
    config: ctx.config, secrets: ctx.secrets, http: ctx.http, log: ctx.log, signal: ctx.signal, cache: ctx.cache,
    progress: (u) => ctx.progress(u), limit: (name, fn) => ctx.limit(name, fn),
  };
  const chain = resolveChain(env, req.provider, req.model);
  const failures: Array<{ name: string; error: Mpv2Error }> = [];
  for (const [i, { provider, model }] of chain.entries()) {
    try {
      return await viaProvider(env, req, provider, model);
    } catch (e) {
      const error = toMpv2Error(e);
      failures.push({ name: provider.name, error });
      const next = chain[i + 1];
      if (!next || !error.retryable || env.signal.aborted) throw failures.length > 1 ? chainError(failures) : error;
      env.log.warn(`LLM provider "${provider.name}" failed (${error.code}); falling back to "${next.provider.name}"`, { error: error.message });
    }
  }
  throw mpv2Error('E_INTERNAL', 'empty provider chain');
}

function chainError(failures: Array<{ name: string; error: Mpv2Error }>): Mpv2Error {
  const last = failures[failures.length - 1]!.error;
  const lines = failures.map((f) => `  - ${f.name}: ${f.error.code} ${f.error.message}`);
  return mpv2Error(last.code, `every LLM provider in the fallback list failed:\n${lines.join('\n')}`, {
    retryable: last.retryable, retryAfterMs: last.retryAfterMs, status: last.status, hint: last.hint, cause: last,
  });
}

async function viaProvider(env: LlmEnv, req: LlmRequest, provider: ResolvedProvider, model: string): Promise<LlmResult> {
  const temperature = req.temperature ?? llmConfig(env.config).temperature;
  const ttl = req.cacheTtl ?? DEFAULT_CALL_TTL;
  // a bad TTL must fail before the call is paid for, not when the answer is stored
  if (ttl !== false && ttl !== 'forever') parseDuration(ttl, 'callCache');
  // what makes two requests the same answer; the key itself is never part of it
  const key = {
    kind: 'llm.complete/1', provider: provider.name, type: provider.type, baseUrl: provider.baseUrl, model,
    messages: req.messages, schema: req.schema ?? null, temperature: temperature ?? null, maxTokens: req.maxTokens ?? null,
  };
  let ran = false;
  const produce = () => { ran = true; return exchange(env, req, provider, model, temperature); };
  const answer = ttl === false ? await produce() : await env.cache.wrap(key, ttl === 'forever' ? undefined : ttl, produce);
  if (!ran) {
    env.log.debug(`LLM answer for "${provider.name}" ${model} came from the call cache`);
    return { ...answer, provider: provider.name, calls: 0, cached: true };
  }
  return { ...answer, provider: provider.name, cached: false };
}

function withInstruction(messages: LlmMessage[], schema: LlmRequest['schema']): LlmMessage[] {
  if (!schema) return messages;
  const instruction = jsonInstruction(schema);
  if (messages[0]?.role === 'system') return [{ role: 'system', content: `${messages[0].content}\n\n${instruction}` }, ...messages.slice(1)];
  return [{ role: 'system', content: instruction }, ...messages];
}

async function exchange(env: LlmEnv, req: LlmRequest, provider: ResolvedProvider, model: string, temperature: number | undefined): Promise<Answer> {
  let messages = withInstruction(req.messages, req.schema);
  let usage: LlmUsage = { inputTokens: 0, outputTokens: 0 };
  let problems: string[] = [];
  let last: DriverReply | undefined;
  for (let round = 0; round <= MAX_REPAIRS; round++) {
    last = await callOnce(env, req, provider, model, temperature, messages, round);
    const cost = costOf(env.config, provider.name, model, last.inputTokens, last.outputTokens);
    usage = addUsage(usage, { inputTokens: last.inputTokens, outputTokens: last.outputTokens, ...(cost !== undefined && { costUsd: cost }) });
    const price = cost !== undefined ? `, $${cost.toFixed(6)}` : '';
    env.log.info(`llm call: ${provider.name} ${last.model}, ${last.inputTokens} tokens in, ${last.outputTokens} out${price}${round ? ` (repair ${round})` : ''}`, {
      llmCall: true, provider: provider.name, model: last.model, inputTokens: last.inputTokens, outputTokens: last.outputTokens, costUsd: cost, repair: round,
    });
    if (!req.schema) return { text: last.text, usage, model: last.model, calls: round + 1 };
    const checked = checkReply(last.text, req.schema);
    if (checked.ok) return { text: last.text, data: checked.data, usage, model: last.model, calls: round + 1 };
    problems = checked.problems;
    if (round < MAX_REPAIRS) {
      env.log.warn(`LLM reply does not match output.schema; asking again (repair ${round + 1} of ${MAX_REPAIRS})`, { problems });
      messages = [...messages, { role: 'assistant', content: last.text }, { role: 'user', content: repairMessage(problems) }];
    }
  }
  const excerpt = (last?.text ?? '').replace(/\s+/g, ' ').trim().slice(0, 400);
  throw mpv2Error('E_PLUGIN_OUTPUT_INVALID', [
    `LLM provider "${provider.name}" (model ${model}) did not return JSON matching output.schema after ${MAX_REPAIRS + 1} tries:`,
    ...problems.map((p) => `  - ${p}`),
    `  last reply: ${excerpt || '(empty)'}`,
  ].join('\n'), {
    details: { problems, usage },
    hint: 'loosen output.schema, describe the fields in the prompt, or use a stronger model',
  });
}

async function callOnce(env: LlmEnv, req: LlmRequest, provider: ResolvedProvider, model: string, temperature: number | undefined, messages: LlmMessage[], round: number): Promise<DriverReply> {
  // callers of the service may leave it out; llm.generate's `stream` default holds for them too
  const stream = req.stream ?? generateInput.properties.stream.default;
  const label = round > 0 ? `${provider.name} (repair ${round})` : provider.name;
  const onChunk = (n: number) => { if (n === 1 || n % PROGRESS_EVERY === 0) env.progress({ message: `${label}: ${n} tokens` }); };
  const call = () => DRIVERS[provider.type].chat({ http: env.http, log: env.log }, {
    provider, model, messages, temperature, maxTokens: req.maxTokens, schema: req.schema, jsonMode: 'schema',
    stream, signal: env.signal, onChunk: stream ? onChunk : undefined,
  });
  const reply = req.limit ? await env.limit(req.limit, call) : await call();
  env.progress({ message: `${label}: ${reply.outputTokens} tokens` });
  return reply;
}
