/**
 * A still that cannot be used is skipped with a warning and its time goes to its neighbours;
 * only when none is left does the render stop (issue 13 item 19). Real ffmpeg, ffprobe, sharp.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import render from '../../../plugins/video/render.js';
import { makeTestContext } from '../../helpers/context.js';
import { namespace } from '../../../plugins/video/index.js';
import { baseInput, makeClip, makeImage, makeTonePattern, tempRoot } from './fixtures.js';
import { frameAt, probe } from './probe.js';

const quick = { quality: 'draft' as const, thumbnail: false, contactSheet: false, transition: 'cut' as const, kenBurns: 1 };

/** A PNG whose header says `w`x`h` (the pixels are never decoded: a decompression bomb's header). */
function pngHeader(file: string, w: number, h: number): string {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  writeFileSync(file, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(1024))), chunk('IEND', Buffer.alloc(0))]));
  return file;
}

/** Mean red and blue of a frame: the two test images differ there (blue vs orange). */
function tint(f: { data: Buffer }): { r: number; b: number } {
  let r = 0; let b = 0;
  for (let i = 0; i < f.data.length; i += 3) { r += f.data[i]!; b += f.data[i + 2]!; }
  const n = f.data.length / 3;
  return { r: r / n, b: b / n };
}

describe('video.render with unusable images', () => {
  it('skips a corrupt image in the middle: the video keeps the narration length, the neighbours fill it, a warning names the file', async () => {
    const root = tempRoot();
    const blue = await makeImage(join(root, 'in', 'blue.jpg'), 0);
    const orange = await makeImage(join(root, 'in', 'orange.jpg'), 1);
    writeFileSync(join(root, 'in', 'broken.jpg'), readFileSync(blue).subarray(0, 1500));
    const narration = makeTonePattern(join(root, 'in', 'voice.wav'), 6, [[0.2, 5.8]]);
    const ctx = makeTestContext({ namespace, root });
    const out = await render.run(ctx, baseInput({ ...quick, images: ['in/blue.jpg', 'in/broken.jpg', 'in/orange.jpg'], audio: narration }));
    expect(Math.abs(Number(probe(out.file).format.duration) - 6)).toBeLessThan(0.1);
    const warnings = ctx.logs.filter((l) => l.level === 'warn' && l.message.startsWith('images[')).map((l) => l.message);
    expect(warnings).toEqual([expect.stringMatching(/^images\[1\]: in\/broken\.jpg cannot be read as an image \(.+\); skipped, its time goes to the other images$/)]);
    // the two good images share the 6 s: blue for the first half, orange for the second
    const early = tint(await frameAt(out.file, 1.5));
    const late = tint(await frameAt(out.file, 4.5));
    expect(early.b).toBeGreaterThan(early.r);
    expect(late.r).toBeGreaterThan(late.b);
    expect(out.durationSec).toBeCloseTo(6, 1);
    void orange;
  }, 120_000);

  it('skips its siblings too: a 1x1 image, a zero-byte file, a 20000x20000 header; takes a PNG called .jpg, a clip called .jpg, an SVG, GIFs', async () => {
    const root = tempRoot();
    await makeImage(join(root, 'in', 'good.jpg'), 2, 540, 960);
    await sharp({ create: { width: 1, height: 1, channels: 3, background: '#ff0000' } }).png().toFile(join(root, 'in', 'pixel.png'));
    writeFileSync(join(root, 'in', 'empty.jpg'), '');
    pngHeader(join(root, 'in', 'bomb.png'), 20000, 20000);
    await sharp({ create: { width: 64, height: 64, channels: 3, background: '#00ff00' } }).png().toFile(join(root, 'in', 'really-png.jpg'));
    copyFileSync(makeClip(join(root, 'in', 'clip.mp4'), 1), join(root, 'in', 'clip.jpg'));
    writeFileSync(join(root, 'in', 'drawing.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="300"><rect width="200" height="300" fill="#0000ff"/></svg>');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=s=64x64:d=1:r=5', join(root, 'in', 'moving.gif')]);
    await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffff00' } }).gif().toFile(join(root, 'in', 'still.gif'));
    const ctx = makeTestContext({ namespace, root });
    const images = ['in/good.jpg', 'in/pixel.png', 'in/empty.jpg', 'in/bomb.png', 'in/really-png.jpg', 'in/clip.jpg', 'in/drawing.svg', 'in/moving.gif', 'in/still.gif'];
    const out = await render.run(ctx, baseInput({ ...quick, images, durationSec: 7 }));
    expect(Math.abs(Number(probe(out.file).format.duration) - 7)).toBeLessThan(0.1);
    const warnings = ctx.logs.filter((l) => l.level === 'warn' && l.message.startsWith('images[')).map((l) => l.message).sort();
    expect(warnings).toEqual([
      expect.stringMatching(/^images\[1\]: in\/pixel\.png is 1x1 px, smaller than 16 px on a side; skipped/),
      expect.stringMatching(/^images\[2\]: in\/empty\.jpg is empty \(0 bytes\); skipped/),
      expect.stringMatching(/^images\[3\]: in\/bomb\.png is 20000x20000 px, more than the 100 megapixels mpv2 decodes; skipped/),
      expect.stringMatching(/^images\[5\]: in\/clip\.jpg is a video, not an image; it is shown as a clip$/),
    ]);
  }, 120_000);

  it('stops with a clear error when no image is left', async () => {
    const root = tempRoot();
    writeFileSync(join(root, 'in', 'a.jpg'), 'not an image');
    await sharp({ create: { width: 1, height: 1, channels: 3, background: '#ff0000' } }).png().toFile(join(root, 'in', 'b.png'));
    const e = await Promise.resolve(render.run(makeTestContext({ namespace, root }), baseInput({ ...quick, images: ['in/a.jpg', 'in/b.png'], durationSec: 2 }))).catch((x: unknown) => x) as { code: string; message: string; hint: string };
    expect(`${e.code}: ${e.message}`).toMatch(/^E_FILE/);
    expect(e.message).toMatch(/^none of the 2 image\(s\) can be used: images\[0\]: in\/a\.jpg cannot be read as an image \(.+\); images\[1\]: in\/b\.png is 1x1 px, smaller than 16 px on a side$/);
    expect(e.hint).toMatch(/corrupt/);
  });
});
