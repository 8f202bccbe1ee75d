import { describe, expect, it } from 'vitest';
import { buildGraph, escapeFilterValue, zoomCurve, type GraphPlan } from '../../../plugins/video/graph.js';
import { buildTimeline } from '../../../plugins/video/timeline.js';
import { audioGraph } from '../../../plugins/video/audio-graph.js';
import { pickMusic } from '../../../plugins/video/music.js';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { resolveStepPath } from '../../../src/infra/paths.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function plan(over: Partial<GraphPlan> = {}): GraphPlan {
  const visuals = [0, 1, 2].map((i) => ({ kind: 'image' as const, file: `v${i}.yuv`, source: `s${i}.jpg`, weight: 1, raw: { width: 1210, height: 2150 } }));
  return {
    width: 1080, height: 1920, fps: 30, zoom: 1.12, visuals, timeline: buildTimeline(6, [1, 1, 1], 30, 0.5), transitions: 'blend', commandFile: 'transitions.cmd',
    scaleFlags: 'bilinear', motion: 'scale', soundtrack: 'soundtrack.m4a', fontsDir: 'fonts', keyframes: [30, 90], output: 'video.mp4',
    encoder: { pre: [], args: ['-c:v', 'libx264'], filterSuffix: '' }, ...over,
  };
}

describe('buildGraph', () => {
  it('reads each still once, shares one blend for all crossfades and zooms once at the end', () => {
    const g = buildGraph(plan({ captionsAss: 'captions.ass' }));
    const fc = g.args[g.args.indexOf('-filter_complex') + 1]!;
    // three stills and the finished soundtrack, copied
    expect(g.args.filter((a) => a === '-i')).toHaveLength(4);
    expect(g.args.slice(g.args.indexOf('soundtrack.m4a') - 1, g.args.indexOf('soundtrack.m4a') + 1)).toEqual(['-i', 'soundtrack.m4a']);
    expect(g.args.join(' ')).toContain('-map [vout] -map 3:a');
    expect(g.args.join(' ')).toContain('-c:a copy');
    expect(fc.match(/blend@xf/g)).toHaveLength(1);
    expect(fc.match(/eval=frame/g)).toHaveLength(1);
    expect(fc).not.toContain('zoompan');
    expect(fc).toContain('ass=filename=captions.ass:fontsdir=fonts');
    expect(g.commands!.split('\n')).toHaveLength(2 * 14);
    expect(g.args).toContain('+faststart');
    expect(g.args.slice(g.args.indexOf('-force_key_frames'), g.args.indexOf('-force_key_frames') + 2)).toEqual(['-force_key_frames', '1.000,3.000']);
    expect(g.args).not.toContain('-frames:v');
  });

  it('uses zoompan on builds whose scale cannot evaluate per frame, overlay without commands', () => {
    const fc = buildGraph(plan({ motion: 'zoompan', transitions: 'overlay' })).args.find((a) => a.includes('concat'))!;
    expect(fc).toContain('zoompan=');
    expect(fc.match(/overlay=/g)).toHaveLength(2);
  });

  it('zoom curve is continuous across boundaries', () => {
    const expr = zoomCurve([0, 10, 20]);
    expect(expr).toBe('if(lt(n,10),clip((n-0)/10,0,1),clip((1-(n-10)/10),0,1))');
  });

  it('escapes filter option values', () => {
    expect(escapeFilterValue('a/b.ass')).toBe('a/b.ass');
    // option level escapes : and ', then the graph level escapes \\ ' , [ ]
    expect(escapeFilterValue("x:y'z,[1]")).toBe(String.raw`x\\:y\\\'z\,\[1\]`);
  });
});

describe('audioGraph', () => {
  it('ducks music under narration with the voice as sidechain and adds them exactly', () => {
    const a = audioGraph({ narration: 'n.wav', music: { file: 'm.m4a', volume: 0.1, duck: true, fadeIn: 1, fadeOut: 2 } }, 3, 30);
    expect(a.inputs).toEqual(['-i', 'n.wav', '-stream_loop', '-1', '-i', 'm.m4a']);
    const f = a.filters.join(';');
    expect(f).toContain('[mus][key]sidechaincompress');
    expect(f).toContain('afade=t=out:st=28.000:d=2.000');
    expect(f).toContain('amerge=inputs=2,pan=stereo|c0=c0+c2|c1=c1+c3');
  });

  it('makes silence when there is no audio at all', () => {
    expect(audioGraph({}, 0, 5).filters).toEqual(['anullsrc=r=48000:cl=stereo,atrim=0:5.000[aout]']);
  });
});

describe('pickMusic', () => {
  it('is deterministic per seed and only picks audio files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpv2-music-'));
    for (const f of ['a.m4a', 'b.mp3', 'c.ogg', 'notes.txt']) writeFileSync(join(dir, f), 'x');
    const pick = (seed: string) => pickMusic({ dir, seed }).file;
    expect(pick('s1')).toBe(pick('s1'));
    expect(new Set(['s1', 's2', 's3', 's4', 's5', 's6'].map(pick)).size).toBeGreaterThan(1);
    expect([...new Set(['s1', 's2', 's3', 's4', 's5', 's6'].map(pick))].every((f) => !f.endsWith('.txt'))).toBe(true);
    expect(() => pickMusic({ dir: join(dir, 'nope'), seed: 1 })).toThrow(/does not exist/);
  });

  it('a track picked from a project folder is checked like any path: a symlink to .env is refused', () => {
    const root = mkdtempSync(join(tmpdir(), 'mpv2-music-'));
    writeFileSync(join(root, '.env'), 'KEY=1');
    mkdirSync(join(root, 'music'));
    symlinkSync(join(root, '.env'), join(root, 'music', 'calm.mp3'));
    expect(() => pickMusic({ dir: join(root, 'music'), seed: 1, check: (f) => resolveStepPath({ root }, root, f) })).toThrow(expect.objectContaining({ code: 'E_PATH_RESERVED' }));
  });
});
