/** The driver for each provider type. */
import type { ProviderDriver, ResolvedProvider } from '../types.js';
import { mistralDriver } from './mistral.js';
import { ollamaDriver } from './ollama.js';
import { openaiDriver } from './openai.js';

export const DRIVERS: Record<ResolvedProvider['type'], ProviderDriver> = {
  mistral: mistralDriver,
  openai: openaiDriver,
  ollama: ollamaDriver,
};
