/**
 * The display font of generated visuals: Montserrat ExtraBold from the npm package
 * @expo-google-fonts/montserrat, passed to pango as a font file (works whatever fontconfig
 * was initialised with), else DejaVu Sans Bold, which every machine here has.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface DisplayFont {
  /** Pango family + weight, e.g. `Montserrat ExtraBold`. */
  family: string;
  /** A TTF to load, when the family is not a system font. */
  file?: string;
}

let cached: DisplayFont | undefined;

export function displayFont(): DisplayFont {
  if (cached) return cached;
  const req = createRequire(import.meta.url);
  try {
    const dir = dirname(req.resolve('@expo-google-fonts/montserrat/package.json'));
    const file = join(dir, '800ExtraBold', 'Montserrat_800ExtraBold.ttf');
    if (existsSync(file)) return (cached = { family: 'Montserrat ExtraBold', file });
  } catch {
    // not installed: fall through to DejaVu
  }
  try {
    const file = join(dirname(req.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans-Bold.ttf');
    if (existsSync(file)) return (cached = { family: 'DejaVu Sans Bold', file });
  } catch {
    // use the system DejaVu below
  }
  return (cached = { family: 'DejaVu Sans Bold' });
}
