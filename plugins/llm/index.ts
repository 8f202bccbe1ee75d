/** The llm namespace. Other plugins call the provider layer through `complete()`. */
import generate from './generate.js';

export { complete } from './complete.js';
export type { LlmMessage, LlmRequest, LlmResult, LlmUsage, ProviderRef } from './types.js';

export default [generate];
