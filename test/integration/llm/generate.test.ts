import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import llmPlugins, { namespace as llmNamespace } from '../../../plugins/llm/index.js';
import generate, { type GenerateInput } from '../../../plugins/llm/generate.js';
import { createHttpClient } from '../../../src/infra/http.js';
import { makeTestContext } from '../../helpers/context.js';
import { llmConfigSchema } from '../../../plugins/llm/config.js';
import { configSection } from 'mpv2/testing';
import { scriptResponder, startLlmServer, type LlmServer } from '../../servers/llm.js';

let srv: LlmServer;
beforeAll(async () => { srv = await startLlmServer(); });
afterAll(async () => { await srv.close(); });

const config = () => ({ providers: { local: { type: 'openai', baseUrl: `${srv.url}/v1`, model: 'test-model' } } });
const withDefaults = (w: Partial<GenerateInput>): GenerateInput => ({ vars: {}, stream: true, callCache: '1d', ...w });
const scriptPrompt = readFileSync(fileURLToPath(new URL('../../../pipelines/prompts/short-script.md', import.meta.url)), 'utf8');

const scriptSchema = {
  type: 'object',
  required: ['title', 'description', 'tags', 'narration', 'imageQueries'],
  properties: {
    title: { type: 'string', maxLength: 100 },
    description: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    narration: { type: 'string' },
    imageQueries: { type: 'array', minItems: 1, items: { type: 'string' } },
  },
};

describe('llm.generate', () => {
  it('is the only plugin of the namespace and carries its defaults', () => {
    expect(llmPlugins.map((p) => p.id)).toEqual(['llm.generate']);
    expect(generate.defaults).toEqual({ cache: '1d', retry: { attempts: 4, backoff: 'exponential', initial: '2s', max: '60s' } });
    expect((llmNamespace.config!.schema as { properties: { providers: { additionalProperties: { properties: { apiKey: { writeOnly: boolean } } } } } }).properties.providers.additionalProperties.properties.apiKey.writeOnly).toBe(true);
  });

  it('fills the shipped short-script prompt and returns the structured script', async () => {
    const root = makeTestContext().root;
    mkdirSync(join(root, 'prompts'));
    writeFileSync(join(root, 'prompts', 'short-script.md'), scriptPrompt);
    const ctx = makeTestContext({ configSchema: llmConfigSchema, root, config: config() });
    const script = { title: 'Why octopuses have three hearts', description: 'A quick dive. #ocean', tags: ['octopus'], narration: 'Octopuses have three hearts.', imageQueries: ['octopus coral reef'] };
    srv.enqueue({ json: script });
    const out = await generate.run(ctx, withDefaults({ promptFile: 'prompts/short-script.md', vars: { topic: 'octopus hearts', seconds: 30 }, output: { schema: scriptSchema } }));
    expect(out).toMatchObject({ data: script, provider: 'local', calls: 1, cached: false });
    const sent = srv.requests.at(-1)!.body;
    const msgs = sent.messages as Array<{ role: string; content: string }>;
    expect(msgs[0]!.role).toBe('system');
    expect(msgs[0]!.content).toContain('You write scripts for narrated vertical short videos');
    expect(msgs[0]!.content).toContain('"maxLength":100');
    expect(msgs[1]!.content).toContain('30-second Short about: octopus hearts');
    expect(msgs[1]!.content).toContain('in English');
    expect(msgs[1]!.content).not.toMatch(/\{\{/);
    expect(sent.temperature).toBe(0.8);
  });

  it('scriptResponder (bench / e2e) answers the shipped prompt with a valid script', async () => {
    const s2 = await startLlmServer({ responder: scriptResponder });
    try {
      const ctx = makeTestContext({ configSchema: llmConfigSchema, config: { providers: { local: { type: 'openai', baseUrl: `${s2.url}/v1`, model: 'm' } } } });
      writeFileSync(join(ctx.root, 'script.md'), scriptPrompt);
      const out = await generate.run(ctx, withDefaults({ promptFile: 'script.md', vars: { topic: 'honey bees' }, output: { schema: scriptSchema } }));
      const data = out.data as { title: string; imageQueries: string[] };
      expect(data.title).toBe('The truth about honey bees');
      expect(data.imageQueries).toHaveLength(4);
      expect(s2.count('/chat/completions')).toBe(1);
    } finally { await s2.close(); }
  });

  it('a prompt-file placeholder without a value is a clear error', async () => {
    const ctx = makeTestContext({ configSchema: llmConfigSchema, config: config() });
    writeFileSync(join(ctx.root, 'p.md'), 'Write about {{ topic }} for ${{ vars.who }}.');
    const before = srv.count();
    await expect(generate.run(ctx, withDefaults({ promptFile: 'p.md', vars: { topic: 'x' } }))).rejects.toMatchObject({
      code: 'E_INPUT_INVALID', message: expect.stringContaining('no value for "{{ who }}" (vars given: topic)'),
    });
    expect(srv.count()).toBe(before);
  });

  it('refuses a prompt file outside the project', async () => {
    const ctx = makeTestContext({ configSchema: llmConfigSchema, config: config() });
    await expect(generate.run(ctx, withDefaults({ promptFile: '../../etc/passwd' }))).rejects.toMatchObject({ code: 'E_PATH_OUTSIDE_ROOT' });
  });

  it('needs exactly one of prompt, promptFile, messages', async () => {
    const ctx = makeTestContext({ configSchema: llmConfigSchema, config: config() });
    await expect(generate.run(ctx, withDefaults({}))).rejects.toMatchObject({ code: 'E_PLUGIN_INPUT_INVALID' });
    await expect(generate.run(ctx, withDefaults({ prompt: 'a', messages: [{ role: 'user', content: 'b' }] }))).rejects.toMatchObject({ code: 'E_PLUGIN_INPUT_INVALID' });
  });

  it('plain text: data is null; system goes first', async () => {
    const ctx = makeTestContext({ configSchema: llmConfigSchema, config: config() });
    const out = await generate.run(ctx, withDefaults({ prompt: 'say hi', system: 'be brief', stream: false }));
    expect(out.text).toBe('echo: say hi');
    expect(out.data).toBeNull();
    expect(srv.requests.at(-1)!.body.messages).toEqual([{ role: 'system', content: 'be brief' }, { role: 'user', content: 'say hi' }]);
  });

  it('computes a static output schema so steps.x.outputs.data.title can be checked', () => {
    const s = generate.outputSchema!({ output: { schema: scriptSchema } }) as { properties: { data: unknown } };
    expect(s.properties.data).toEqual(scriptSchema);
    expect(generate.outputSchema!({ output: { schema: { type: 'object', properties: { a: { enum: '${{ inputs.x }}' } } } } })).toBeUndefined();
    expect(generate.outputSchema!({ prompt: 'x' })).toBeUndefined();
  });

  it('check(): one result per provider, with a warning for a missing model', async () => {
    const results = await llmNamespace.doctorChecks!({
      config: configSection(llmConfigSchema, { providers: { ...config().providers, ol: { type: 'ollama', baseUrl: srv.url, model: 'absent' }, mi: { type: 'mistral', baseUrl: srv.url, model: 'mistral-small-latest', apiKey: 'k' } } }),
      secrets: {}, root: '/', http: createHttpClient(), signal: new AbortController().signal,
    });
    const list = Array.isArray(results) ? results : [results];
    expect(list.map((r) => [r.name, r.level])).toEqual([['llm provider local', 'ok'], ['llm provider ol', 'warn'], ['llm provider mi', 'ok']]);
    expect(list[1]!.message).toContain('"absent"');
    const wrongUrl = await llmNamespace.doctorChecks!({ config: configSection(llmConfigSchema, { providers: { w: { type: 'ollama', baseUrl: `${srv.url}/nope`, model: 'm' } } }), secrets: {}, root: '/', http: createHttpClient(), signal: new AbortController().signal });
    expect(wrongUrl).toMatchObject([{ level: 'error', ok: false, hint: expect.stringContaining('check baseUrl') }]);
    const none = await llmNamespace.doctorChecks!({ config: configSection(llmConfigSchema), secrets: {}, root: '/', http: createHttpClient(), signal: new AbortController().signal });
    expect(JSON.stringify(none)).toContain('no LLM provider is configured');
  });
});
