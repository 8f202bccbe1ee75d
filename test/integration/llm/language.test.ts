/**
 * `language:` on a pipeline and a step reaches the LLM as a system instruction through the real
 * engine (the loopback LLM server sees it), per `foreach` item when the step's language is an
 * expression.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/engine/events.js';
import { openProject } from '../../../src/engine/project.js';
import { executePrepared, prepareRun } from '../../../src/engine/run.js';
import { startLlmServer, type LlmServer } from '../../servers/llm.js';

let srv: LlmServer;
let root: string;

const PIPELINE = `name: llm-language-test
language: ja
steps:
  - id: hello
    uses: llm.generate
    with: { prompt: "Say hello." }
  - id: each
    uses: llm.generate
    foreach: [ar, pt-br]
    language: \${{ item }}
    with: { prompt: "Say hello again." }
`;

beforeAll(async () => {
  srv = await startLlmServer({ responder: () => ({ text: 'hello' }) });
  root = mkdtempSync(join(tmpdir(), 'mpv2-llm-language-'));
  writeFileSync(join(root, 'package.json'), '{"name":"p","private":true}');
  writeFileSync(join(root, '.mpv2rc.yaml'), `llm:\n  providers:\n    local: { type: openai, baseUrl: "${srv.url}/v1", model: test-model }\n`);
  mkdirSync(join(root, 'pipelines'));
  writeFileSync(join(root, 'pipelines', 'lang.yaml'), PIPELINE);
});
afterAll(async () => { await srv.close(); });

it('the model is told to write in the step\'s language (the pipeline\'s, or each item\'s)', async () => {
  const project = await openProject({ cwd: root, env: {} });
  try {
    const req = { project, cwd: root, file: 'pipelines/lang.yaml', inputs: {}, signal: new AbortController().signal, sink: (_: RunEvent) => {} };
    const out = await executePrepared(req, await prepareRun(req));
    expect(out.result.error?.message).toBeUndefined();
    expect(out.result.status).toBe('succeeded');
  } finally {
    project.close();
  }
  const systems = srv.requests.map((r) => (r.body.messages as Array<{ role: string; content: string }>)[0]!).filter((m) => m.role === 'system').map((m) => m.content);
  expect(systems.some((s) => s.includes('Write your answer in Japanese (language tag ja)'))).toBe(true);
  expect(systems.some((s) => s.includes('in Arabic (language tag ar)'))).toBe(true);
  expect(systems.some((s) => s.includes('in Brazilian Portuguese (language tag pt-BR)'))).toBe(true);
});
