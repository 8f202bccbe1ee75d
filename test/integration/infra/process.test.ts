/**
 * The one process runner (src/infra/process.ts) with real programs: abort stops the child (no
 * orphan, checked by pid), a child that ignores SIGTERM is killed after the grace period, the
 * output cap holds, a missing program is E_DEPENDENCY_MISSING, a failure quotes stderr; and
 * the loudness pass no longer blocks the event loop (issue 13 item 21).
 */
import { chmodSync, existsSync, mkdtempSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeWav } from '../../../plugins/tts/wav.js';
import { joinAndNormalize } from '../../../plugins/tts/loudness.js';
import { findFfmpeg, guardFileArgs, runFfmpeg } from '../../../src/infra/ffmpeg.js';
import { runProcess } from '../../../src/infra/process.js';

const FFMPEG = (await findFfmpeg()).ffmpeg;
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as { code: string; message: string; details?: { stderrTail?: string } });

describe('runProcess', () => {
  it('abort during ffmpeg kills that ffmpeg: E_ABORTED and no process left with its pid', async () => {
    const ac = new AbortController();
    let pid = 0;
    // an endless source: only the abort ends it
    const run = runFfmpeg(FFMPEG, ['-re', '-f', 'lavfi', '-i', 'sine=f=440', '-f', 'null', '-'], {
      signal: ac.signal, durationSec: 3600,
      onSpawn: (p) => { pid = p; },
      onProgress: () => { if (!ac.signal.aborted) ac.abort(); },
    });
    const e = await failure(run);
    expect(e?.code).toBe('E_ABORTED');
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
  });

  it('a child that ignores SIGTERM is killed after the grace period', async () => {
    const ac = new AbortController();
    let pid = 0;
    const stubborn = "process.on('SIGTERM', () => console.log('ignored')); console.log('ready'); setInterval(() => {}, 1000);";
    const run = runProcess(process.execPath, ['-e', stubborn], {
      signal: ac.signal, killGraceMs: 100,
      onSpawn: (p) => { pid = p; },
      onStdoutLine: (l) => { if (l === 'ready') ac.abort(); },
    });
    expect((await failure(run))?.code).toBe('E_ABORTED');
    expect(alive(pid)).toBe(false);
  });

  it('keeps at most maxOutput of stderr and stdout: the last bytes', async () => {
    // 20 MB on each stream, then a last line that must survive the cap
    const loud = "const b = 'x'.repeat(1 << 20) + '\\n'; for (let i = 0; i < 20; i++) { process.stderr.write(b); process.stdout.write(b); } process.stderr.write('THE END\\n'); process.stdout.write('LAST\\n');";
    const r = await runProcess(process.execPath, ['-e', loud], { maxOutput: 64 * 1024 });
    expect(r.stderr.length).toBeLessThanOrEqual(64 * 1024);
    expect(r.stdout.length).toBeLessThanOrEqual(64 * 1024);
    expect(r.stderr.endsWith('THE END\n')).toBe(true);
    expect(r.stdout.endsWith('LAST\n')).toBe(true);
    expect(r.truncated).toEqual({ stdout: true, stderr: true });
  });

  it('a missing program is E_DEPENDENCY_MISSING; a failing one is E_PLUGIN_FAILED with its stderr tail', async () => {
    const missing = await failure(runProcess('/nonexistent/ffmpeg', ['-version'], { name: 'ffmpeg' }));
    expect(missing?.code).toBe('E_DEPENDENCY_MISSING');
    expect(missing?.message).toMatch(/could not start ffmpeg \(\/nonexistent\/ffmpeg\)/);
    const bad = await failure(runFfmpeg(FFMPEG, ['-i', '/nonexistent/input.wav', '-f', 'null', '-']));
    expect(bad?.code).toBe('E_PLUGIN_FAILED');
    expect(bad?.message).toMatch(/ffmpeg failed \(exit 1\): .*No such file or directory/s);
  });
});

describe('file names never reach ffmpeg as options', () => {
  it('guards -i values and the output that begin with -', () => {
    expect(guardFileArgs(['-i', '-y.png', '-f', 'lavfi', '-i', 'color=black', '-c:v', 'libx264', '-y.mp4'])).toEqual(['-i', './-y.png', '-f', 'lavfi', '-i', 'color=black', '-c:v', 'libx264', './-y.mp4']);
    expect(guardFileArgs(['-i', '-', '-f', 'null', '-'])).toEqual(['-i', '-', '-f', 'null', '-']);
  });

  it('writes a file called -y.mp4 instead of reading it as an option', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpv2-dash-'));
    await runFfmpeg(FFMPEG, ['-f', 'lavfi', '-i', 'color=c=black:s=32x32:d=0.2', '-c:v', 'mpeg4', '-y.mp4'], { cwd: dir });
    expect(existsSync(join(dir, '-y.mp4'))).toBe(true);
  });
});

describe('the loudness pass', () => {
  it('keeps the event loop running while it asks ffmpeg about its filters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpv2-live-'));
    // an ffmpeg that answers `-h filter=…` only once this process has written `go`: a
    // synchronous child would wait for a parent that cannot run, and never be answered
    const bin = join(dir, 'ffmpeg');
    writeFileSync(bin, `#!/bin/sh
case "$*" in *"-h filter="*)
  touch "${dir}/asked"
  i=0; while [ ! -f "${dir}/go" ] && [ $i -lt 300 ]; do sleep 0.01; i=$((i+1)); done
  [ -f "${dir}/go" ] || touch "${dir}/starved";;
esac
exec ${FFMPEG} "$@"
`);
    chmodSync(bin, 0o755);
    const watcher = watch(dir, (_, name) => { if (name === 'asked') writeFileSync(join(dir, 'go'), ''); });
    try {
      const pcm = Buffer.from(new Int16Array(48_000).map((_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 220 * i) / 48_000))).buffer);
      const chunk = join(dir, 'chunk.wav');
      writeFileSync(chunk, encodeWav({ data: pcm, sampleRate: 48_000, channels: 1 }));
      const r = await joinAndNormalize(bin, [chunk], join(dir, 'out.wav'), { format: 'wav', loudness: -14, tmpBase: join(dir, 'list') });
      expect(existsSync(join(dir, 'asked'))).toBe(true);
      expect(existsSync(join(dir, 'starved'))).toBe(false);
      expect(Math.abs(r.integrated + 14)).toBeLessThan(1);
    } finally {
      watcher.close();
    }
  });
});
