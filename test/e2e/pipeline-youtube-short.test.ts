/**
 * The whole youtube-short pipeline through the CLI: a local server speaking the OpenAI
 * chat-completions protocol writes the script, then real espeak-ng, sharp and ffmpeg make the Short.
 * A second run is fully cached and asks the LLM nothing.
 */
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLlmServer, scriptResponder, type LlmServer } from '../servers/llm.js';
import { events, REPO, tempProject, type TempProject } from './engine-helpers.js';

describe('pipelines/youtube-short.yaml end to end', () => {
  let llm: LlmServer;
  let project: TempProject;
  const KEY = 'sk-test-e2e-0123456789abcdef';

  beforeAll(async () => {
    llm = await startLlmServer({ responder: scriptResponder, apiKey: KEY });
    project = tempProject({
      '.mpv2rc.yaml': `llm:\n  defaultProvider: local\n  providers:\n    local:\n      type: openai\n      baseUrl: ${llm.url}/v1\n      model: test-model\n`,
    });
    cpSync(join(REPO, 'pipelines'), join(project.root, 'pipelines'), { recursive: true });
    cpSync(join(REPO, 'assets', 'music'), join(project.root, 'assets', 'music'), { recursive: true });
  });
  afterAll(async () => {
    await llm?.close();
    project?.remove();
  });

  it('writes the script with the LLM, renders the Short, and re-runs from the cache', async () => {
    const env = { MPV2_LLM__PROVIDERS__LOCAL__API_KEY: KEY };
    const args = ['run', 'pipelines/youtube-short.yaml', '--input', 'topic=Octopus hearts', '--input', 'seconds=10', '--json'];
    const first = await project.cli(args, env);
    expect(first.code, first.stderr).toBe(0);
    const evs = events(first.stdout);
    const done = evs.find((e) => e.event === 'run.finished') as unknown as { status: string; outputs: Record<string, string> };
    expect(done.status).toBe('succeeded');
    expect(done.outputs.title).toBe('The truth about Octopus hearts');
    expect(existsSync(done.outputs.video!)).toBe(true);
    const probe = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'json', done.outputs.video!], { encoding: 'utf8' });
    const streams = (JSON.parse(probe.stdout) as { streams: Array<{ codec_name: string; width?: number; height?: number }> }).streams;
    expect(streams.find((s) => s.codec_name === 'h264')).toMatchObject({ width: 1080, height: 1920 });
    expect(streams.some((s) => s.codec_name === 'aac')).toBe(true);
    const calls = llm.count('/chat/completions');
    expect(calls).toBe(1);
    // the key never reaches the events
    expect(first.stdout).not.toContain(KEY);

    const second = await project.cli(args, env);
    expect(second.code, second.stderr).toBe(0);
    const finished = events(second.stdout).filter((e) => e.event === 'step.finished');
    expect(finished.map((e) => e.cached)).toEqual([true, true, true, true]);
    expect(llm.count('/chat/completions')).toBe(calls);
  }, 240_000);
});
