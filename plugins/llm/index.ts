/** The llm namespace. Other plugins call the provider layer through `ctx.services.llm.complete` (./services.ts). */
import generate from './generate.js';

export type { LlmMessage, LlmRequest, LlmResult, LlmUsage, ProviderRef } from './types.js';

export default [generate];
