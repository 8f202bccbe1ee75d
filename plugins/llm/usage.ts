/**
 * Token counts and cost. Servers that report no usage get an estimate (4 characters a
 * token, the usual rule of thumb for English); a price table in the config gives cost.
 */
import type { RunReportContribution } from 'mpv2/plugin';
import { llmConfig } from './config.js';
import type { LlmMessage, LlmUsage } from './types.js';

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function estimateMessages(messages: LlmMessage[]): number {
  return messages.reduce((n, m) => n + estimateTokens(m.content) + 4, 0);
}

/** `prices['provider/model']`, else `prices[model]`; dollars per million tokens. */
export function costOf(config: Readonly<Record<string, unknown>>, provider: string, model: string, inputTokens: number, outputTokens: number): number | undefined {
  const { prices } = llmConfig(config);
  const p = prices[`${provider}/${model}`] ?? prices[model];
  if (!p) return undefined;
  return Math.round(((inputTokens * p.input + outputTokens * p.output) / 1e6) * 1e6) / 1e6;
}

export function addUsage(a: LlmUsage, b: LlmUsage): LlmUsage {
  const out: LlmUsage = { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
  if (a.costUsd !== undefined || b.costUsd !== undefined) out.costUsd = Math.round(((a.costUsd ?? 0) + (b.costUsd ?? 0)) * 1e6) / 1e6;
  return out;
}

interface Totals { inputTokens: number; outputTokens: number; costUsd: number }

/** What `mpv2 runs show` reports for the llm: calls, tokens and cost, spent and saved by the cache. */
export interface UsageSummary { calls: number; spent: Totals; savedByCache: Totals & { calls: number } }

function usageOf(outputs: unknown): Totals | undefined {
  const u = (outputs as { usage?: Record<string, unknown> } | null | undefined)?.usage;
  if (!u || typeof u !== 'object') return undefined;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  if (typeof u.inputTokens !== 'number' && typeof u.outputTokens !== 'number') return undefined;
  return { inputTokens: n(u.inputTokens), outputTokens: n(u.outputTokens), costUsd: n(u.costUsd) };
}

/**
 * The run's LLM usage, summed over the steps whose outputs carry `usage`: a step served by the
 * step cache, or whose call was answered by the call cache (`cached: true`), counts as a call saved.
 */
export const usageReport: RunReportContribution<UsageSummary> = {
  summarize(steps) {
    const s: UsageSummary = { calls: 0, spent: { inputTokens: 0, outputTokens: 0, costUsd: 0 }, savedByCache: { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 } };
    for (const leaf of steps) {
      const u = usageOf(leaf.outputs);
      if (!u || leaf.status !== 'succeeded') continue;
      const callCached = (leaf.outputs as { cached?: unknown }).cached === true;
      const bucket = leaf.cached || callCached ? s.savedByCache : s.spent;
      if (bucket === s.savedByCache) s.savedByCache.calls++;
      else s.calls++;
      bucket.inputTokens += u.inputTokens;
      bucket.outputTokens += u.outputTokens;
      bucket.costUsd += u.costUsd;
    }
    return s;
  },
  lines(s) {
    if (!s.calls && !s.savedByCache.calls) return [];
    const usd = (n: number) => `$${n.toFixed(4)}`;
    return [
      '',
      `LLM: ${s.calls} call(s), ${s.spent.inputTokens} input + ${s.spent.outputTokens} output tokens, ${usd(s.spent.costUsd)}`,
      `     ${s.savedByCache.calls} call(s) saved by the cache (${s.savedByCache.inputTokens} input + ${s.savedByCache.outputTokens} output tokens, ${usd(s.savedByCache.costUsd)})`,
    ];
  },
};
