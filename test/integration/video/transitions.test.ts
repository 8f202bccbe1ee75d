/**
 * Crossfades (xfade, and the overlay blend used when ffmpeg has no xfade), Ken Burns motion,
 * clips looped to their slot, the npm ffmpeg build, and the hardware-encoder fallback.
 */
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import sharp from 'sharp';
import render from '../../../plugins/video/render.js';
import { makeTestContext } from '../../helpers/context.js';
import { namespace } from '../../../plugins/video/index.js';
import { baseInput, makeClip, makeImage, tempRoot } from './fixtures.js';
import { frameAt, meanRgb, probe, regionDiff } from './probe.js';

async function solid(file: string, color: string): Promise<string> {
  await sharp({ create: { width: 1080, height: 1920, channels: 3, background: color } }).png().toFile(file);
  return file;
}

describe('video.render transitions and motion', () => {
  it.each(['blend', 'overlay', 'xfade'] as const)('crossfades red into blue halfway between them (%s)', async (crossfade) => {
    const root = tempRoot();
    const images = [await solid(join(root, 'in', 'r.png'), '#ff0000'), await solid(join(root, 'in', 'b.png'), '#0000ff')];
    const images3 = [...images, await solid(join(root, 'in', 'g.png'), '#00ff00')];
    const out = await render.run(makeTestContext({ namespace, root, config: { crossfade } }), baseInput({ images: images3, durationSec: 6, transitionSec: 1, quality: 'draft', thumbnail: false, contactSheet: false }));
    const p = probe(out.file);
    expect(Number(p.format.duration)).toBeCloseTo(6, 1);
    expect(Number(p.streams.find((s) => s.codec_type === 'video')!.nb_frames)).toBe(180);
    // the second transition (blue into green, centred on 4.0 s) blends too
    const [, g4, b4] = meanRgb(await frameAt(out.file, 4.0));
    expect(g4).toBeGreaterThan(70); expect(b4).toBeGreaterThan(70);
    expect(meanRgb(await frameAt(out.file, 5.5))[1]).toBeGreaterThan(200);
    const [r1, , b1] = meanRgb(await frameAt(out.file, 1.0));
    const [rm, , bm] = meanRgb(await frameAt(out.file, 2.0));
    const [r3, , b3] = meanRgb(await frameAt(out.file, 3.0));
    // 1 s fades centred on 2.0 s and 4.0 s; the slots are 0-2, 2-4, 4-6
    expect(r1).toBeGreaterThan(200); expect(b1).toBeLessThan(40);
    expect(rm).toBeGreaterThan(80); expect(rm).toBeLessThan(180); expect(bm).toBeGreaterThan(80); expect(bm).toBeLessThan(180);
    expect(b3).toBeGreaterThan(200); expect(r3).toBeLessThan(40);
  });

  it('moves stills (Ken Burns) and keeps the centre fixed', async () => {
    const root = tempRoot();
    const images = [await makeImage(join(root, 'in', '0.jpg'), 0)];
    const out = await render.run(makeTestContext({ namespace, root }), baseInput({ images, durationSec: 3, quality: 'draft', thumbnail: false, contactSheet: false }));
    const a = await frameAt(out.file, 0.1);
    const b = await frameAt(out.file, 2.9);
    expect(regionDiff(a, b, { x0: 0, y0: 0, x1: 1, y1: 0.2 }, a.height)).toBeGreaterThan(2);
    expect(regionDiff(a, b, { x0: 0.48, y0: 0.48, x1: 0.52, y1: 0.52 }, a.height)).toBeLessThan(3);
  });

  it('loops a short clip to fill its slot', async () => {
    const root = tempRoot();
    const clip = makeClip(join(root, 'in', 'c.mp4'), 1);
    const still = await makeImage(join(root, 'in', '0.jpg'), 0);
    const out = await render.run(makeTestContext({ namespace, root }), baseInput({ images: [{ path: clip, kind: 'video' }, still], durationSec: 6, quality: 'draft', thumbnail: false, contactSheet: false }));
    const p = probe(out.file);
    expect(Number(p.format.duration)).toBeCloseTo(6, 1);
    expect(Number(p.streams.find((s) => s.codec_type === 'video')!.nb_frames)).toBe(180);
  });

  it('falls back to libx264 when a requested hardware encoder cannot run', async () => {
    const root = tempRoot();
    const images = [await makeImage(join(root, 'in', '0.jpg'), 0)];
    const ctx = makeTestContext({ namespace, root });
    const out = await render.run(ctx, baseInput({ images, durationSec: 1, quality: 'draft', encoder: 'h264_vaapi', thumbnail: false, contactSheet: false }));
    expect(out.encoder).toBe('libx264');
    expect(ctx.logs.some((l) => l.level === 'warn' && /h264_vaapi/.test(l.message))).toBe(true);
    expect(probe(out.file).streams[0]!.codec_name).toBe('h264');
  });

  it('renders with the npm @ffmpeg-installer build (no xfade: overlay blend)', async () => {
    const bin = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    const root = tempRoot();
    const images = await Promise.all([0, 1].map((i) => makeImage(join(root, 'in', `${i}.jpg`), i)));
    const out = await render.run(makeTestContext({ namespace, root, config: { ffmpeg: { path: bin } } }), baseInput({
      images, durationSec: 3, quality: 'draft', title: 'npm build', captions: [{ text: 'hello', start: 0.2, end: 1 }, { text: 'world', start: 1.2, end: 2 }],
      music: { file: 'builtin:music/calm-pads.m4a', volume: 0.2, duck: true, fadeIn: 0.5, fadeOut: 0.5 },
    }));
    const p = probe(out.file);
    expect(Number(p.format.duration)).toBeCloseTo(3, 1);
    expect(p.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(out.thumbnail).toBeDefined();
    expect(out.contactSheet).toBeDefined();
  });
});
