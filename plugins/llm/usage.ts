/**
 * Token counts and cost. Servers that report no usage get an estimate (4 characters a
 * token, the usual rule of thumb for English); a price table in the config gives cost.
 */
import type { LlmConfig } from './config.js';
import type { LlmMessage, LlmUsage } from './types.js';

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function estimateMessages(messages: LlmMessage[]): number {
  return messages.reduce((n, m) => n + estimateTokens(m.content) + 4, 0);
}

/** `prices['provider/model']`, else `prices[model]`; dollars per million tokens. */
export function costOf(config: Readonly<Record<string, unknown>>, provider: string, model: string, inputTokens: number, outputTokens: number): number | undefined {
  const prices = (config as LlmConfig).prices ?? {};
  const p = prices[`${provider}/${model}`] ?? prices[model];
  if (!p) return undefined;
  return Math.round(((inputTokens * p.input + outputTokens * p.output) / 1e6) * 1e6) / 1e6;
}

export function addUsage(a: LlmUsage, b: LlmUsage): LlmUsage {
  const out: LlmUsage = { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
  if (a.costUsd !== undefined || b.costUsd !== undefined) out.costUsd = Math.round(((a.costUsd ?? 0) + (b.costUsd ?? 0)) * 1e6) / 1e6;
  return out;
}
