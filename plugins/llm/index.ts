/** The llm namespace. Other plugins call the provider layer through `ctx.services.llm.complete` (./services.ts). */
import { defineNamespace } from 'mpv2/plugin';
import { checkProviders } from './check.js';
import { llmConfigSchema } from './config.js';
import generate from './generate.js';
import { PRESETS } from './presets.js';
import { usageReport } from './usage.js';

export type { LlmMessage, LlmRequest, LlmResult, LlmUsage, ProviderRef } from './types.js';

export default [generate];

export const namespace = defineNamespace({
  namespace: 'llm',
  config: {
    schema: llmConfigSchema,
    // each preset's key variable (MISTRAL_API_KEY …) fills that provider's key
    env: Object.fromEntries(Object.entries(PRESETS).flatMap(([name, p]) => (p.keyEnv ? [[p.keyEnv, `providers.${name}.apiKey`]] : []))),
  },
  reportLines: usageReport,
  doctorChecks: checkProviders,
});
