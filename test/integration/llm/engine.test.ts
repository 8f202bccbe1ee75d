/**
 * llm.generate through the real engine (config loading, env keys, expressions in `with`,
 * static output checks, the step cache), against the loopback LLM server.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/engine/events.js';
import { openProject } from '../../../src/engine/project.js';
import { executePrepared, prepareRun } from '../../../src/engine/run.js';
import { scriptResponder, startLlmServer, type LlmServer } from '../../servers/llm.js';

const KEY = 'sk-engine-test-0123456789abcdef';
let srv: LlmServer;
let root: string;

const PIPELINE = `name: llm-engine-test
inputs:
  topic: { type: string }
steps:
  - id: script
    uses: llm.generate
    with:
      promptFile: prompts/short-script.md
      vars: { topic: "\${{ inputs.topic }}", seconds: 30 }
      output:
        schema:
          type: object
          required: [title, description, tags, narration, imageQueries]
          properties:
            title: { type: string, maxLength: 100 }
            description: { type: string }
            tags: { type: array, items: { type: string } }
            narration: { type: string }
            imageQueries: { type: array, items: { type: string } }
outputs:
  title: \${{ steps.script.outputs.data.title }}
  queries: \${{ steps.script.outputs.data.imageQueries }}
  calls: \${{ steps.script.outputs.calls }}
`;

beforeAll(async () => {
  srv = await startLlmServer({ responder: scriptResponder, apiKey: KEY });
  root = mkdtempSync(join(tmpdir(), 'mpv2-llm-engine-'));
  writeFileSync(join(root, 'package.json'), '{"name":"p","private":true}');
  writeFileSync(join(root, '.mpv2rc.yaml'), `llm:\n  providers:\n    openai: { baseUrl: "${srv.url}/v1", model: test-model }\n`);
  mkdirSync(join(root, 'pipelines', 'prompts'), { recursive: true });
  copyFileSync(fileURLToPath(new URL('../../../pipelines/prompts/short-script.md', import.meta.url)), join(root, 'pipelines', 'prompts', 'short-script.md'));
  writeFileSync(join(root, 'pipelines', 'short.yaml'), PIPELINE);
});
afterAll(async () => { await srv.close(); });

async function run(topic: string, extra: { noCache?: boolean } = {}) {
  const project = await openProject({ cwd: root, env: { OPENAI_API_KEY: KEY } });
  const events: RunEvent[] = [];
  try {
    const req = { project, cwd: root, file: 'pipelines/short.yaml', inputs: { topic }, signal: new AbortController().signal, sink: (e: RunEvent) => { events.push(e); }, ...extra };
    const out = await executePrepared(req, await prepareRun(req));
    return { out, events };
  } finally {
    project.close();
  }
}

describe('llm.generate in the engine', () => {
  it('runs the shipped prompt with the key from the environment, then the step cache answers', async () => {
    const before = srv.count('/chat/completions');
    const first = await run('honey bees');
    expect(first.out.result.error?.message).toBeUndefined();
    expect(first.out.result.status).toBe('succeeded');
    expect(first.out.result.outputs).toMatchObject({ title: 'The truth about honey bees', calls: 1 });
    expect((first.out.result.outputs!.queries as string[]).length).toBe(4);
    expect(srv.count('/chat/completions')).toBe(before + 1);
    expect(srv.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(first.events.some((e) => e.event === 'step.progress' && /openai: \d+ tokens/.test(e.message ?? ''))).toBe(true);
    expect(JSON.stringify(first.events)).not.toContain(KEY);

    const second = await run('honey bees');
    expect(second.out.result.status).toBe('succeeded');
    expect(srv.count('/chat/completions')).toBe(before + 1);
    const fin = second.events.find((e) => e.event === 'step.finished') as { cached?: boolean } | undefined;
    expect(fin?.cached).toBe(true);
  });

  it('a wrong output reference is found before running', async () => {
    writeFileSync(join(root, 'pipelines', 'bad.yaml'), PIPELINE.replace('data.title', 'data.titel').replace('name: llm-engine-test', 'name: bad'));
    const project = await openProject({ cwd: root, env: { OPENAI_API_KEY: KEY } });
    try {
      const req = { project, cwd: root, file: 'pipelines/bad.yaml', inputs: { topic: 'x' }, signal: new AbortController().signal, sink: () => {} };
      await expect(prepareRun(req)).rejects.toThrow(/titel/);
    } finally {
      project.close();
    }
  });
});
