/**
 * video.render end to end on tiny real inputs, checked with ffprobe, frames and audio levels.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import render from '../../../plugins/video/render.js';
import { makeTestContext } from '../../helpers/context.js';
import { namespace } from '../../../plugins/video/index.js';
import { baseInput, makeImage, makeNarration, spreadWords, tempRoot } from './fixtures.js';
import { probe, topAtoms } from './probe.js';

describe('video.render', () => {
  it('renders a 1080x1920 H.264/AAC faststart short with captions, music, thumbnail, contact sheet and sidecars', async () => {
    const root = tempRoot();
    const images = await Promise.all([0, 1, 2].map((i) => makeImage(join(root, 'in', `${i}.jpg`), i)));
    const text = 'Hello there, this is a tiny test of the renderer with captions.';
    const audio = makeNarration(join(root, 'in', 'n.wav'), text);
    const narrSec = Number(probe(audio).format.duration);
    const ctx = makeTestContext({ namespace, root });
    const out = await render.run(ctx, baseInput({
      images, audio, title: 'A tiny test title',
      captions: spreadWords(text.replace(/[,.]/g, '').split(' '), narrSec),
      music: { file: 'builtin:music/calm-pads.m4a', volume: 0.12, duck: true, fadeIn: 1.5, fadeOut: 2.5 },
    }));
    const p = probe(out.file);
    const v = p.streams.find((s) => s.codec_type === 'video')!;
    const a = p.streams.find((s) => s.codec_type === 'audio')!;
    expect([v.codec_name, v.pix_fmt, v.width, v.height, v.r_frame_rate]).toEqual(['h264', 'yuv420p', 1080, 1920, '30/1']);
    expect(a.codec_name).toBe('aac');
    // exactly the narration's frames, and a soundtrack as long as the picture
    expect(Math.abs(Number(v.nb_frames) - narrSec * 30)).toBeLessThanOrEqual(1);
    expect(Math.abs(Number(a.duration) - Number(v.duration))).toBeLessThan(0.05);
    expect(Math.abs(Number(p.format.duration) - narrSec)).toBeLessThan(0.1);
    expect(Math.abs(out.durationSec - narrSec)).toBeLessThan(0.1);
    const atoms = topAtoms(out.file);
    expect(atoms.indexOf('moov')).toBeLessThan(atoms.indexOf('mdat'));
    expect([out.width, out.height, out.encoder]).toEqual([1080, 1920, 'libx264']);
    expect(out.music).toMatch(/calm-pads\.m4a$/);
    expect(out.attribution).toMatch(/^"Calm Pads" by mpv2 .* — CC0 1\.0 https:\/\/creativecommons\.org\/publicdomain\/zero\/1\.0\/$/);
    const thumb = await sharp(out.thumbnail!).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['jpeg', 1080, 1920]);
    const sheet = await sharp(out.contactSheet!).metadata();
    expect(sheet.format).toBe('png');
    expect(sheet.width! / sheet.height!).toBeCloseTo(1080 / 1920, 1);
    expect(readFileSync(out.srt!, 'utf8')).toMatch(/^1\n00:00:00,000 --> 00:00:0\d,\d{3}\nHello there/);
    expect(readFileSync(out.vtt!, 'utf8')).toMatch(/^WEBVTT\n\n00:00:00.000 --> /);
    const fractions = ctx.progressUpdates.map((u) => u.fraction ?? 0);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.some((f) => f > 0.02 && f < 1)).toBe(true);
    expect(fractions).toEqual([...fractions].sort((x, y) => x - y));
  });

  it.each([['16:9', 960, 540], ['1:1', 540, 540]] as const)('renders %s in draft quality without audio, captions or music', async (aspect, w, h) => {
    const root = tempRoot();
    const images = await Promise.all([0, 1].map((i) => makeImage(join(root, 'in', `${i}.png`), i, 800, 600)));
    const out = await render.run(makeTestContext({ namespace, root }), baseInput({ images, aspect, quality: 'draft', thumbnail: false, contactSheet: false }));
    const p = probe(out.file);
    const v = p.streams.find((s) => s.codec_type === 'video')!;
    expect([v.width, v.height]).toEqual([w, h]);
    expect(Number(p.format.duration)).toBeCloseTo(6, 1);
    expect(p.streams.some((s) => s.codec_type === 'audio')).toBe(true);
    expect(out.srt).toBeUndefined();
    expect(out.thumbnail).toBeUndefined();
    expect(existsSync(join(out.file, '..', 'thumbnail.jpg'))).toBe(false);
  });
});
