/**
 * `video.render` `output: "-y.mp4"` reached ffmpeg as an option (issue 13 item 15): the name
 * must begin with a word character, refused at validation with a clear error.
 */
import { describe, expect, it } from 'vitest';
import { makeProject } from '../engine/harness.js';

const pipeline = (output: string) => `name: out
steps:
  - id: v
    uses: video.render
    with:
      images: [a.jpg]
      output: ${JSON.stringify(output)}
`;

describe('video.render output names', () => {
  for (const bad of ['-y.mp4', '-i.mp4', '.hidden.mp4', '../up.mp4', 'a/b.mp4']) {
    it(`refuses ${bad} before anything runs`, async () => {
      const p = await makeProject({ 'p.yaml': pipeline(bad) });
      try {
        const e = await p.run('p.yaml').then(() => undefined, (x: unknown) => x) as { code?: string; message?: string; errors?: Array<{ code: string; message: string }> } | undefined;
        const all = JSON.stringify(e);
        expect(all).toContain('E_PLUGIN_INPUT_INVALID');
        expect(all).toMatch(/with\.output must match pattern .*beginning with a letter, digit or `_`/);
      } finally {
        p.close();
      }
    });
  }
});
