/** The studio's run view state, folded from `--json` events, and how outputs become media. */
import { describe, expect, it } from 'vitest';
import { srtToVtt } from '../../../studio/src/captions.js';
import { kindOf, runRelative, shownOutputs } from '../../../studio/src/outputs.js';
import { applyEvent, emptyRun, type RunEvent } from '../../../studio/src/run-state.js';

const runId = '20261206-031500Z-abc123';

describe('studio run state', () => {
  it('builds the step tree: progress, logs, retries, waits, foreach items, the end', () => {
    const events: RunEvent[] = [
      { event: 'run.started', pipeline: 'pipelines/x.yaml', name: 'x' },
      { event: 'step.started', stepId: 'a', plugin: 'core.set' },
      { event: 'step.progress', stepId: 'a', fraction: 0.5, message: 'half' },
      { event: 'step.log', stepId: 'a', level: 'warn', message: 'careful' },
      { event: 'step.waiting', stepId: 'a', limit: 'api', waitMs: 1200 },
      { event: 'step.retrying', stepId: 'a', attempt: 1, delayMs: 1000, reason: 'HTTP 429' },
      { event: 'step.finished', stepId: 'a', cached: false, durationMs: 40, outputs: { v: 1 } },
      { event: 'step.started', stepId: 'each', plugin: 'core.set', items: 2 },
      { event: 'step.started', stepId: 'each', index: 1, plugin: 'core.set' },
      { event: 'step.failed', stepId: 'each', index: 1, error: { code: 'E_HTTP', message: 'boom' } },
      { event: 'step.skipped', stepId: 'c', reason: 'not run: step "each" failed' },
      { event: 'step.newfangled', stepId: 'c' },
      { event: 'run.finished', status: 'failed', durationMs: 90, outputs: {} },
    ];
    const s = events.reduce(applyEvent, emptyRun(runId));
    expect(s).toMatchObject({ status: 'failed', finished: true, name: 'x', pipeline: 'pipelines/x.yaml', durationMs: 90 });
    const [a, each, c] = s.steps;
    expect(a).toMatchObject({ stepId: 'a', plugin: 'core.set', status: 'succeeded', fraction: 1, message: 'half', durationMs: 40, outputs: { v: 1 } });
    expect(a!.logs).toEqual([{ level: 'warn', message: 'careful', time: undefined }]);
    expect(a!.retries).toEqual([{ attempt: 1, delayMs: 1000, reason: 'HTTP 429' }]);
    expect(a!.wait).toBeUndefined();
    expect(each).toMatchObject({ status: 'running', itemCount: 2 });
    expect(each!.items![1]).toMatchObject({ status: 'failed', error: { code: 'E_HTTP' } });
    expect(c).toMatchObject({ status: 'skipped', reason: 'not run: step "each" failed' });
  });

  it('marks a step that waits for approval', () => {
    const preview = { key: 'youtube.upload:k', wouldDo: { title: 'T' }, files: ['video/video.mp4'] };
    const s = applyEvent(emptyRun(runId), { event: 'step.waiting-approval', stepId: 'upload', approvalId: 'ap-1', plugin: 'youtube.upload', preview });
    expect(s.steps[0]).toMatchObject({ stepId: 'upload', status: 'waiting-approval', approval: { id: 'ap-1', plugin: 'youtube.upload', preview } });
  });

  it('finds the run files among outputs, absolute or root-relative, never outside the run folder', () => {
    expect(runRelative(`/home/u/p/.mpv2/runs/${runId}/video/video.mp4`, runId)).toBe('video/video.mp4');
    expect(runRelative(`.mpv2/runs/${runId}/video/thumbnail.jpg`, runId)).toBe('video/thumbnail.jpg');
    expect(runRelative(`/p/.mpv2/runs/${runId}/../other/x.mp4`, runId)).toBeUndefined();
    expect(runRelative('/p/.mpv2/runs/another-run/v.mp4', runId)).toBeUndefined();
    const shown = shownOutputs({ video: `/p/.mpv2/runs/${runId}/video/video.mp4`, sheets: [`/p/.mpv2/runs/${runId}/v/a.png`], title: 'Hi', n: 3 }, runId);
    expect(shown.map((o) => [o.name, o.path, o.kind])).toEqual([
      ['video', 'video/video.mp4', 'video'], ['sheets[0]', 'v/a.png', 'image'], ['title', undefined, undefined], ['n', undefined, undefined],
    ]);
    expect(kindOf('a/captions.srt')).toBe('captions-srt');
  });

  it('converts SubRip captions to WebVTT for the <track>', () => {
    const srt = '\uFEFF1\r\n00:00:00,000 --> 00:00:01,250\r\nHello there\r\n\r\n2\r\n00:00:01,250 --> 00:00:02,000\r\nagain\r\n';
    expect(srtToVtt(srt)).toBe('WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.250\nHello there\n\n2\n00:00:01.250 --> 00:00:02.000\nagain\n');
  });
});
