/**
 * `mpv2 mcp` on stdio, started by the official SDK's client as an agent starts it: the tools,
 * a pipeline run through its own tool with its outputs, and stdout carrying only the protocol
 * (the SDK client would fail on anything else).
 */
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { GREET } from '../integration/mcp/pipelines.js';
import { cleanEnv, ensureBuilt, makeProject, REPO } from './cli-harness.js';

beforeAll(ensureBuilt, 300_000);

describe('mpv2 mcp (stdio)', () => {
  it('lists the tools and runs a pipeline through its tool, waiting for its outputs', async () => {
    const root = makeProject({ 'pipelines/greet.yaml': GREET });
    const transport = new StdioClientTransport({ command: process.execPath, args: [join(REPO, 'bin', 'run.js'), 'mcp'], cwd: root, env: cleanEnv() as Record<string, string>, stderr: 'pipe' });
    const client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      const greet = tools.find((t) => t.name === 'run_greet');
      expect(greet?.inputSchema).toMatchObject({ properties: { inputs: { properties: { who: { type: 'string', description: 'Whom to greet' } }, required: ['who'] } }, required: ['inputs'] });
      const r = await client.callTool({ name: 'run_greet', arguments: { inputs: { who: 'Ada' }, waitSeconds: 60 } }) as unknown as { structuredContent: Record<string, unknown> };
      expect(r.structuredContent).toMatchObject({ status: 'succeeded', outputs: { text: 'Hello, Ada!' } });
      const bad = await client.callTool({ name: 'run_greet', arguments: { inputs: {} } }) as unknown as { isError: boolean; structuredContent: { error: { code: string } } };
      expect(bad.isError).toBe(true);
      expect(bad.structuredContent.error.code).toBe('E_INPUT_INVALID');
    } finally {
      await client.close();
    }
  }, 120_000);
});
