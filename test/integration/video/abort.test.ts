/** Aborting a render kills that ffmpeg process (by pid) and nothing else. */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import render from '../../../plugins/video/render.js';
import { makeTestContext } from '../../helpers/context.js';
import { namespace } from '../../../plugins/video/index.js';
import { baseInput, makeImage, tempRoot } from './fixtures.js';

/** Pids of ffmpeg processes whose parent is this process. */
function ffmpegChildren(): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const m = /^\d+ \((.*)\) \S (\d+)/.exec(stat);
      if (m && m[1] === 'ffmpeg' && Number(m[2]) === process.pid) out.push(Number(d));
    } catch { /* the process ended meanwhile */ }
  }
  return out;
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

describe('video.render abort', () => {
  it('kills the running ffmpeg when the step is aborted', async () => {
    const root = tempRoot();
    const images = await Promise.all([0, 1].map((i) => makeImage(join(root, 'in', `${i}.jpg`), i)));
    const ac = new AbortController();
    const ctx = makeTestContext({ namespace, root, signal: ac.signal });
    let pids: number[] = [];
    const origProgress = ctx.progress.bind(ctx);
    ctx.progress = (u) => {
      origProgress(u);
      // first progress from ffmpeg itself: the render is under way
      if (u.message === 'rendering' && (u.fraction ?? 0) > 0.02 && !ac.signal.aborted) {
        pids = ffmpegChildren();
        ac.abort();
      }
    };
    const err = await Promise.resolve(render.run(ctx, baseInput({ images, durationSec: 600, thumbnail: false, contactSheet: false }))).catch((e: unknown) => e) as { code: string };
    expect(err.code).toBe('E_ABORTED');
    expect(pids.length).toBe(1);
    expect(alive(pids[0]!)).toBe(false);
  });
});
