/** The llm namespace. Other plugins call the provider layer through `ctx.services.llm.complete` (./services.ts). */
import generate from './generate.js';

export { llmServices } from './services.js';
export type { LlmMessage, LlmRequest, LlmResult, LlmUsage, ProviderRef } from './types.js';

export default [generate];
