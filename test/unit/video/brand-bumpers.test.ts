/** The brand's intro and outro in the timeline, the zoom curve, the soundtrack and the merge; the thumbnail title's layout. */
import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../../plugins/video/timeline.js';
import { buildGraph, zoomCurve, type GraphPlan } from '../../../plugins/video/graph.js';
import { audioGraph } from '../../../plugins/video/audio-graph.js';
import { mergeBrand } from '../../../plugins/video/brand.js';
import { bumperLines } from '../../../plugins/video/brand-bumpers.js';
import { buildTitleAss } from '../../../plugins/video/ass.js';
import { snapBoundsToBeats } from '../../../plugins/video/beats.js';

describe('brand intro and outro', () => {
  it('gives the intro and outro their own slots, the body its frames after the intro, and never moves their boundaries onto beats', () => {
    const t = buildTimeline(3, [1, 1], 10, 0.4, (b) => snapBoundsToBeats(b, [1.0, 2.5, 3.9], 10, { toleranceSec: 0.5, minFrames: 4 }), { introFrames: 10, outroFrames: 15 });
    expect(t.totalFrames).toBe(10 + 30 + 15);
    expect(t.fadeFrames).toBe(4);
    // the body's inner boundary (frame 25) moved to the beat at 2.5 s = frame 25; 10, 40 stay though beats sit near them
    expect(t.transitions).toEqual([10 - 2, 25 - 2, 40 - 2]);
    expect(t.slots.map((s) => [s.startFrame, s.frames])).toEqual([[0, 12], [8, 19], [23, 19], [38, 17]]);
    // without ends the timeline is what it always was
    expect(buildTimeline(3, [1, 1], 10, 0.4).slots.map((s) => [s.startFrame, s.frames])).toEqual([[0, 17], [13, 17]]);
  });

  it('shows the intro and outro whole, the first scene zooming in from the whole frame', () => {
    // intro [0,10), scenes [10,25), [25,40), outro [40,55)
    const expr = zoomCurve([0, 10, 25, 40, 55], 'n', [true, false, false, true]);
    // the outro holds the value the last scene ends at (it zooms out: 0)
    expect(expr).toBe('if(lt(n,10),0,if(lt(n,25),clip((n-10)/15,0,1),if(lt(n,40),clip((1-(n-25)/15),0,1),0)))');
    // after an odd number of scenes the last one ends zoomed in: the outro eases out to the whole frame
    expect(zoomCurve([0, 10, 25, 40], 'n', [true, false, true])).toBe('if(lt(n,10),0,if(lt(n,25),clip((n-10)/15,0,1),clip(1-(n-25)/5,0,1)))');
    // the same scenes without brand slots alternate exactly as before
    expect(zoomCurve([0, 15, 30])).toBe('if(lt(n,15),clip((n-0)/15,0,1),clip((1-(n-15)/15),0,1))');
  });

  it('plays an intro clip once and holds its last frame; the corner logo covers only the body', () => {
    const visuals: GraphPlan['visuals'] = [
      { kind: 'video', file: 'intro.mp4', source: 'intro.mp4', weight: 0, duration: 1, brand: 'intro' },
      { kind: 'image', file: 'v0.yuv', source: 's0.jpg', weight: 1, raw: { width: 1210, height: 2150 } },
    ];
    const g = buildGraph({
      width: 1080, height: 1920, fps: 30, zoom: 1.12, visuals, timeline: buildTimeline(2, [1], 30, 0.5, undefined, { introFrames: 30, outroFrames: 0 }), transitions: 'overlay', commandFile: 'transitions.cmd',
      scaleFlags: 'bilinear', motion: 'scale', soundtrack: 'soundtrack.m4a', fontsDir: 'fonts', keyframes: [], output: 'video.mp4',
      logo: { file: 'logo.png', x: 10, y: 20, frames: [30, 90] }, encoder: { pre: [], args: ['-c:v', 'libx264'], filterSuffix: '' },
    });
    const fc = g.args[g.args.indexOf('-filter_complex') + 1]!;
    expect(g.args.join(' ')).not.toContain('-stream_loop');
    expect(fc).toContain('tpad=stop_mode=clone:stop=-1');
    expect(fc).toContain("overlay=x=10:y=20:format=yuv420:enable='between(n,30,89)'");
  });

  it('delays the narration by the intro and mixes the clips\' sound in without ducking the music by it', () => {
    const a = audioGraph({
      narration: 'n.wav', narrationDelay: 1.5, clips: [{ file: 'outro.mp4', start: 8, duration: 2, fadeOut: 0.5 }],
      music: { file: 'm.m4a', volume: 0.1, duck: true, fadeIn: 1, fadeOut: 2 },
    }, 0, 10);
    expect(a.inputs).toEqual(['-i', 'n.wav', '-t', '2.000', '-i', 'outro.mp4', '-stream_loop', '-1', '-i', 'm.m4a']);
    const f = a.filters.join(';');
    expect(f).toContain('adelay=delays=1500:all=1,apad,atrim=0:10.000');
    expect(f).toContain('afade=t=out:st=1.500:d=0.500,adelay=delays=8000:all=1');
    expect(f).toContain('[mus][key]sidechaincompress');
    expect(f).toContain('[nar1][duck][clip0]amerge=inputs=3,pan=stereo|c0=c0+c2+c4|c1=c1+c3+c5[aout]');
    // a clip alone, with no narration or music
    expect(audioGraph({ clips: [{ file: 'i.mp4', start: 0, duration: 1, fadeOut: 0.2 }] }, 0, 4).label).toBe('clip0');
  });

  it('merges a step\'s intro over the config\'s: fields kept, the kind replaced, `false` turns it off', () => {
    const config = { intro: { text: 'My channel', background: '#000000', duration: 2 } };
    expect(mergeBrand(config, { intro: { duration: 1 } })?.intro).toEqual({ text: 'My channel', background: '#000000', duration: 1 });
    expect(mergeBrand(config, { intro: { file: 'clip.mp4' } })?.intro).toEqual({ background: '#000000', duration: 2, file: 'clip.mp4' });
    expect(mergeBrand(config, { intro: false })?.intro).toBe(false);
    expect(mergeBrand({ thumbnail: { template: 't.png', band: '#000000' } }, { thumbnail: { titlePosition: 'bottom' } })?.thumbnail).toEqual({ template: 't.png', band: '#000000', titlePosition: 'bottom' });
  });

  it('fades the intro card\'s text out over the crossfade and the outro\'s in', () => {
    const { style, events } = bumperLines([
      { text: { value: 'Hi {there}', top: 0.6 }, start: 0, end: 1.25, fadeIn: 0, fadeOut: 0.5 },
      { text: { value: 'Bye', top: 0.5 }, start: 4.75, end: 6, fadeIn: 0.5, fadeOut: 0 },
    ], { font: 'Montserrat Black', color: '&H00FFFFFF', outline: '&H00000000' }, 1080, 1920);
    expect(style).toMatch(/^Style: BrandCard,Montserrat Black,104,/);
    expect(events[0]).toBe('Dialogue: 2,0:00:00.00,0:00:01.25,BrandCard,,0,0,0,,{\\an8\\pos(540,1152)\\fad(0,500)}Hi ｛there｝');
    expect(events[1]).toBe('Dialogue: 2,0:00:04.75,0:00:06.00,BrandCard,,0,0,0,,{\\an5\\pos(540,960)\\fad(500,0)}Bye');
  });

  it('places the thumbnail title where the brand says, in its size and colours', () => {
    const style = (o: Parameters<typeof buildTitleAss>[6]) => buildTitleAss('Title', 'F', 1080, 1920, 1, false, o).split('\n').find((l) => l.startsWith('Style: Title'))!.split(',');
    // alignment is the 19th field, marginV the 22nd
    expect([style({})[18], style({})[21], style({})[5]]).toEqual(['5', '0', '&H38000000']);
    expect([style({ position: 'top' })[18], style({ position: 'top' })[21]]).toEqual(['8', '173']);
    expect(style({ position: 'bottom' })[18]).toBe('2');
    expect(style({ size: 0.1, color: '&H0000FF00', band: '&H000000FF' }).slice(2, 7)).toEqual(['108', '&H0000FF00', '&H0000FF00', '&H000000FF', '&H00000000']);
  });
});
