/**
 * sharp, imported on first use: loading it (and libvips) costs ~65 ms, and most runs (every
 * cached one) never touch an image. Callers keep their types with `import type … from 'sharp'`.
 */
import type sharp from 'sharp';

let loaded: Promise<typeof sharp> | undefined;

export function loadSharp(): Promise<typeof sharp> {
  return (loaded ??= import('sharp').then((m) => m.default));
}
