/**
 * Music that fits: a library by mood with licence sidecars, loudness matched, scene changes on
 * the beat, and the voice still ducking the bed by at least 10 dB. Synthetic tracks from ffmpeg.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import render from '../../../plugins/video/render.js';
import { mixSoundtrack } from '../../../plugins/video/audio-graph.js';
import { analyseMusic, loudnessGainDb } from '../../../plugins/video/music-analysis.js';
import { pickMusic } from '../../../plugins/video/music.js';
import { makeTestContext } from '../../helpers/context.js';
import { namespace } from '../../../plugins/video/index.js';
import { baseInput, makeImage, makeTonePattern, tempRoot } from './fixtures.js';
import { rmsDb } from './probe.js';

const signal = new AbortController().signal;

function tone(file: string, expr: string, seconds: number): string {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `aevalsrc='${expr}':s=48000:d=${seconds}`, '-c:a', 'aac', '-b:a', '128k', file]);
  return file;
}
/** 120 BPM: a 20 ms 1 kHz click every 0.5 s, the first at `first` s. */
const clicks = (first: number) => `if(gte(t,${first})*lt(mod(t-${first},0.5),0.02),0.8*sin(2*PI*1000*t),0)`;

function integratedLufs(file: string): number {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-nostats', '-i', file, '-af', 'ebur128=framelog=verbose', '-f', 'null', '-'], { encoding: 'utf8' });
  return Number(/Integrated loudness:\s*I:\s*(-?[\d.]+)/.exec(r.stderr)![1]);
}

/** Times of hard cuts in a video: frames whose mean colour jumps from the frame before. */
function cutTimes(file: string, fps = 30): number[] {
  const px = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', file, '-vf', 'scale=1:1:flags=area,format=rgb24', '-f', 'rawvideo', '-']);
  const out: number[] = [];
  for (let f = 1; f < px.length / 3; f++) {
    const d = Math.abs(px[3 * f]! - px[3 * f - 3]!) + Math.abs(px[3 * f + 1]! - px[3 * f - 2]!) + Math.abs(px[3 * f + 2]! - px[3 * f - 1]!);
    if (d > 30) out.push(f / fps);
  }
  return out;
}

function license(track: string, l: Record<string, string>): void {
  writeFileSync(`${track}.license.json`, JSON.stringify(l));
}

describe('music library by mood', () => {
  it('picks from <dir>/<mood>/, skips a track without a licence sidecar (with a warning) and hands back the attribution', () => {
    const root = tempRoot();
    mkdirSync(join(root, 'lib', 'calm'), { recursive: true });
    mkdirSync(join(root, 'lib', 'Upbeat'), { recursive: true });
    for (const f of ['a.m4a', 'b.m4a']) writeFileSync(join(root, 'lib', 'calm', f), 'x');
    writeFileSync(join(root, 'lib', 'Upbeat', 'u.mp3'), 'x');
    license(join(root, 'lib', 'calm', 'b.m4a'), { title: 'Slow Tide', author: 'Ada', license: 'CC BY 4.0', url: 'https://example.org/tide' });
    writeFileSync(join(root, 'lib', 'Upbeat', 'u.mp3.license.txt'), 'Run by Bo, CC0\n');
    const warnings: string[] = [];
    for (const seed of ['1', '2', '3', '4']) {
      const p = pickMusic({ dir: join(root, 'lib'), mood: 'calm', seed, warn: (w) => warnings.push(w) });
      expect(p.file).toBe(join(root, 'lib', 'calm', 'b.m4a'));
      expect(p.attribution).toBe('"Slow Tide" by Ada — CC BY 4.0 https://example.org/tide');
    }
    expect(warnings[0]).toMatch(/skipped a\.m4a .*no licence sidecar/);
    // an LLM's " upbeat\n" is the Upbeat folder; a .txt sidecar is the attribution as written
    expect(pickMusic({ dir: join(root, 'lib'), mood: ' upbeat\n', seed: 1 })).toEqual({ file: join(root, 'lib', 'Upbeat', 'u.mp3'), attribution: 'Run by Bo, CC0' });
  });

  it('an unknown mood is an error listing the moods present; a mood with only unlicensed tracks says so', () => {
    const root = tempRoot();
    for (const m of ['calm', 'epic', 'empty']) mkdirSync(join(root, 'lib', m), { recursive: true });
    writeFileSync(join(root, 'lib', 'calm', 'a.m4a'), 'x');
    writeFileSync(join(root, 'lib', 'epic', 'e.m4a'), 'x');
    expect(() => pickMusic({ dir: join(root, 'lib'), mood: 'sad', seed: 1 })).toThrow(expect.objectContaining({
      code: 'E_PLUGIN_INPUT_INVALID', message: expect.stringMatching(/music mood "sad" is not in .*moods there: calm, epic$/),
    }));
    expect(() => pickMusic({ file: join(root, 'lib', 'calm', 'a.m4a'), mood: 'calm', seed: 1 })).toThrow(/`mood` picks from `dir`/);
    expect(() => pickMusic({ dir: join(root, 'lib'), mood: 'calm', seed: 1 })).toThrow(expect.objectContaining({ code: 'E_FILE', message: expect.stringMatching(/no licensed audio files/) }));
    license(join(root, 'lib', 'epic', 'e.m4a'), { title: 'E' });
    expect(() => pickMusic({ dir: join(root, 'lib'), mood: 'epic', seed: 1 })).toThrow(/`license` is missing/);
  });
});

describe('music loudness and ducking', () => {
  it('two tracks 20 dB apart come out of the mix within 1 LU of each other', async () => {
    const root = tempRoot();
    const out: number[] = [];
    for (const [name, amp] of [['quiet', 0.05], ['loud', 0.5]] as const) {
      // a chord with a pulse, so it is music-like rather than one steady sine
      const file = tone(join(root, 'in', `${name}.m4a`), `${amp}*(sin(2*PI*220*t)+0.5*sin(2*PI*330*t))*(0.6+0.4*sin(2*PI*2*t))`, 6);
      const a = await analyseMusic('ffmpeg', file, root, signal);
      const mixed = join(root, `${name}-mix.m4a`);
      await mixSoundtrack('ffmpeg', { music: { file, volume: 0.5, gainDb: loudnessGainDb(a.lufs), duck: true, fadeIn: 0, fadeOut: 0 } }, 6, mixed, { cwd: root, signal });
      out.push(integratedLufs(mixed));
    }
    expect(Math.abs(out[0]! - out[1]!)).toBeLessThan(1);
  });

  it('the voice ducks the music by at least 10 dB, and the music comes back in the pauses', async () => {
    const root = tempRoot();
    const voice = makeTonePattern(join(root, 'in', 'voice.wav'), 6, [[0.5, 2.5]]);
    const music = tone(join(root, 'in', 'm.m4a'), '0.3*sin(2*PI*1000*t)', 6);
    const a = await analyseMusic('ffmpeg', music, root, signal);
    const mixed = join(root, 'mix.m4a');
    await mixSoundtrack('ffmpeg', { narration: voice, music: { file: music, volume: 0.12, gainDb: loudnessGainDb(a.lufs), duck: true, fadeIn: 0, fadeOut: 0 } }, 6, mixed, { cwd: root, signal });
    // four bandpasses in a row: one alone lets through enough of the 220 Hz voice to hide the ducking
    const band = Array(4).fill('bandpass=f=1000:width_type=q:w=8').join(',');
    const speaking = rmsDb(mixed, 1.2, 2.4, band);
    const pause = rmsDb(mixed, 3.5, 5.5, band);
    expect(pause - speaking).toBeGreaterThanOrEqual(10);
  });
});

describe('scene changes on the beat', () => {
  it('finds the clicks of a 120 BPM click track', async () => {
    const root = tempRoot();
    const a = await analyseMusic('ffmpeg', tone(join(root, 'in', 'click.m4a'), clicks(0.2), 4), root, signal);
    const expected = [0.2, 0.7, 1.2, 1.7, 2.2, 2.7, 3.2, 3.7];
    expect(a.onsets).toHaveLength(expected.length);
    a.onsets.forEach((t, i) => expect(Math.abs(t - expected[i]!)).toBeLessThan(0.03));
  });

  it('moves each cut to the nearest click within the tolerance, and leaves them when there is no music', async () => {
    const root = tempRoot();
    const images = await Promise.all([0, 1, 2].map((i) => makeImage(join(root, 'in', `${i}.jpg`), i, 270, 480)));
    tone(join(root, 'in', 'click.m4a'), clicks(0.2), 4);
    mkdirSync(join(root, 'lib', 'beat'), { recursive: true });
    execFileSync('cp', [join(root, 'in', 'click.m4a'), join(root, 'lib', 'beat', 'click.m4a')]);
    license(join(root, 'lib', 'beat', 'click.m4a'), { title: 'Click', author: 'mpv2 tests', license: 'CC0 1.0' });
    const common = { images, durationSec: 4, quality: 'draft' as const, kenBurns: 1, transition: 'cut', thumbnail: false, contactSheet: false };
    const onBeat = await render.run(makeTestContext({ namespace, root, stepId: 'a' }), baseInput({ ...common, music: { dir: 'lib', mood: 'beat', seed: 1 } }));
    const plain = await render.run(makeTestContext({ namespace, root, stepId: 'b' }), baseInput(common));
    // equal thirds cut at 1.333 and 2.667 s; the nearest clicks are 1.2 and 2.7 s
    const cuts = cutTimes(onBeat.file);
    expect(cuts).toHaveLength(2);
    expect(Math.abs(cuts[0]! - 1.2)).toBeLessThan(0.04);
    expect(Math.abs(cuts[1]! - 2.7)).toBeLessThan(0.04);
    const plainCuts = cutTimes(plain.file);
    expect(Math.abs(plainCuts[0]! - 4 / 3)).toBeLessThan(0.04);
    expect(onBeat.attribution).toBe('"Click" by mpv2 tests — CC0 1.0');
    expect(plain.attribution).toBeNull();
  });
});
