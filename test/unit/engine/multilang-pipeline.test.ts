/** The shipped multilingual pipeline validates: `language:` per item on llm, tts and video steps. */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { resolvePipeline } from '../../../src/engine/resolve.js';
import { PluginRegistry } from '../../../src/plugin/registry.js';

it('pipelines/youtube-multilang.yaml validates, each per-language step with its language expression', async () => {
  const root = join(import.meta.dirname, '..', '..', '..');
  const registry = await PluginRegistry.create({ root });
  const p = await resolvePipeline({ file: join(root, 'pipelines', 'youtube-multilang.yaml'), root, registry });
  expect(p.stepById.get('script')!.language).toBe('en');
  for (const id of ['translate', 'voice', 'video']) expect(p.stepById.get(id)!.languageExpr).toBeDefined();
}, 60_000);
