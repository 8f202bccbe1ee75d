/**
 * The brand kit (issue 17, item 5): the logo is drawn by the render's own pass (one ffmpeg
 * encode) at its corner of the safe area in every frame and nowhere else, with its opacity;
 * the brand's caption colours reach the burned captions. Frames of a branded render are
 * compared with the same render without the brand.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import sharp from 'sharp';
import render from '../../../plugins/video/render.js';
import { namespace } from '../../../plugins/video/index.js';
import { makeTestContext } from '../../helpers/context.js';
import { baseInput, makeImage, spreadWords, tempRoot } from './fixtures.js';
import { diffOutside, frameAt, meanRgb, type Box, type Frame } from './probe.js';


/** Pure green pixels (the brand's caption colour) inside a box. */
function greenPixels(f: Frame, b: Box): number {
  let n = 0;
  for (let y = b.y0; y < b.y1; y++) for (let x = b.x0; x < b.x1; x++) {
    const i = (y * f.width + x) * 3;
    if (f.data[i + 1]! > 200 && f.data[i]! < 70 && f.data[i + 2]! < 70) n++;
  }
  return n;
}

describe('video.render brand kit', () => {
  it('overlays the logo in its safe-area corner of every frame, with its opacity, and colours the captions, in one encode', async () => {
    const root = tempRoot();
    const images = await Promise.all([0, 1, 2].map((i) => makeImage(join(root, 'in', `s${i}.jpg`), i, 540, 960)));
    // an opaque magenta square: nothing in the stills is that colour
    await sharp({ create: { width: 64, height: 64, channels: 4, background: '#FF00FF' } }).png().toFile(join(root, 'in', 'logo.png'));
    const captions = spreadWords(['brand', 'new', 'look', 'here'], 2.5);
    const input = (output: string, brand?: unknown, thumbnail = false) => baseInput({ images, captions, output, durationSec: 2.5, quality: 'draft', thumbnail, contactSheet: false, ...(brand !== undefined && { brand }) });
    // the config names the logo and the colours; the step moves it to the other corner
    const config = { brand: { logo: { file: 'in/logo.png', position: 'top-left', size: 0.2, opacity: 1 }, colors: { text: '#00FF00', highlight: '#00FF00' } } };
    const ctx = makeTestContext({ namespace, root, config });
    const branded = await render.run(ctx, input('branded.mp4', { logo: { position: 'top-right' } }, true));
    const half = await render.run(makeTestContext({ namespace, root, config }), input('half.mp4', { logo: { position: 'top-right', opacity: 0.5 } }));
    const plain = await render.run(makeTestContext({ namespace, root }), input('plain.mp4'));

    // one encode: one ffmpeg pass wrote the video, and its graph holds the overlay
    const passes = ctx.logs.filter((l) => l.message === 'ffmpeg' && (l.fields?.args as string[]).includes('+faststart'));
    expect(passes).toHaveLength(1);
    const args = passes[0]!.fields!.args as string[];
    expect(args.filter((a) => a.endsWith('.mp4'))).toEqual(['branded.mp4']);
    expect(args[args.indexOf('-filter_complex') + 1]).toMatch(/overlay=x=351:y=58/);

    // 540x960: 108 px wide (0.2), right edge 15 % in from the right (Shorts buttons), top 6 % down
    const logo = { x0: 351, y0: 58, x1: 459, y1: 166 };
    const inner = { x0: logo.x0 + 4, y0: logo.y0 + 4, x1: logo.x1 - 4, y1: logo.y1 - 4 };
    const capBand = { x0: 0, y0: 600, x1: 540, y1: 800 };
    for (const t of [0.2, 1.0, 1.7, 2.4]) {
      const [b, h, p] = [await frameAt(branded.file, t), await frameAt(half.file, t), await frameAt(plain.file, t)];
      const [br, bg, bb] = meanRgb(b, inner);
      expect(br, `logo red at ${t}s`).toBeGreaterThan(235);
      expect(bb, `logo blue at ${t}s`).toBeGreaterThan(235);
      expect(bg, `logo green at ${t}s`).toBeLessThan(25);
      // at 0.5 opacity the logo is half way between the picture and magenta
      const [hr, , ] = meanRgb(h, inner);
      const [pr] = meanRgb(p, inner);
      expect((hr - pr) / (br - pr), `half opacity at ${t}s`).toBeGreaterThan(0.35);
      expect((hr - pr) / (br - pr), `half opacity at ${t}s`).toBeLessThan(0.65);
      // nothing of the logo at the config's corner (the step moved it) nor anywhere else
      expect(diffOutside(b, p, [{ x0: logo.x0 - 8, y0: logo.y0 - 8, x1: logo.x1 + 8, y1: logo.y1 + 8 }, capBand]), `outside the logo at ${t}s`).toBeLessThan(1.5);
      expect(greenPixels(p, capBand)).toBe(0);
    }
    // the thumbnail (a small call of its own) carries the logo where the video has it
    const thumb = await sharp(branded.thumbnail!).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const [tr, tg, tb] = meanRgb({ data: thumb.data, width: thumb.info.width, height: thumb.info.height }, inner);
    expect([tr > 220, tg < 40, tb > 220]).toEqual([true, true, true]);
    // the brand's caption colour is the colour the captions are burned in
    const counts = await Promise.all([0.3, 1.0, 1.6, 2.2].map(async (t) => greenPixels(await frameAt(branded.file, t), { x0: 0, y0: 600, x1: 540, y1: 800 })));
    for (const c of counts) expect(c).toBeGreaterThan(200);
  }, 120_000);
});
