/**
 * A fonts-only folder for libass (`ass=…:fontsdir=`) and drawtext: libass loads every file in
 * it, so it must hold fonts and nothing else. The fonts come from npm packages (Montserrat,
 * DejaVu Sans), so captions look the same on every machine.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { hashValue } from 'mpv2/plugin';
import { mpv2Error } from 'mpv2/plugin';

const require = createRequire(import.meta.url);

/** The shipped fonts: npm package, file inside it. */
const SHIPPED: Array<[string, string]> = [
  ['@expo-google-fonts/montserrat', '800ExtraBold/Montserrat_800ExtraBold.ttf'],
  ['@expo-google-fonts/montserrat', '900Black/Montserrat_900Black.ttf'],
  ['@expo-google-fonts/montserrat', '700Bold/Montserrat_700Bold.ttf'],
  ['dejavu-fonts-ttf', 'ttf/DejaVuSans-Bold.ttf'],
  ['dejavu-fonts-ttf', 'ttf/DejaVuSans.ttf'],
];

/** Families available without a `fontFile`. */
export const SHIPPED_FAMILIES = ['Montserrat ExtraBold', 'Montserrat Black', 'Montserrat', 'DejaVu Sans'];

function shippedFiles(): string[] {
  const files: string[] = [];
  for (const [pkg, file] of SHIPPED) {
    try {
      const p = join(dirname(require.resolve(`${pkg}/package.json`)), file);
      if (existsSync(p)) files.push(p);
    } catch {
      // a missing package only loses that font; the check below needs at least one
    }
  }
  return files;
}

/**
 * Prepares `<root>/.mpv2/fonts/<hash>/` (once; later calls reuse it) with the shipped fonts
 * plus `extra` font files. Returns the folder and the path of the main caption font file.
 */
export function prepareFonts(root: string, extra: string[] = []): { dir: string; mainFont: string; files: string[] } {
  const files = [...shippedFiles(), ...extra];
  if (files.length === 0) {
    throw mpv2Error('E_DEPENDENCY_MISSING', 'no caption fonts found', {
      hint: 'reinstall mpv2 (it depends on @expo-google-fonts/montserrat and dejavu-fonts-ttf), or give captionStyle.fontFile',
    });
  }
  for (const f of extra) {
    if (!existsSync(f) || !/\.(ttf|otf|ttc)$/i.test(f)) {
      throw mpv2Error('E_FILE', `font file ${f} does not exist or is not a .ttf/.otf/.ttc file`);
    }
  }
  const key = hashValue(files.map((f) => [basename(f), statSync(f).size])).slice(0, 12);
  const dir = join(root, '.mpv2', 'fonts', key);
  if (!existsSync(dir)) {
    // build beside and rename, so two renders starting together never see half a folder
    const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
    mkdirSync(tmp, { recursive: true });
    for (const f of files) copyFileSync(f, join(tmp, basename(f)));
    try {
      renameSync(tmp, dir);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(dir)) throw mpv2Error('E_FILE', `could not prepare the fonts folder ${dir}`, { cause: e });
    }
  }
  return { dir, mainFont: join(dir, basename(files[0]!)), files: files.map((f) => join(dir, basename(f))) };
}
