/** Builds the provider a step asked for. */
import type { StepContext } from 'mpv2/plugin';
import type { EspeakEngine, ProviderId, TtsConfig } from './config.js';
import { createEdgeProvider } from './edge.js';
import { createElevenLabsProvider } from './elevenlabs.js';
import { createEspeakProvider } from './espeak.js';
import { createOpenAiProvider } from './openai.js';
import type { TtsProvider } from './provider.js';

export async function createProvider(id: ProviderId, cfg: TtsConfig, ctx: StepContext, engine: EspeakEngine): Promise<TtsProvider> {
  switch (id) {
    case 'espeak-ng': return createEspeakProvider(cfg, engine, ctx.log);
    case 'edge': return createEdgeProvider(cfg);
    case 'elevenlabs': return createElevenLabsProvider(cfg, ctx);
    case 'openai': return createOpenAiProvider(cfg, ctx);
  }
}
