/**
 * Renders one generated visual: palette and style from the seed, SVG background and film
 * grain. Same seed and size → the same PNG bytes. The still carries no text: a title baked
 * into it would show twice during every crossfade (two stills blended), so the keyword is
 * drawn by video.render as an overlay timed to its scene (plugins/video/scene-titles.ts).
 */
import { loadSharp } from 'mpv2/plugin';
import { createRng } from '../random.js';
import { PALETTES } from './palettes.js';
import { buildScene, STYLES, type SceneStyle } from './scene.js';
import { grainOverlay } from './texture.js';

export interface RenderSpec {
  seed: string;
  width: number;
  height: number;
  /** Picks the layer style (cycled), so consecutive images of a step differ; else from the seed. */
  variant?: number;
}

export interface RenderResult {
  png: Buffer;
  palette: string;
  style: SceneStyle;
}

export async function renderVisual(spec: RenderSpec): Promise<RenderResult> {
  const { width: W, height: H } = spec;
  const rng = createRng(`visual:${spec.seed}`);
  const palette = rng.pick(PALETTES);
  const picked = rng.pick(STYLES);
  const style = spec.variant === undefined ? picked : STYLES[spec.variant % STYLES.length]!;
  const svg = buildScene({ width: W, height: H, palette, style, rng });
  const overlays = [await grainOverlay(W, H, spec.seed, 0.2)];
  const sharp = await loadSharp();
  const png = await sharp(Buffer.from(svg))
    .composite(overlays)
    .removeAlpha()
    .png({ compressionLevel: 6 })
    .toBuffer();
  return { png, palette: palette.name, style };
}
