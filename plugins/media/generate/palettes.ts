/** Hand-picked palettes for generated visuals: a dark-to-light background ramp and three accents. */
export interface Palette {
  name: string;
  /** Background ramp, from the deepest colour to the brightest. */
  bg: [string, string, string];
  accents: [string, string, string];
}

export const PALETTES: readonly Palette[] = [
  { name: 'sunset', bg: ['#1a0b2e', '#6a1b4d', '#f06c4b'], accents: ['#ffb347', '#ff6f91', '#ffd86b'] },
  { name: 'ocean', bg: ['#021b2e', '#04506b', '#0a8f9c'], accents: ['#5ef2d6', '#2ec4ff', '#b9fbc0'] },
  { name: 'forest', bg: ['#0b1f17', '#1d4d3a', '#4f8a5b'], accents: ['#c6f68d', '#8fd694', '#f7d488'] },
  { name: 'neon', bg: ['#0d0221', '#240b57', '#0f3b7a'], accents: ['#ff2a6d', '#05d9e8', '#d1f7ff'] },
  { name: 'peach', bg: ['#3a1c32', '#a4508b', '#ffb199'], accents: ['#ffd6a5', '#fdffb6', '#ff9aa2'] },
  { name: 'ember', bg: ['#120907', '#5c1a0b', '#c2410c'], accents: ['#fbbf24', '#f97316', '#fde68a'] },
  { name: 'lavender', bg: ['#1e1b4b', '#4c1d95', '#a78bfa'], accents: ['#f0abfc', '#c4b5fd', '#67e8f9'] },
  { name: 'mint', bg: ['#042f2e', '#0f766e', '#2dd4bf'], accents: ['#ccfbf1', '#fef08a', '#99f6e4'] },
  { name: 'royal', bg: ['#0a0f2c', '#1e3a8a', '#3b82f6'], accents: ['#facc15', '#93c5fd', '#f472b6'] },
  { name: 'rose', bg: ['#2d0a1f', '#831843', '#f472b6'], accents: ['#fde68a', '#fbcfe8', '#a5f3fc'] },
  { name: 'gold', bg: ['#1c1410', '#5b3a12', '#b7791f'], accents: ['#fde047', '#fbbf24', '#fef3c7'] },
  { name: 'arctic', bg: ['#0c1a2b', '#1e4e79', '#6fb3d9'], accents: ['#a5f3fc', '#bde0fe', '#ffb703'] },
];

/** Mixes two `#rrggbb` colours; `t` = 0 gives `a`, 1 gives `b`. */
export function mix(a: string, b: string, t: number): string {
  const pa = parse(a);
  const pb = parse(b);
  const c = pa.map((v, i) => Math.round(v + (pb[i]! - v) * t));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

function parse(hex: string): number[] {
  const h = hex.replace('#', '');
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
}
