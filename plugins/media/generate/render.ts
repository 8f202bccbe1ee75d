/**
 * Renders one generated visual: palette and style from the seed, SVG background, film grain,
 * an accent bar and the keyword title in the upper third. Same seed, query and size → the
 * same PNG bytes.
 */
import { loadSharp } from 'mpv2/plugin';
import { createRng } from '../random.js';
import { PALETTES } from './palettes.js';
import { buildScene, STYLES, type SceneStyle } from './scene.js';
import { grainOverlay } from './texture.js';
import { displayText } from './keywords.js';
import { renderTitle } from './title.js';

export interface RenderSpec {
  query: string;
  seed: string;
  width: number;
  height: number;
  /** Set the query's keywords in type. @default true */
  text?: boolean;
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
  const S = Math.min(W, H);
  const portrait = H > W;
  if (spec.text !== false) {
    const { text } = displayText(spec.query);
    const box = {
      left: Math.round(W * 0.09),
      top: Math.round(H * (portrait ? 0.15 : 0.12)),
      width: Math.round(W * 0.82),
      height: Math.round(H * (portrait ? 0.27 : 0.34)),
      fontPx: Math.round(S * (portrait ? 0.14 : 0.12)),
    };
    const title = await renderTitle(text, '#ffffff', box);
    if (title.overlays.length > 0) {
      const bar = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${Math.round(S * 0.12)}" height="${Math.round(S * 0.012)}">` +
        `<rect width="100%" height="100%" rx="${Math.round(S * 0.006)}" fill="${palette.accents[0]}"/></svg>`);
      overlays.push({ input: bar, left: Math.round((W - S * 0.12) / 2), top: Math.round(title.top - S * 0.045) });
      overlays.push(...title.overlays);
    }
  }
  const sharp = await loadSharp();
  const png = await sharp(Buffer.from(svg))
    .composite(overlays)
    .removeAlpha()
    .png({ compressionLevel: 6 })
    .toBuffer();
  return { png, palette: palette.name, style };
}
