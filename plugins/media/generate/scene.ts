/**
 * The background of a generated visual as SVG: a gradient base and one of four layer styles
 * (aurora, waves, shapes, bokeh). Soft edges come from radial gradients, not blur filters,
 * which keeps rendering fast (about 0.1 s at 1080x1920). Nothing busy is placed in the
 * caption band (the lower-middle third), which gets a faint scrim instead.
 */
import type { Rng } from '../random.js';
import { mix, type Palette } from './palettes.js';

export const STYLES = ['aurora', 'waves', 'shapes', 'bokeh'] as const;
export type SceneStyle = (typeof STYLES)[number];

export interface SceneSpec {
  width: number;
  height: number;
  palette: Palette;
  style: SceneStyle;
  rng: Rng;
}

/** Vertical band (fractions of the height) kept calm for captions. */
export const CAPTION_BAND = { top: 0.56, bottom: 0.82 } as const;

const f = (n: number): string => n.toFixed(1);

class Defs {
  private readonly items: string[] = [];
  private n = 0;
  radial(color: string, opacity: number): string {
    const id = `r${this.n++}`;
    this.items.push(`<radialGradient id="${id}"><stop offset="0" stop-color="${color}" stop-opacity="${opacity.toFixed(3)}"/>` +
      `<stop offset="0.45" stop-color="${color}" stop-opacity="${(opacity * 0.45).toFixed(3)}"/><stop offset="1" stop-color="${color}" stop-opacity="0"/></radialGradient>`);
    return id;
  }
  linear(stops: Array<[number, string, number]>, x2 = 0, y2 = 1): string {
    const id = `l${this.n++}`;
    const s = stops.map(([o, c, a]) => `<stop offset="${o}" stop-color="${c}" stop-opacity="${a}"/>`).join('');
    this.items.push(`<linearGradient id="${id}" x1="0" y1="0" x2="${x2.toFixed(3)}" y2="${y2.toFixed(3)}">${s}</linearGradient>`);
    return id;
  }
  toString(): string {
    return `<defs>${this.items.join('')}</defs>`;
  }
}

/** A y position outside the caption band (fraction of the height), biased to the top half. */
function freeY(rng: Rng): number {
  const y = rng.next() < 0.7 ? rng.range(-0.05, CAPTION_BAND.top - 0.04) : rng.range(CAPTION_BAND.bottom + 0.03, 1.05);
  return y;
}

export function buildScene(spec: SceneSpec): string {
  const { width: W, height: H, palette: p, rng } = spec;
  const defs = new Defs();
  const layers: string[] = [];
  const S = Math.min(W, H);
  const angle = rng.range(-0.35, 0.35);
  const base = defs.linear([[0, p.bg[0], 1], [0.55, p.bg[1], 1], [1, mix(p.bg[2], p.bg[1], 0.25), 1]], Math.sin(angle), Math.cos(angle));
  layers.push(`<rect width="${W}" height="${H}" fill="url(#${base})"/>`);
  const blob = (cx: number, cy: number, rx: number, ry: number, color: string, a: number) => {
    const id = defs.radial(color, a);
    layers.push(`<ellipse cx="${f(cx)}" cy="${f(cy)}" rx="${f(rx)}" ry="${f(ry)}" fill="url(#${id})" transform="rotate(${f(rng.range(-40, 40))} ${f(cx)} ${f(cy)})"/>`);
  };
  const bokeh = (n: number, rMin: number, rMax: number, aMax: number) => {
    for (let i = 0; i < n; i++) {
      const r = rng.range(rMin, rMax) * S;
      const id = defs.radial(rng.pick(p.accents), rng.range(0.15, aMax));
      layers.push(`<circle cx="${f(rng.range(0, W))}" cy="${f(freeY(rng) * H)}" r="${f(r)}" fill="url(#${id})"/>`);
    }
  };

  // a glow of the brightest background colour behind the title gives depth
  blob(W * rng.range(0.3, 0.7), H * 0.28, 0.8 * S, 0.55 * S, p.bg[2], 0.45);

  if (spec.style === 'aurora') {
    for (let i = 0; i < 5; i++) blob(rng.range(-0.1, 1.1) * W, freeY(rng) * H, rng.range(0.45, 0.85) * S, rng.range(0.3, 0.6) * S, p.accents[i % 3]!, rng.range(0.35, 0.6));
    for (let i = 0; i < 4; i++) {
      const y0 = rng.range(0.05, 0.45) * H;
      const d = `M ${f(-0.1 * W)} ${f(y0)} C ${f(0.3 * W)} ${f(y0 + rng.range(-0.2, 0.2) * H)}, ${f(0.7 * W)} ${f(y0 + rng.range(-0.2, 0.2) * H)}, ${f(1.1 * W)} ${f(y0 + rng.range(-0.1, 0.1) * H)}`;
      layers.push(`<path d="${d}" fill="none" stroke="${rng.pick(p.accents)}" stroke-opacity="${rng.range(0.12, 0.3).toFixed(2)}" stroke-width="${f(rng.range(2, 5))}"/>`);
    }
    bokeh(16, 0.01, 0.05, 0.45);
  } else if (spec.style === 'waves') {
    blob(rng.range(0.25, 0.75) * W, rng.range(0.12, 0.3) * H, 0.7 * S, 0.7 * S, p.accents[0], 0.55);
    bokeh(10, 0.006, 0.025, 0.5);
    const layersN = 5;
    for (let i = 0; i < layersN; i++) {
      const t = i / (layersN - 1);
      const top = (CAPTION_BAND.bottom + 0.02 + t * 0.12) * H;
      const amp = rng.range(0.012, 0.03) * H;
      const phase = rng.range(0, Math.PI * 2);
      const waves = rng.range(1.2, 2.4);
      const pts: string[] = [];
      for (let x = 0; x <= 48; x++) {
        const px = (x / 48) * W;
        pts.push(`${f(px)},${f(top + amp * Math.sin(phase + (x / 48) * waves * Math.PI * 2))}`);
      }
      const color = mix(mix(p.bg[2], p.accents[i % 3]!, 0.35), p.bg[0], t * 0.85);
      layers.push(`<polygon points="${pts.join(' ')} ${W},${H} 0,${H}" fill="${color}" fill-opacity="${(0.55 + t * 0.45).toFixed(2)}"/>`);
    }
  } else if (spec.style === 'shapes') {
    for (let i = 0; i < 3; i++) blob(rng.range(0, 1) * W, freeY(rng) * H, 0.6 * S, 0.45 * S, p.accents[i]!, 0.35);
    for (let i = 0; i < 7; i++) {
      const cx = rng.range(-0.1, 1.1) * W;
      const cy = freeY(rng) * H;
      const s = rng.range(0.12, 0.4) * S;
      const g = defs.linear([[0, rng.pick(p.accents), rng.range(0.25, 0.45)], [1, p.bg[1], 0.02]], rng.range(-1, 1), 1);
      const rot = rng.range(0, 90);
      layers.push(rng.next() < 0.5
        ? `<rect x="${f(cx - s / 2)}" y="${f(cy - s / 2)}" width="${f(s)}" height="${f(s)}" rx="${f(s * 0.22)}" fill="url(#${g})" transform="rotate(${f(rot)} ${f(cx)} ${f(cy)})"/>`
        : `<circle cx="${f(cx)}" cy="${f(cy)}" r="${f(s / 2)}" fill="url(#${g})"/>`);
    }
    for (let i = 0; i < 3; i++) {
      layers.push(`<circle cx="${f(rng.range(0, W))}" cy="${f(freeY(rng) * H)}" r="${f(rng.range(0.15, 0.45) * S)}" fill="none" stroke="${p.accents[2]}" stroke-opacity="0.18" stroke-width="3"/>`);
    }
    bokeh(8, 0.008, 0.03, 0.5);
  } else {
    blob(rng.range(0.1, 0.9) * W, rng.range(0, 0.35) * H, 0.8 * S, 0.6 * S, p.accents[0], 0.4);
    blob(rng.range(0.1, 0.9) * W, rng.range(0.85, 1.05) * H, 0.8 * S, 0.5 * S, p.accents[1], 0.35);
    bokeh(26, 0.02, 0.09, 0.45);
    bokeh(30, 0.004, 0.015, 0.7);
  }

  // faint scrim behind the captions, then a vignette that pulls the eye to the centre
  const scrim = defs.linear([[0, '#000', 0], [0.45, '#000', 0.22], [1, '#000', 0]]);
  layers.push(`<rect y="${f((CAPTION_BAND.top - 0.08) * H)}" width="${W}" height="${f((CAPTION_BAND.bottom - CAPTION_BAND.top + 0.16) * H)}" fill="url(#${scrim})"/>`);
  const vig = `vg`;
  const vignette = `<radialGradient id="${vig}" cx="0.5" cy="0.45" r="0.75"><stop offset="0.55" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.55"/></radialGradient>`;
  layers.push(`<rect width="${W}" height="${H}" fill="url(#${vig})"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${defs.toString().replace('</defs>', `${vignette}</defs>`)}${layers.join('')}</svg>`;
}
