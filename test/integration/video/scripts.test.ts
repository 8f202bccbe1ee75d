/**
 * Captions in every script, through libass as video.render burns them (its `ass` filter, the
 * fonts folder, the ASS script buildAss writes): no empty boxes (tofu) for Arabic, Hebrew,
 * Japanese, Hindi and Thai, and an RTL karaoke line laid out as one bidi paragraph whose
 * pixels differ between highlight steps only in colour, never in place.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from 'mpv2/plugin';
import { buildAss } from '../../../plugins/video/ass.js';
import { resolveCaptionStyle } from '../../../plugins/video/caption-style.js';
import { prepareFonts } from '../../../plugins/video/fonts.js';
import { planCaptionFonts } from '../../../plugins/video/scripts.js';
import { renderInput, type CaptionStyleInput } from '../../../plugins/video/render-schema.js';
import { withDefaults } from '../../helpers/inputs.js';

/** `captionStyle` as `run` gets it: the schema's defaults filled. */
const captionStyle = (given: Record<string, unknown>): CaptionStyleInput => withDefaults(renderInput.properties.captionStyle, given);

const W = 360;
const H = 240;
const root = mkdtempSync(join(tmpdir(), 'mpv2-scripts-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fonts = prepareFonts(root);

const words = (text: string, step = 1) => text.split(' ').map((t, i) => ({ text: t, start: i * step, end: (i + 1) * step }));

/** The frame at `t` seconds as grey bytes: captions drawn white/yellow over black. */
async function frame(ass: string, t: number, name: string): Promise<Buffer> {
  const file = join(root, `${name}.ass`);
  writeFileSync(file, ass);
  const png = join(root, `${name}-${t}.png`);
  await runProcess('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=black:s=${W}x${H}:d=6`, '-ss', String(t), '-vf', `ass=filename=${file}:fontsdir=${fonts.dir}`, '-frames:v', '1', png]);
  // through a file: the process runner's stdout is text, raw pixels are bytes
  await runProcess('ffmpeg', ['-v', 'error', '-y', '-i', png, '-f', 'rawvideo', '-pix_fmt', 'gray', `${png}.gray`]);
  return readFileSync(`${png}.gray`);
}

async function render(text: string, language: string, t = 0.5, colors?: { highlight: string }) {
  const style = resolveCaptionStyle(captionStyle({ style: 'karaoke', uppercase: false, outline: 0, size: 180, position: 'center', ...(colors && { colors }) }), W, H);
  const plan = await planCaptionFonts(text, { family: style.font, mainFile: fonts.mainFont, ownFiles: fonts.files });
  const ass = buildAss(words(text), { ...style, font: plan.family, shadow: 0 }, W, H, 6, { language, bold: plan.scriptFont });
  return { ass, plan, pixels: await frame(ass, t, `${language}-${t}-${colors ? 'mono' : 'hl'}`) };
}

/** Distinct glyph shapes: a tofu box of each missing glyph looks the same; real glyphs differ. */
const inked = (px: Buffer) => px.reduce((n, v) => n + (v > 60 ? 1 : 0), 0);

const SAMPLES: Array<[string, string]> = [
  ['ar', 'مرحبا بالعالم الجميل'],
  ['he', 'שלום עולם יפה'],
  ['ja', 'こんにちは世界、今日は'],
  ['hi', 'नमस्ते दुनिया सुंदर'],
  ['th', 'สวัสดีชาวโลกที่สวยงาม'],
];

/** Each distinct character in its own 40×40 cell of one frame, in the planned font. */
async function glyphCells(text: string, lang: string): Promise<Buffer[]> {
  const style = resolveCaptionStyle(captionStyle({ style: 'classic', uppercase: false, outline: 0, size: 130 }), W, H);
  const plan = await planCaptionFonts(text, { family: style.font, mainFile: fonts.mainFont, ownFiles: fonts.files });
  const chars = [...new Set([...text].filter((c) => c.trim() !== '' && !/\p{M}/u.test(c)))]; // marks alone draw on no base
  const head = buildAss([], { ...style, font: plan.family, shadow: 0 }, W, H, 6, { bold: plan.scriptFont }).trimEnd();
  const events = chars.map((c, i) => `Dialogue: 0,0:00:00.00,0:00:05.00,Cap,,0,0,0,,{\\an5\\pos(${(i % 9) * 40 + 20},${Math.floor(i / 9) * 40 + 20})}${c}`);
  const px = await frame(`${head}\n${events.join('\n')}\n`, 0.5, `${lang}-cells`);
  return chars.map((_, i) => {
    const cell = Buffer.alloc(40 * 40);
    for (let y = 0; y < 40; y++) px.copy(cell, y * 40, (Math.floor(i / 9) * 40 + y) * W + (i % 9) * 40, (Math.floor(i / 9) * 40 + y) * W + (i % 9) * 40 + 40);
    return cell;
  });
}

describe('captions in every script', () => {
  it.each(SAMPLES)('%s: the font plan covers every character, and each character draws its own glyph (a missing one draws the same box)', async (lang, text) => {
    const cells = await glyphCells(text, lang);
    for (const c of cells) expect(inked(c)).toBeGreaterThan(4);
    const distinct = new Set(cells.map((c) => c.toString('base64')));
    expect(distinct.size).toBe(cells.length);
    const { plan, pixels } = await render(text, lang);
    expect(plan.scriptFont).toBe(true);
    expect(inked(pixels)).toBeGreaterThan(200);
  }, 60_000);

  it('Arabic and Hebrew karaoke: one bidi paragraph, the same layout at every highlight step, first word on the right', async () => {
    const cols = (px: Buffer, min = 60) => { const c: number[] = []; for (let x = 0; x < W; x++) { for (let y = 0; y < H; y++) if (px[y * W + x]! > min) { c.push(x); break; } } return c; };
    for (const [lang, text] of SAMPLES.filter(([l]) => l === 'ar' || l === 'he')) {
      // the shape of the line (lit pixels, white or yellow) must not move as the highlight does
      const steps = await Promise.all([0.5, 1.5, 2.5].map((t) => render(text, lang, t)));
      // where the spaces between words are: colour changes grey levels, never where words sit
      const gaps = (px: Buffer) => {
        const ink = new Set(cols(px, 8));
        const lo = Math.min(...ink); const hi = Math.max(...ink);
        const out: number[] = [];
        for (let x = lo, run = 0; x <= hi + 1; x++) {
          if (!ink.has(x) && x <= hi) run++;
          else { if (run >= 3) out.push(x - run / 2); run = 0; }
        }
        return { lo, hi, out };
      };
      const at = steps.map((st) => gaps(st.pixels));
      expect(at[0]!.out.length).toBe(text.split(' ').length - 1);
      for (const g of at.slice(1)) {
        expect(g.out.length).toBe(at[0]!.out.length);
        g.out.forEach((c, k) => expect(Math.abs(c - at[0]!.out[k]!)).toBeLessThanOrEqual(2));
        expect(Math.abs(g.lo - at[0]!.lo) + Math.abs(g.hi - at[0]!.hi)).toBeLessThanOrEqual(4);
      }
      // a dark highlight hides the spoken (first) word: what stays lit lies left of the line's middle
      const line = cols((await render(text, lang, 0.5, { highlight: '#FFFFFF' })).pixels);
      const rest = cols((await render(text, lang, 0.5, { highlight: '#000010' })).pixels);
      const mid = (c: number[]) => (c[0]! + c.at(-1)!) / 2;
      expect(rest.at(-1)!).toBeLessThan(line.at(-1)! - 10);
      expect(mid(rest)).toBeLessThan(mid(line));
    }
  }, 120_000);

  it('a character no font has is an error before rendering, naming it and the caption font; emoji are left out instead', async () => {
    const o = { family: 'Montserrat ExtraBold', mainFile: fonts.mainFont, ownFiles: fonts.files };
    await expect(planCaptionFonts('hello \u{10FFFD}', o)).rejects.toMatchObject({
      code: 'E_DEPENDENCY_MISSING', message: expect.stringMatching(/no caption font has a glyph for .* \(U\+10FFFD\).*"Montserrat ExtraBold"/), hint: expect.stringContaining('captionStyle.fontFile'),
    });
    expect((await planCaptionFonts('fire 🔥', o)).dropped).toEqual(['🔥']);
    // a script without its own table entry is fine when fontconfig has a font for it (libass falls back to it)
    expect((await planCaptionFonts('ሰላም', o)).family).toBe('Montserrat ExtraBold');
  });
});
