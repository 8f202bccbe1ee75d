/**
 * The README's first command: pipelines/demo-short.yaml through the CLI, offline, on both
 * paths a user can have — the npm-only path of a fresh machine (the WebAssembly espeak-ng and
 * the ffmpeg/ffprobe shipped in npm packages) and Debian's binaries (libespeak-ng word events).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { events, tempProject, type TempProject } from './engine-helpers.js';

const require = createRequire(import.meta.url);
const NPM_FFMPEG = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
const NPM_FFPROBE = (require('@ffprobe-installer/ffprobe') as { path: string }).path;
const SCRIPT = 'Octopuses have three hearts. Their blood is blue.';

interface Probe { streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number; pix_fmt?: string; avg_frame_rate?: string }>; format: { duration: string } }

function probe(file: string): Probe {
  const r = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height,pix_fmt,avg_frame_rate:format=duration', '-of', 'json', file], { encoding: 'utf8' });
  return JSON.parse(r.stdout) as Probe;
}

describe('pipelines/demo-short.yaml through the CLI', () => {
  const projects: TempProject[] = [];
  afterAll(() => projects.forEach((p) => p.remove()));

  const runDemo = async (env: Record<string, string>) => {
    const project = tempProject();
    projects.push(project);
    // a user's own project, as `mpv2 init --template` makes it: the shipped pipeline must run unchanged there
    const init = await project.cli(['init', '--template', 'demo-short'], env);
    expect(init.code, init.stderr).toBe(0);
    const r = await project.cli(['run', 'pipelines/demo-short.yaml', '--input', `script=${SCRIPT}`, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const evs = events(r.stdout);
    const voice = evs.find((e) => e.event === 'step.finished' && e.stepId === 'voice') as unknown as { outputs: { durationSec: number; engine: string; words: unknown[] } };
    const done = evs.find((e) => e.event === 'run.finished') as unknown as { status: string; outputs: Record<string, string | number> };
    expect(done.status).toBe('succeeded');
    // one scene title per image (its keyword), drawn by the render, not baked into the stills
    const video = evs.find((e) => e.event === 'step.finished' && e.stepId === 'video') as unknown as { outputs: { ass: string } };
    const titles = readFileSync(video.outputs.ass, 'utf8').split('\n').filter((l) => l.includes(',SceneTitle,')).map((l) => l.replace(/^.*\}/, ''));
    expect(titles).toEqual(['OCTOPUS HEARTS', 'OCEAN GILLS', 'BLUE BLOOD', 'TASTING ARMS', 'COLOUR CHANGE', 'DEEP OCEAN']);
    return { voice: voice.outputs, outputs: done.outputs };
  };

  const checkVideo = (outputs: Record<string, string | number>, narrationSec: number) => {
    for (const k of ['video', 'thumbnail', 'contactSheet', 'captions']) expect(existsSync(String(outputs[k])), k).toBe(true);
    const p = probe(String(outputs.video));
    const v = p.streams.find((s) => s.codec_type === 'video')!;
    expect(v).toMatchObject({ codec_name: 'h264', width: 1080, height: 1920, pix_fmt: 'yuv420p', avg_frame_rate: '30/1' });
    expect(p.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
    expect(Math.abs(Number(p.format.duration) - narrationSec)).toBeLessThan(0.15);
  };

  it('renders on Debian\'s ffmpeg with libespeak-ng word events', async () => {
    const { voice, outputs } = await runDemo({});
    expect(voice.engine).toBe('lib');
    expect(voice.words.length).toBe(8);
    checkVideo(outputs, voice.durationSec);
  }, 300_000);

  it('renders on the npm-only path a fresh machine gets (WebAssembly espeak-ng, npm ffmpeg)', async () => {
    const { voice, outputs } = await runDemo({ FFMPEG_PATH: NPM_FFMPEG, FFPROBE_PATH: NPM_FFPROBE, MPV2_TTS__ESPEAK__ENGINE: 'wasm' });
    expect(voice.engine).toBe('wasm');
    expect(voice.words.length).toBe(8);
    checkVideo(outputs, voice.durationSec);
  }, 300_000);
});
