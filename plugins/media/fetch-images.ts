/**
 * media.fetchImages: images (or short clips) for a list of queries, from a generator, a local
 * folder, Pexels, Pixabay or an OpenAI-compatible image endpoint, normalised to the target
 * aspect and size, with attribution.
 */
import { definePlugin } from 'mpv2/plugin';
import type { StepContext } from 'mpv2/plugin';
import { mpv2Error } from 'mpv2/plugin';
import { attributionText } from './attribution.js';
import { displayText } from './generate/keywords.js';
import { collect } from './collect.js';
import { loadLibrary } from './library.js';
import { planSlots } from './plan.js';
import { generateProvider } from './providers/generate.js';
import { localProvider } from './providers/local.js';
import { openaiImagesProvider } from './providers/openai-images.js';
import { pexelsProvider } from './providers/pexels.js';
import { pixabayProvider } from './providers/pixabay.js';
import { fetchImagesInput, fetchImagesOutput } from './schema.js';
import { readSettings } from './settings.js';
import { TARGETS, type FetchImagesInput, type FetchImagesOutput, type Provider, type Slot } from './types.js';

async function providerFor(ctx: StepContext, input: FetchImagesInput, slots: Slot[], seed: string): Promise<Provider> {
  const settings = readSettings(ctx);
  const target = TARGETS[input.aspect];
  if (input.type !== 'photo' && (input.provider === 'generate' || input.provider === 'openai-images')) {
    throw mpv2Error('E_INPUT_INVALID', `provider "${input.provider}" makes images only; \`type: ${input.type}\` needs pexels, pixabay or local`);
  }
  switch (input.provider) {
    case 'generate': return generateProvider(target, { seed });
    case 'local': return localProvider(ctx, input.path, slots);
    case 'pexels': return pexelsProvider(ctx, settings, slots, input.aspect, target);
    case 'pixabay': return pixabayProvider(ctx, settings, slots, input.aspect, target);
    case 'openai-images': return openaiImagesProvider(ctx, settings, input.aspect);
  }
}

/** With a script, a candidate must share at least one of its sentence's (up to three) keywords. */
const DEFAULT_SCRIPT_RELEVANCE = 0.3;

export default definePlugin<FetchImagesInput, FetchImagesOutput>({
  id: 'media.fetchImages',
  // the user's OpenAI key serves image generation too (PEXELS_ and PIXABAY_API_KEY are media's own)
  secrets: ['OPENAI_API_KEY'],
  version: '1.0.0',
  description: 'Images or short clips for a list of queries (generated offline, local folder, Pexels, Pixabay, OpenAI-compatible), cropped to the video aspect, with attribution',
  input: fetchImagesInput,
  output: fetchImagesOutput,
  effect: false,
  pure: true,
  defaults: { cache: '7d' },
  async run(ctx, input) {
    const { slots, seed } = planSlots(input);
    const provider = await providerFor(ctx, input, slots, seed);
    const settings = readSettings(ctx);
    const libraryPath = input.library ?? settings.library;
    const files = await collect(ctx, slots, provider, {
      provider: input.provider,
      target: TARGETS[input.aspect],
      fit: input.fit,
      position: input.position,
      background: input.background,
      format: input.format,
      maxInputPixels: settings.maxInputPixels,
      minInputSide: settings.minInputSide,
      concurrency: input.concurrency,
      tries: settings.tries,
      maxRetryDelayMs: settings.maxRetryDelayMs,
      mixed: input.type === 'mixed',
      minRelevance: input.minRelevance ?? (input.script === undefined ? 0 : DEFAULT_SCRIPT_RELEVANCE),
      library: libraryPath ? await loadLibrary(ctx, libraryPath) : [],
      requery: input.provider === 'pexels' || input.provider === 'pixabay',
    });
    // generated stills are text-free; their keyword travels as `title`, which video.render
    // draws over the scene and fades out before each crossfade (no two titles on top of each other)
    const titled = input.provider === 'generate' && input.text
      ? files.map((f) => { const title = displayText(f.query).text; return title ? { ...f, title } : f; })
      : files;
    return { files: titled, attribution: attributionText(titled) };
  },
});
