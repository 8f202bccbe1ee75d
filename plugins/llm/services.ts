/**
 * What the llm namespace offers other plugins: `ctx.services.llm.complete(request)` (declare
 * `uses: ['llm']`). The engine calls it with the llm namespace's own config and keys, so the
 * caller never sees them, and with the calling step's cache, limits, signal, log and progress,
 * so its calls are cached, limited, interrupted and counted in the run report like llm.generate's.
 */
import type { ServiceFn, StepContext } from 'mpv2/plugin';
import { complete } from './complete.js';
import type { LlmRequest } from './types.js';

export const llmServices = {
  complete: (ctx: StepContext, req: LlmRequest) => complete(ctx, req),
} satisfies Record<string, ServiceFn>;
