/** The mix: music ducked under the voice, narration length drives the video length. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import render from '../../../plugins/video/render.js';
import { makeTestContext } from '../../helpers/context.js';
import { namespace } from '../../../plugins/video/index.js';
import { baseInput, makeImage, makeTonePattern, tempRoot } from './fixtures.js';
import { probe, rmsDb } from './probe.js';

describe('video.render audio', () => {
  it('ducks the music while the voice speaks and restores it in the pauses', async () => {
    const root = tempRoot();
    const images = [await makeImage(join(root, 'in', '0.jpg'), 0)];
    // "voice": a 220 Hz tone from 0.5-2.0 s and 4.0-5.5 s; music: a steady 1000 Hz tone
    const audio = makeTonePattern(join(root, 'in', 'voice.wav'), 6, [[0.5, 2.0], [4.0, 5.5]]);
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=1000:r=48000:d=8', '-c:a', 'aac', join(root, 'in', 'music.m4a')]);
    const common = { images, audio, quality: 'draft' as const, kenBurns: 1, thumbnail: false, contactSheet: false };
    const music = { file: 'in/music.m4a', volume: 0.5, fadeIn: 0, fadeOut: 0 };
    const ducked = await render.run(makeTestContext({ namespace, root, stepId: 'a' }), baseInput({ ...common, music: { ...music, duck: true } }));
    const flat = await render.run(makeTestContext({ namespace, root, stepId: 'b' }), baseInput({ ...common, music: { ...music, duck: false } }));
    expect(Number(probe(ducked.file).format.duration)).toBeCloseTo(6, 1);
    const band = 'bandpass=f=1000:width_type=q:w=8';
    const speaking = rmsDb(ducked.file, 1.0, 1.9, band);
    const pause = rmsDb(ducked.file, 2.8, 3.8, band);
    expect(pause - speaking).toBeGreaterThan(8);
    // without ducking the music level does not depend on the voice
    expect(Math.abs(rmsDb(flat.file, 1.0, 1.9, band) - rmsDb(flat.file, 2.8, 3.8, band))).toBeLessThan(1.5);
    // and the voice itself is in the mix
    expect(rmsDb(ducked.file, 1.0, 1.9, 'bandpass=f=220:width_type=q:w=8')).toBeGreaterThan(-30);
  });

  it('picks the same track from a folder for the same seed', async () => {
    const root = tempRoot();
    const images = [await makeImage(join(root, 'in', '0.jpg'), 0)];
    for (const f of ['a', 'b', 'c']) {
      execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=440:d=1', '-c:a', 'aac', join(root, 'in', `${f}.m4a`)]);
    }
    const run = async (seed: string, step: string) => (await render.run(makeTestContext({ namespace, root, stepId: step }), baseInput({
      images, durationSec: 1, quality: 'draft', thumbnail: false, contactSheet: false, music: { dir: 'in', seed, volume: 0.2, duck: true, fadeIn: 0.2, fadeOut: 0.2 },
    }))).music;
    const first = await run('seed-1', 'a');
    expect(await run('seed-1', 'b')).toBe(first);
    const picks = new Set([first, await run('seed-2', 'c'), await run('seed-3', 'd'), await run('seed-4', 'e')]);
    expect(picks.size).toBeGreaterThan(1);
  });
});
