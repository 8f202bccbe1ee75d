/**
 * The brand's intro, outro and thumbnail template (issue 17, item 5): the intro card and the
 * outro clip are the first and last segments of the one pass; the narration and the captions
 * start after the intro, the outro clip's sound is mixed in, and the body is the same video a
 * render without the brand makes, shifted by the intro. The thumbnail carries the template's
 * opaque border and the title on the brand's band at the top.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import render from '../../../plugins/video/render.js';
import { namespace } from '../../../plugins/video/index.js';
import { makeTestContext } from '../../helpers/context.js';
import { baseInput, makeImage, makeTonePattern, spreadWords, tempRoot } from './fixtures.js';
import { diffOutside, frameAt, meanRgb, probe, rmsDb, type Box, type Frame } from './probe.js';


function count(f: Frame, b: Box, pred: (r: number, g: number, b: number) => boolean): number {
  let n = 0;
  for (let y = b.y0; y < b.y1; y++) for (let x = b.x0; x < b.x1; x++) {
    const i = (y * f.width + x) * 3;
    if (pred(f.data[i]!, f.data[i + 1]!, f.data[i + 2]!)) n++;
  }
  return n;
}

const FPS = 10;
const [INTRO, BODY, OUTRO] = [1, 2, 1.5];
const magenta = (r: number, g: number, b: number) => r > 200 && g < 60 && b > 200;

/** A 1.5 s solid yellow clip with a loud 1 kHz tone. */
function yellowClip(file: string): string {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=0xFFFF00:s=320x180:r=25:d=1.5',
    '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=48000:duration=1.5', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', file]);
  return file;
}

describe('video.render brand intro, outro and thumbnail template', () => {
  it('puts the intro card first and the outro clip last in the one pass, with narration and captions after the intro', async () => {
    const root = tempRoot();
    const images = await Promise.all([0, 1].map((i) => makeImage(join(root, 'in', `s${i}.jpg`), i, 540, 960)));
    await sharp({ create: { width: 64, height: 64, channels: 4, background: '#FF00FF' } }).png().toFile(join(root, 'in', 'logo.png'));
    yellowClip(join(root, 'in', 'outro.mp4'));
    // a 220 Hz "narration" from 0.2 to 1.8 s of the body
    const narration = makeTonePattern(join(root, 'in', 'narration.wav'), BODY, [[0.2, 1.8]]);
    // a template: an opaque red border 40 px wide (at 540x960) around a transparent window
    const border = `<svg xmlns="http://www.w3.org/2000/svg" width="270" height="480" fill="#FF0000"><rect width="270" height="20"/><rect y="460" width="270" height="20"/><rect width="20" height="480"/><rect x="250" width="20" height="480"/></svg>`;
    await sharp(Buffer.from(border)).png().toFile(join(root, 'in', 'frame.png'));

    const captions = spreadWords(['first', 'words', 'spoken'], BODY);
    const input = (output: string, brand?: unknown) => baseInput({
      images, captions, audio: narration, output, durationSec: BODY, quality: 'draft', fps: FPS, contactSheet: false, thumbnail: brand !== undefined, title: 'Big news', ...(brand !== undefined && { brand }),
    });
    const config = {
      brand: {
        logo: { file: 'in/logo.png', size: 0.12, opacity: 1 },
        intro: { text: 'My channel', background: '#2040FF', duration: INTRO },
        outro: { file: 'in/outro.mp4' },
        thumbnail: { template: 'in/frame.png', titlePosition: 'top', band: '#00FF00' },
      },
    };
    const ctx = makeTestContext({ namespace, root, config, stepId: 'branded' });
    const branded = await render.run(ctx, input('branded.mp4', {}));
    const plain = await render.run(makeTestContext({ namespace, root, stepId: 'plain' }), input('plain.mp4'));

    // one encode of the video; duration = intro + body + outro within a frame; one video, one audio stream
    const passes = ctx.logs.filter((l) => l.message === 'ffmpeg' && (l.fields?.args as string[]).includes('+faststart'));
    expect(passes).toHaveLength(1);
    const p = probe(branded.file);
    expect(p.streams.filter((s) => s.codec_type === 'video')).toHaveLength(1);
    expect(p.streams.filter((s) => s.codec_type === 'audio')).toHaveLength(1);
    const video = p.streams.find((s) => s.codec_type === 'video')!;
    expect(Math.abs(Number(video.duration) - (INTRO + BODY + OUTRO))).toBeLessThanOrEqual(1 / FPS + 1e-3);
    expect(Math.abs(branded.durationSec - (INTRO + BODY + OUTRO))).toBeLessThanOrEqual(1 / FPS + 0.05);
    expect(branded).toMatchObject({ introSec: INTRO, outroSec: OUTRO });

    // the intro: the card's blue background, the logo centred on it, and no corner logo
    const i0 = await frameAt(branded.file, 0.3);
    const [br, bg, bb] = meanRgb(i0, { x0: 4, y0: 4, x1: 60, y1: 60 });
    expect(bb).toBeGreaterThan(200);
    expect(br).toBeLessThan(60);
    expect(bg).toBeLessThan(90);
    expect(count(i0, { x0: 230, y0: 365, x1: 310, y1: 440 }, magenta)).toBeGreaterThan(0.9 * 80 * 75);
    // the card's text (white, title font) sits under the logo
    expect(count(i0, { x0: 0, y0: 520, x1: 540, y1: 640 }, (r, g, b) => r > 200 && g > 200 && b > 200)).toBeGreaterThan(300);

    // the body: the plain render's frame, shifted by the intro: pictures and captions alike
    for (const t of [0.6, 1.2]) {
      const [b, q] = [await frameAt(branded.file, INTRO + t), await frameAt(plain.file, t)];
      // the corner logo (top-left safe-area corner, 64 px wide) is the one difference
      expect(diffOutside(b, q, [{ x0: 24, y0: 50, x1: 104, y1: 130 }]), `body at ${t}s`).toBeLessThan(3);
      expect(count(b, { x0: 32, y0: 58, x1: 96, y1: 122 }, magenta), `corner logo at ${t}s`).toBeGreaterThan(0.9 * 64 * 64);
    }
    // the outro: the clip's yellow
    const o = await frameAt(branded.file, INTRO + BODY + 0.8);
    const [or, og, ob] = meanRgb(o, { x0: 100, y0: 200, x1: 440, y1: 760 });
    expect([or > 220, og > 220, ob < 60]).toEqual([true, true, true]);

    // captions start after the intro: the burned script and the sidecars
    const firstDialogue = /^Dialogue: \d+,(\d+):(\d+):(\d+\.\d+),.*,Cap,/m.exec(readFileSync(branded.ass!, 'utf8'))!;
    expect(Number(firstDialogue[3]) + 60 * Number(firstDialogue[2])).toBeGreaterThanOrEqual(INTRO);
    expect(readFileSync(branded.srt!, 'utf8')).toMatch(/^1\n00:00:01,000 --> /);

    // the narration starts after the intro; the intro card is silent; the outro clip's tone is mixed in
    expect(rmsDb(branded.file, 0.05, INTRO - 0.1)).toBeLessThan(-60);
    expect(rmsDb(branded.file, INTRO + 0.4, INTRO + 1.6, 'lowpass=f=400')).toBeGreaterThan(-25);
    expect(rmsDb(branded.file, INTRO + BODY + 0.2, INTRO + BODY + 0.9, 'highpass=f=700')).toBeGreaterThan(-28);

    // the thumbnail: the template's opaque border red, the picture inside it, the title on the green band at the top
    const th = await sharp(branded.thumbnail!).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const tf = { data: th.data, width: th.info.width, height: th.info.height };
    const red = (r: number, g: number, b: number) => r > 200 && g < 50 && b < 50;
    expect(count(tf, { x0: 0, y0: 300, x1: 30, y1: 700 }, red)).toBeGreaterThan(0.9 * 30 * 400);
    expect(count(tf, { x0: 60, y0: 300, x1: 480, y1: 700 }, red)).toBe(0);
    const green = (r: number, g: number, b: number) => g > 200 && r < 60 && b < 60;
    expect(count(tf, { x0: 40, y0: 40, x1: 500, y1: 300 }, green)).toBeGreaterThan(2000);
    expect(count(tf, { x0: 40, y0: 400, x1: 500, y1: 920 }, green)).toBe(0);
  }, 180_000);

  it('shows a still intro for its duration and mutes an outro clip with `audio: false`', async () => {
    const root = tempRoot();
    const images = [await makeImage(join(root, 'in', 's0.jpg'), 0, 540, 960)];
    await sharp({ create: { width: 300, height: 200, channels: 3, background: '#FF0000' } }).png().toFile(join(root, 'in', 'intro.png'));
    yellowClip(join(root, 'in', 'outro.mp4'));
    const out = await render.run(makeTestContext({ namespace, root }), baseInput({
      images, durationSec: 1, quality: 'draft', fps: FPS, thumbnail: false, contactSheet: false, transition: 'cut',
      brand: { intro: { file: 'in/intro.png', duration: 0.5 }, outro: { file: 'in/outro.mp4', duration: 1, audio: false } },
    }));
    expect(out).toMatchObject({ introSec: 0.5, outroSec: 1 });
    expect(Math.abs(Number(probe(out.file).streams.find((s) => s.codec_type === 'video')!.duration) - 2.5)).toBeLessThanOrEqual(1 / FPS + 1e-3);
    const [r, g, b] = meanRgb(await frameAt(out.file, 0.2), { x0: 100, y0: 200, x1: 440, y1: 760 });
    expect([r > 220, g < 40, b < 40]).toEqual([true, true, true]);
    const [yr, yg, yb] = meanRgb(await frameAt(out.file, 2.0), { x0: 100, y0: 200, x1: 440, y1: 760 });
    expect([yr > 220, yg > 220, yb < 60]).toEqual([true, true, true]);
    expect(rmsDb(out.file, 1.6, 2.4)).toBeLessThan(-60);
  }, 60_000);

  it('warns when the intro and outro push a vertical video past the longest Short', async () => {
    const root = tempRoot();
    const images = [await makeImage(join(root, 'in', 's0.jpg'), 0, 540, 960)];
    // one frame a second keeps 181 s of video cheap
    const ctx = makeTestContext({ namespace, root });
    await render.run(ctx, baseInput({ images, durationSec: 179, quality: 'draft', fps: 1, kenBurns: 1, transition: 'cut', thumbnail: false, contactSheet: false, brand: { intro: { text: 'Hi', duration: 1 }, outro: { text: 'Bye', duration: 1 } } }));
    expect(ctx.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toContainEqual(expect.stringMatching(/lasts 181\.0 s \(179\.0 s without the brand's intro and outro\): longer than a YouTube Short may be \(180 s\)/));
  }, 60_000);

  it('names brand.intro.file and the path when the clip is missing or unreadable, before rendering', async () => {
    const root = tempRoot();
    const images = [await makeImage(join(root, 'in', 's0.jpg'), 0, 540, 960)];
    writeFileSync(join(root, 'in', 'broken.mp4'), 'not a video at all');
    const run = (brand: unknown) => render.run(makeTestContext({ namespace, root }), baseInput({ images, durationSec: 1, quality: 'draft', fps: FPS, brand }));
    await expect(run({ intro: { file: 'in/missing.mp4' } })).rejects.toMatchObject({ code: 'E_FILE', message: expect.stringMatching(/brand\.intro\.file: .*in\/missing\.mp4 does not exist/), hint: expect.any(String) });
    await expect(run({ outro: { file: 'in/broken.mp4' } })).rejects.toMatchObject({ code: 'E_PLUGIN_INPUT_INVALID', message: expect.stringMatching(/brand\.outro\.file: .*broken\.mp4 cannot be read/), hint: expect.any(String) });
    await expect(run({ intro: { file: 'in/s0.jpg', text: 'x' } })).rejects.toMatchObject({ code: 'E_PLUGIN_INPUT_INVALID', message: expect.stringContaining('both') });
    await expect(run({ thumbnail: { template: 'in/nope.png' } })).rejects.toMatchObject({ code: 'E_FILE', message: expect.stringContaining('brand.thumbnail.template') });
  }, 60_000);
});
