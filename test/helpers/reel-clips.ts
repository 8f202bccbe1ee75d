/** Tiny real videos for the Reels tests, made once per test file with ffmpeg. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ClipSpec { seconds: number; width: number; height: number; fps?: number; codec?: 'libx264' | 'mpeg4' }

/** An H.264 + AAC MP4 (or another codec) of a test pattern and a tone. */
export function makeClip(dir: string, name: string, c: ClipSpec): string {
  const out = join(dir, name);
  execFileSync('ffmpeg', [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc=size=${c.width}x${c.height}:rate=${c.fps ?? 30}`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100',
    '-t', String(c.seconds), '-c:v', c.codec ?? 'libx264', ...(c.codec === 'mpeg4' ? [] : ['-preset', 'ultrafast', '-pix_fmt', 'yuv420p']),
    '-c:a', 'aac', '-b:a', '64k', '-shortest', out,
  ]);
  return out;
}

/** A folder with the usual clips: `reel.mp4` (3.5 s, 540x960), `short.mp4` (2 s), `wide.mp4` (16:9), `small.mp4` (360x640), `mpeg4.mp4`. */
export function reelClips(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mpv2-reels-'));
  makeClip(dir, 'reel.mp4', { seconds: 3.5, width: 540, height: 960 });
  makeClip(dir, 'short.mp4', { seconds: 2, width: 540, height: 960 });
  makeClip(dir, 'wide.mp4', { seconds: 3.5, width: 960, height: 540 });
  makeClip(dir, 'small.mp4', { seconds: 3.5, width: 360, height: 640 });
  makeClip(dir, 'mpeg4.mp4', { seconds: 3.5, width: 540, height: 960, codec: 'mpeg4' });
  return dir;
}
