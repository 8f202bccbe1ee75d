import { test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { renderVisual } from '../../../plugins/media/generate/render.js';
const qs = (process.env.QS ?? 'ocean sunset|city lights at night|مرحبا بالعالم|cats 🐱 and dogs|a very long query that goes on and on about mountains and rivers and deep forests far away|coffee').split('|');
test('preview', async () => {
  for (const [i, q] of qs.entries()) {
    for (const [W, H] of (process.env.SIZES ?? '1080x1920').split(',').map((s) => s.split('x').map(Number))) {
      const t0 = Date.now();
      const r = await renderVisual({ query: q, seed: `${process.env.SEED ?? 's'}${i}`, width: W!, height: H!, variant: i });
      writeFileSync(`/tmp/mx/prev/v${i}-${W}x${H}.png`, r.png);
      console.log(i, q, r.style, r.palette, Date.now() - t0, 'ms', r.png.length);
    }
  }
});
