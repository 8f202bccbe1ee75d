/**
 * The MCP server over Streamable HTTP at /mcp under a real `mpv2 serve`, driven by the official
 * SDK's client: the tools and their schemas (one per pipeline, from its inputs), validation with
 * lines and columns, a run waited for, approvals decided through a tool (the act at a loopback
 * server happens once), run artifacts as resources, errors with mpv2's codes, and the token.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_PIPELINE, startHarness, type ServeHarness } from '../serve/harness.js';
import { startScriptedServer, type ScriptedServer } from '../../servers/http-scripted.js';
import { PUBLISH } from './pipelines.js';

let h: ServeHarness;
let target: ScriptedServer;
let targetUrl: string;

async function connect(headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'mpv2-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${h.base}/mcp`), { requestInit: { headers } }));
  return client;
}

type ToolResult = { isError?: boolean; structuredContent?: Record<string, any>; content: Array<{ type: string; text?: string }> };
const call = async (c: Client, name: string, args: Record<string, unknown> = {}) => (await c.callTool({ name, arguments: args })) as ToolResult;

beforeAll(async () => {
  target = await startScriptedServer({ '/posts': { status: 201, json: { id: 'p1' } } });
  targetUrl = target.url;
  h = await startHarness({
    'pipelines/fast.yaml': FAST_PIPELINE,
    'pipelines/shorts/publish.yaml': PUBLISH,
    'pipelines/broken.yaml': 'name: broken\nsteps:\n  - id: x\n    uses: core.nope\n',
  }, { env: { MPV2_TEST_SECRET: 'unused' } });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await target?.close();
});

describe('MCP over HTTP (/mcp)', () => {
  it('lists the tools: the fixed ones, and one per loadable pipeline whose schema is its inputs', async () => {
    const c = await connect();
    const { tools } = await c.listTools();
    const names = tools.map((t) => t.name);
    for (const n of ['list_pipelines', 'describe_pipeline', 'validate_pipeline', 'run_pipeline', 'get_run', 'list_approvals', 'decide_approval']) expect(names).toContain(n);
    expect(names).toContain('run_fast');
    expect(names).toContain('run_shorts_publish');
    expect(names).not.toContain('run_broken'); // a pipeline that does not load is no tool
    const fast = tools.find((t) => t.name === 'run_fast')!;
    expect(fast.inputSchema.properties!.inputs).toMatchObject({
      type: 'object', additionalProperties: false,
      properties: { greeting: { type: 'string', default: 'hello', description: 'What to write' }, times: { type: 'integer', default: 2 } },
    });
    const publish = tools.find((t) => t.name === 'run_shorts_publish')!;
    expect(publish.inputSchema.required).toEqual(['inputs']);
    expect(tools.find((t) => t.name === 'get_run')!.annotations).toMatchObject({ readOnlyHint: true });
    await c.close();
  });

  it('list_pipelines and describe_pipeline give the catalogue; validate_pipeline the problems with line and column', async () => {
    const c = await connect();
    const list = await call(c, 'list_pipelines');
    expect(list.structuredContent!.items.map((p: { id: string }) => p.id).sort()).toEqual(['broken', 'fast', 'shorts/publish']);
    const broken = await call(c, 'describe_pipeline', { id: 'broken' });
    expect(broken.structuredContent).toMatchObject({ id: 'broken', valid: false });
    const v = await call(c, 'validate_pipeline', { yaml: 'name: x\nsteps:\n  - id: a\n    uses: core.set\n    with: { value: 1 }\n  - id: b\n    uses: core.nope\n' });
    expect(v.structuredContent).toMatchObject({ valid: false, problems: [{ code: 'E_PLUGIN_NOT_FOUND', line: 7, column: 11 }] });
    const missing = await call(c, 'describe_pipeline', { id: 'nope' });
    expect(missing.isError).toBe(true);
    expect(missing.structuredContent!.error).toMatchObject({ code: 'E_NOT_FOUND' });
    await c.close();
  });

  it('run_fast waits for the run and returns its outputs; get_run reads it; its files are resources', async () => {
    const c = await connect();
    const r = await call(c, 'run_fast', { inputs: { greeting: 'hey' }, waitSeconds: 60 });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ status: 'succeeded', pipeline: 'pipelines/fast.yaml' });
    const runId = r.structuredContent!.runId as string;
    const got = await call(c, 'get_run', { runId });
    expect(got.structuredContent).toMatchObject({ runId, status: 'succeeded', inputs: { greeting: 'hey', times: 2 } });

    const { resources } = await c.listResources();
    const file = resources.find((x) => x.uri === `mpv2://runs/${runId}/out/hello.txt`);
    expect(file).toMatchObject({ mimeType: 'text/plain' });
    const read = await c.readResource({ uri: file!.uri });
    expect(read.contents[0]).toMatchObject({ text: 'hey world, 0123456789' });
    const { resourceTemplates } = await c.listResourceTemplates();
    expect(resourceTemplates[0]!.uriTemplate).toBe('mpv2://runs/{runId}/{+path}');
    await expect(c.readResource({ uri: `mpv2://runs/${runId}/..%2F..%2Fstate.db` })).rejects.toThrow(/not a path inside run/);
    await c.close();
  });

  it('a run that needs approval stops; decide_approval approves it and the act happens exactly once', async () => {
    const c = await connect();
    const r = await call(c, 'run_pipeline', { pipeline: 'shorts/publish', inputs: { url: targetUrl }, waitSeconds: 60 });
    expect(r.structuredContent).toMatchObject({ status: 'waiting-approval' });
    const runId = r.structuredContent!.runId as string;
    const pending = await call(c, 'list_approvals', { runId });
    expect(pending.structuredContent!.items).toHaveLength(1);
    const a = pending.structuredContent!.items[0] as { id: string; stepId: string; plugin: string };
    expect(a).toMatchObject({ stepId: 'post', plugin: 'http.request' });
    expect(target.hits('/posts')).toBe(0);

    const decided = await call(c, 'decide_approval', { id: a.id, decision: 'approve', note: 'looks good' });
    expect(decided.isError).toBeFalsy();
    expect(decided.structuredContent).toMatchObject({ continued: { runId, where: 'process' } });
    // the resumed run's events end with run.finished (the event log continues the numbering)
    await new Promise<void>((resolve) => {
      void h.server.runs.subscribe(runId, undefined, (e) => {
        if (e.event.event === 'run.finished' && (e.event as { status?: string }).status !== 'waiting-approval') resolve();
      });
    });
    expect((await h.server.runs.get(runId)).status).toBe('succeeded');
    expect(target.hits('/posts')).toBe(1);
    const again = await call(c, 'decide_approval', { id: a.id, decision: 'approve' });
    expect(again.isError).toBe(true);
    expect(again.structuredContent!.error.code).toBe('E_APPROVAL_DECIDED');
    expect(target.hits('/posts')).toBe(1);
    await c.close();
  });

  it('GET /mcp is 405 (stateless), and bad arguments are errors with a hint, not crashes', async () => {
    expect((await fetch(`${h.base}/mcp`)).status).toBe(405);
    const c = await connect();
    const bad = await call(c, 'run_pipeline', { pipeline: '' });
    expect(bad.isError).toBe(true);
    expect(bad.content[0]!.text).toMatch(/^E_USAGE: `pipeline` must be a non-empty string\nHint:/);
    await c.close();
  });
});

describe('MCP behind a token', () => {
  it('answers 401 without the Bearer token and works with it', async () => {
    const secured = await startHarness({ 'pipelines/fast.yaml': FAST_PIPELINE }, { env: { MPV2_SERVE_TOKEN: 'tok-5f3a9c1e7b' } });
    try {
      const res = await fetch(`${secured.base}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
      expect(res.status).toBe(401);
      const client = new Client({ name: 't', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${secured.base}/mcp`), { requestInit: { headers: { authorization: 'Bearer tok-5f3a9c1e7b' } } }));
      expect((await client.listTools()).tools.length).toBeGreaterThan(7);
      await client.close();
    } finally {
      await secured.close();
    }
  });
});
