/**
 * Scene titles of generated visuals (issue 17, item 4): the stills carry no text, and the
 * render draws each keyword over its own scene only, so no crossfade shows two titles.
 * Frames of a render with titles are compared with the same render without them.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import render from '../../../plugins/video/render.js';
import { namespace } from '../../../plugins/video/index.js';
import { mediaConfigSchema } from '../../../plugins/media/config.js';
import { makeTestContext } from '../../helpers/context.js';
import { fetchImages } from '../../fixtures/media/helpers.js';
import { baseInput, spreadWords, tempRoot } from './fixtures.js';
import { frameAt, regionDiff } from './probe.js';

const TOP = { x0: 0, y0: 0.13, x1: 1, y1: 0.3 };
const CAPTIONS = { x0: 0, y0: 0.55, x1: 1, y1: 0.8 };
const WHOLE = { x0: 0, y0: 0, x1: 1, y1: 1 };

describe('video.render scene titles', () => {
  it('shows each generated visual\'s keyword over its own scene and none during a crossfade', async () => {
    const root = tempRoot();
    const queries = ['octopus oceans', 'three hearts', 'blue blood'];
    const media = (text: boolean) => fetchImages(makeTestContext({ configSchema: mediaConfigSchema, root }), { queries, seed: 7, text, format: 'png' });
    const [titled, plain] = [await media(true), await media(false)];
    // the stills are the same bytes either way: no title is baked into them
    expect(titled.files.map((f) => f.title)).toEqual(['OCTOPUS OCEANS', 'THREE HEARTS', 'BLUE BLOOD']);
    expect(plain.files.every((f) => f.title === undefined)).toBe(true);
    for (const [i, f] of titled.files.entries()) {
      expect((await sharp(f.path).raw().toBuffer()).equals(await sharp(plain.files[i]!.path).raw().toBuffer())).toBe(true);
    }
    // 6 s, 1 s crossfades centred on 2 s and 4 s; captions burned too, so titles share their script
    const captions = spreadWords(['eight', 'arms', 'three', 'hearts', 'and', 'blue', 'blood', 'too'], 6);
    const make = (images: unknown[], output: string) => render.run(makeTestContext({ namespace, root }), baseInput({ images, captions, output, durationSec: 6, transitionSec: 1, quality: 'draft', thumbnail: false, contactSheet: false }));
    const withTitles = await make(titled.files, 'titled.mp4');
    const without = await make(plain.files, 'plain.mp4');

    for (const t of [0.8, 3.0, 5.3]) {
      const [a, b] = [await frameAt(withTitles.file, t), await frameAt(without.file, t)];
      // mid-scene: the title is there, in the upper part, and leaves the captions alone
      expect(regionDiff(a, b, TOP, a.height), `title at ${t}s`).toBeGreaterThan(4);
      expect(regionDiff(a, b, CAPTIONS, a.height), `captions at ${t}s`).toBeLessThan(1.5);
    }
    for (const t of [2.0, 4.0]) {
      const [a, b] = [await frameAt(withTitles.file, t), await frameAt(without.file, t)];
      // mid-crossfade: no title at all (so never two on top of each other)
      expect(regionDiff(a, b, WHOLE, a.height), `crossfade at ${t}s`).toBeLessThan(1.5);
    }
    const frame = await frameAt(withTitles.file, 3.0);
    writeFileSync(join(root, 'mid-scene.png'), await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } }).png().toBuffer());
    console.log(`frames for a look: ${root}`);
  }, 120_000);
});
