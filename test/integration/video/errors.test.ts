/** Bad inputs and missing tools fail with one clear Mpv2Error. */
import { describe, expect, it } from 'vitest';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import render from '../../../plugins/video/render.js';
import { makeTestContext } from '../../helpers/context.js';
import { namespace } from '../../../plugins/video/index.js';
import { baseInput, makeImage, makeSilence, tempRoot } from './fixtures.js';

const code = async (p: unknown) => Promise.resolve(p).then(() => 'resolved', (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`);

describe('video.render errors', () => {
  it('reports a missing image, a corrupt image, silent and empty narration', async () => {
    const root = tempRoot();
    const good = await makeImage(join(root, 'in', 'ok.jpg'), 0);
    const corrupt = join(root, 'in', 'bad.jpg');
    writeFileSync(corrupt, readFileSync(good).subarray(0, 2000));
    const ctx = makeTestContext({ namespace, root });
    const quick = { quality: 'draft' as const, thumbnail: false, contactSheet: false };
    expect(await code(render.run(ctx, baseInput({ ...quick, images: [good, 'in/nope.jpg'] })))).toMatch(/^E_FILE: images\[1\]: in\/nope\.jpg does not exist/);
    expect(await code(render.run(ctx, baseInput({ ...quick, images: [corrupt] })))).toMatch(/^E_FILE: none of the 1 image\(s\) can be used: images\[0\]: .*bad\.jpg cannot be read as an image/);
    const silent = makeSilence(join(root, 'in', 'silent.wav'), 2);
    expect(await code(render.run(ctx, baseInput({ ...quick, images: [good], audio: silent })))).toMatch(/^E_PLUGIN_INPUT_INVALID: audio .* is silent/);
    const empty = join(root, 'in', 'empty.wav');
    writeFileSync(empty, '');
    expect(await code(render.run(ctx, baseInput({ ...quick, images: [good], audio: empty })))).toMatch(/^E_PLUGIN_INPUT_INVALID: audio .* is empty/);
    const header = join(root, 'in', 'header-only.wav');
    writeFileSync(header, readFileSync(makeSilence(join(root, 'in', 's.wav'), 1)).subarray(0, 44));
    expect(await code(render.run(ctx, baseInput({ ...quick, images: [good], audio: header })))).toMatch(/^E_(PLUGIN_INPUT_INVALID|FILE): audio .*(zero length|cannot be read|no audio)/);
    expect(await code(render.run(ctx, baseInput({ ...quick, images: [good], audio: '../outside.wav' })))).toMatch(/^E_PATH_OUTSIDE_ROOT/);
  });

  it('says ffmpeg is missing when FFMPEG_PATH points nowhere and PATH has none', async () => {
    const root = tempRoot();
    const good = await makeImage(join(root, 'in', 'ok.jpg'), 0);
    const saved = { FFMPEG_PATH: process.env.FFMPEG_PATH, PATH: process.env.PATH };
    process.env.FFMPEG_PATH = '/nonexistent/ffmpeg';
    process.env.PATH = '/nonexistent-bin';
    try {
      const e = await Promise.resolve(render.run(makeTestContext({ namespace, root }), baseInput({ images: [good] }))).catch((x: unknown) => x) as { code: string; message: string; hint: string };
      expect(e.code).toBe('E_DEPENDENCY_MISSING');
      expect(e.message).toMatch(/ffmpeg was not found at \/nonexistent\/ffmpeg \(from FFMPEG_PATH\)/);
      expect(e.hint).toMatch(/apt-get install ffmpeg/);
    } finally {
      process.env.FFMPEG_PATH = saved.FFMPEG_PATH ?? '';
      if (saved.FFMPEG_PATH === undefined) delete process.env.FFMPEG_PATH;
      process.env.PATH = saved.PATH;
    }
  });
});
