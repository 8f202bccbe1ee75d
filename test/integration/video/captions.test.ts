/** Burned-in captions seen in the pixels: present in the caption area, highlight moves with the words. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import sharp from 'sharp';
import render from '../../../plugins/video/render.js';
import { makeTestContext } from '../../helpers/context.js';
import { namespace } from '../../../plugins/video/index.js';
import { baseInput, tempRoot } from './fixtures.js';
import { centroidX, countByHalf, frameAt, regionDiff } from './probe.js';

async function grey(file: string): Promise<string> {
  await sharp({ create: { width: 1080, height: 1920, channels: 3, background: '#303030' } }).png().toFile(file);
  return file;
}

const isYellow = (r: number, g: number, b: number) => r > 180 && g > 150 && b < 90;

describe('video.render captions', () => {
  it('draws karaoke captions in the caption area and moves the highlight at each word start', async () => {
    const root = tempRoot();
    const images = [await grey(join(root, 'in', 'g.png'))];
    const captions = [{ text: 'LEFTWORD', start: 0.2, end: 1.4 }, { text: 'RIGHTWORD', start: 1.5, end: 2.8 }];
    const common = { images, durationSec: 3, quality: 'draft' as const, kenBurns: 1, thumbnail: false, contactSheet: false };
    const withCap = await render.run(makeTestContext({ namespace, root, stepId: 'a' }), baseInput({ ...common, captions }));
    const without = await render.run(makeTestContext({ namespace, root, stepId: 'b' }), baseInput({ ...common, captions, captionStyle: { style: 'none' } }));
    const a = await frameAt(withCap.file, 1.0);
    const b = await frameAt(without.file, 1.0);
    // bottom position: above the bottom 22 % of the frame (the Shorts UI), not in the top half
    expect(regionDiff(a, b, { x0: 0, y0: 0.6, x1: 1, y1: 0.8 }, a.height)).toBeGreaterThan(5);
    expect(regionDiff(a, b, { x0: 0, y0: 0, x1: 1, y1: 0.5 }, a.height)).toBeLessThan(1);
    expect(regionDiff(a, b, { x0: 0, y0: 0.8, x1: 1, y1: 1 }, a.height)).toBeLessThan(1);
    // the yellow (spoken) word is the left one at 1.0 s and the right one at 2.0 s
    const first = centroidX(a, isYellow);
    const second = centroidX(await frameAt(withCap.file, 2.0), isYellow);
    expect(first.count).toBeGreaterThan(200);
    expect(second.count).toBeGreaterThan(200);
    expect(second.x - first.x).toBeGreaterThan(a.width * 0.2);
    expect(without.srt).toBeDefined();
  });

  it.each(['pop', 'classic'] as const)('renders %s captions, emoji and right-to-left text without crashing libass', async (style) => {
    const root = tempRoot();
    const images = [await grey(join(root, 'in', 'g.png'))];
    const captions = [
      { text: '🔥🚀', start: 0, end: 0.5 }, { text: 'مرحبا', start: 0.5, end: 1 }, { text: 'שלום', start: 1, end: 1.5 },
      { text: '{\\b1}braces\\N', start: 1.5, end: 2 }, { text: 'naïve', start: 2, end: 2.5 },
    ];
    const out = await render.run(makeTestContext({ namespace, root }), baseInput({ images, durationSec: 3, quality: 'draft', kenBurns: 1, captions, captionStyle: { style, position: 'top' }, title: 'Émoji 🔥 title', contactSheet: false }));
    const f = await frameAt(out.file, 0.7);
    const [l, r] = countByHalf(f, (x, y, z) => x > 200 && y > 200 && z > 200);
    expect(l + r).toBeGreaterThan(100);
    expect(out.thumbnail).toBeDefined();
  });
});
