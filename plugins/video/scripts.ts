/**
 * Caption fonts for every script, checked before rendering: the text's characters must each be
 * in the caption font or in a fallback font libass can reach, else the render would draw empty
 * boxes (tofu). Coverage is read from the fonts' own cmaps through fontconfig (`fc-query`,
 * `fc-list`, installed with libass's fontconfig); the script fonts are Debian's Noto families
 * (`fonts-noto-core`, `fonts-noto-cjk`: the npm font packages that fit ship woff/woff2 only or
 * are tens of MB each; docs/dependencies.md).
 */
import { runProcess, mpv2Error } from 'mpv2/plugin';

/** A script the shipped Latin fonts lack, and the Noto family that draws it. */
export interface ScriptFont {
  script: string;
  test: RegExp;
  family: string;
  /** The Debian package holding the family. */
  debian: string;
}

export const SCRIPT_FONTS: readonly ScriptFont[] = [
  { script: 'Arabic', test: /\p{Script=Arabic}/u, family: 'Noto Sans Arabic', debian: 'fonts-noto-core' },
  { script: 'Hebrew', test: /\p{Script=Hebrew}/u, family: 'Noto Sans Hebrew', debian: 'fonts-noto-core' },
  { script: 'Devanagari', test: /\p{Script=Devanagari}/u, family: 'Noto Sans Devanagari', debian: 'fonts-noto-core' },
  { script: 'Thai', test: /\p{Script=Thai}/u, family: 'Noto Sans Thai', debian: 'fonts-noto-core' },
  { script: 'Hangul', test: /\p{Script=Hangul}/u, family: 'Noto Sans CJK KR', debian: 'fonts-noto-cjk' },
  { script: 'Japanese/Chinese', test: /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u, family: 'Noto Sans CJK JP', debian: 'fonts-noto-cjk' },
];

type Ranges = Array<[number, number]>;
const charsets = new Map<string, Promise<Ranges>>();

/** The code points a font file covers (every face of a collection), from its cmap via fc-query. */
export function fontCharset(file: string, signal?: AbortSignal): Promise<Ranges> {
  let p = charsets.get(file);
  if (!p) {
    p = runProcess('fc-query', ['--format', '%{charset}\n', file], { name: 'fc-query', signal, timeoutMs: 30_000 })
      .then((r) => r.stdout.split(/\s+/).filter(Boolean).map((range): [number, number] => {
        const [a, b = a] = range.split('-');
        return [parseInt(a!, 16), parseInt(b!, 16)];
      }), (e) => {
        charsets.delete(file);
        throw fontToolsMissing(e);
      });
    charsets.set(file, p);
  }
  return p;
}

/** Font files of a family fontconfig knows (what libass's fallback reaches), bold faces first. */
export async function familyFiles(family: string, signal?: AbortSignal): Promise<string[]> {
  const r = await runProcess('fc-list', ['-f', '%{style[0]}\t%{file}\n', `:family=${family}`], { name: 'fc-list', signal, timeoutMs: 30_000 })
    .catch((e: unknown) => { throw fontToolsMissing(e); });
  const rows = r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t') as [string, string]);
  rows.sort((a, b) => Number(/bold/i.test(b[0])) - Number(/bold/i.test(a[0])));
  return [...new Set(rows.map(([, f]) => f))];
}

function fontToolsMissing(cause: unknown) {
  return mpv2Error('E_DEPENDENCY_MISSING', 'fontconfig tools (fc-query, fc-list) are needed to check that the caption fonts cover the text', {
    hint: 'install fontconfig (Debian: apt-get install fontconfig; it comes with ffmpeg\'s libass)', cause,
  });
}

/** Whether any font fontconfig knows has a glyph for `cp`. */
async function anyFontHas(cp: number, signal?: AbortSignal): Promise<boolean> {
  const r = await runProcess('fc-list', ['-f', '%{file}\n', `:charset=${cp.toString(16)}`], { name: 'fc-list', signal, timeoutMs: 30_000 })
    .catch((e: unknown) => { throw fontToolsMissing(e); });
  return r.stdout.trim() !== '';
}

const covers = (ranges: Ranges, cp: number) => ranges.some(([a, b]) => cp >= a && cp <= b);

/** Characters that need a glyph: not spaces, controls, joiners or direction marks. */
function drawn(text: string): number[] {
  const cps = new Set<number>();
  for (const ch of text) if (!/[\s\p{Cc}\p{Cf}]/u.test(ch)) cps.add(ch.codePointAt(0)!);
  return [...cps];
}

export interface CaptionFontPlan {
  /** The family the caption style names: the caption font, or the script's font when it lacks the script. */
  family: string;
  /** Whether `family` is a script font (drawn in its bold face by the style). */
  scriptFont: boolean;
  /** Emoji no font has: left out of the burned captions (libass draws no colour emoji), kept in the .srt/.vtt. */
  dropped: string[];
}

const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F/u;

/** `text` without the emoji in `dropped` (and their variation selectors and joiners). */
export function withoutEmoji(text: string, dropped: readonly string[]): string {
  if (dropped.length === 0) return text;
  const gone = new Set(dropped);
  return [...text].filter((c) => !gone.has(c) && c !== '\uFE0F' && c !== '\u200D').join('').replace(/\s{2,}/g, ' ').trim();
}

/**
 * Picks the caption family for `text` and proves every drawn character has a glyph in the
 * caption font files (`ownFiles`, the fonts folder) or in a script font; throws naming the
 * characters, the font and the package that draws them otherwise.
 */
export async function planCaptionFonts(text: string, o: { family: string; mainFile: string; ownFiles: string[]; signal?: AbortSignal }): Promise<CaptionFontPlan> {
  const cps = drawn(text);
  const main = await fontCharset(o.mainFile, o.signal);
  const missingInMain = cps.filter((cp) => !covers(main, cp));
  if (missingInMain.length === 0) return { family: o.family, scriptFont: false, dropped: [] };
  const pool: Ranges[] = [main];
  for (const f of o.ownFiles) if (f !== o.mainFile) pool.push(await fontCharset(f, o.signal));
  let family = o.family;
  let scriptFont = false;
  const absent: ScriptFont[] = [];
  for (const s of SCRIPT_FONTS) {
    if (!missingInMain.some((cp) => s.test.test(String.fromCodePoint(cp)))) continue;
    const files = await familyFiles(s.family, o.signal);
    if (files.length === 0) { absent.push(s); continue; }
    pool.push(await fontCharset(files[0]!, o.signal));
    // the first script the caption font lacks sets the line's font; others are libass fallbacks
    if (!scriptFont) { family = s.family; scriptFont = true; }
  }
  const uncovered: number[] = [];
  for (const cp of missingInMain) {
    // a script without a table entry (Ethiopic, Georgian…): libass's fallback takes any font fontconfig has for it
    if (!pool.some((r) => covers(r, cp)) && !(await anyFontHas(cp, o.signal))) uncovered.push(cp);
  }
  const dropped = uncovered.filter((cp) => EMOJI.test(String.fromCodePoint(cp))).map((cp) => String.fromCodePoint(cp));
  const missing = uncovered.filter((cp) => !EMOJI.test(String.fromCodePoint(cp)));
  if (missing.length > 0) {
    const list = missing.slice(0, 12).map((cp) => `${String.fromCodePoint(cp)} (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`).join(', ');
    const need = absent.filter((s) => missing.some((cp) => s.test.test(String.fromCodePoint(cp))));
    throw mpv2Error('E_DEPENDENCY_MISSING', `no caption font has a glyph for ${list}${missing.length > 12 ? ` and ${missing.length - 12} more` : ''}: the font "${o.family}" lacks them${need.length ? ` and the ${need.map((s) => `${s.script} font "${s.family}"`).join(', ')} is not installed` : ''}`, {
      hint: need.length
        ? `install ${[...new Set(need.map((s) => s.debian))].join(' ')} (Debian: apt-get install ${[...new Set(need.map((s) => s.debian))].join(' ')}), or give captionStyle.fontFile a font that has them`
        : 'give captionStyle.fontFile a .ttf/.otf font that has these characters',
    });
  }
  return { family, scriptFont, dropped };
}
