/**
 * mpv2 as an MCP server (the official TypeScript SDK's low-level `Server`, because tool input
 * schemas are JSON Schema built at run time from the pipelines' `inputs`, not zod shapes):
 * the tools of ./tools.ts and run artifacts as resources. One factory serves both transports:
 * `mpv2 mcp` on stdio, and `/mcp` (Streamable HTTP, stateless) under `mpv2 serve`.
 * Every answer passes the project's redactor; errors carry mpv2's code and hint.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { toMpv2Error } from '../errors.js';
import { listResources, readResource, RESOURCE_TEMPLATE } from './resources.js';
import { currentTools, type McpDeps } from './tools.js';

export function createMcpServer(deps: McpDeps, version: string): Server {
  const server = new Server(
    { name: 'mpv2', title: 'mpv2 pipelines', version },
    {
      capabilities: { tools: {}, resources: {} },
      instructions: 'mpv2 runs declarative content pipelines (script → images → narration → captions → video → upload/post/email). list_pipelines, then run_pipeline (or run_<id>) with waitSeconds; effect steps act at most once, and steps that need approval wait for decide_approval. Run artifacts are resources mpv2://runs/{runId}/{path}.',
    },
  );
  const redact = <T>(v: T): T => deps.project.redactor.redactDeep(v) as T;

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: (await currentTools(deps)).map((t) => ({
      name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema,
      annotations: { title: t.title, readOnlyHint: t.readOnly, destructiveHint: false, idempotentHint: t.readOnly, openWorldHint: !t.readOnly },
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (req): Promise<CallToolResult> => {
    const tool = (await currentTools(deps)).find((t) => t.name === req.params.name);
    if (!tool) return failure({ code: 'E_NOT_FOUND', message: `no tool "${req.params.name}"`, hint: 'tools/list names the tools' });
    try {
      const result = redact(await tool.run(deps, (req.params.arguments ?? {}) as Record<string, unknown>));
      return {
        content: [{ type: 'text', text: JSON.stringify(result, null, 2) }],
        structuredContent: Array.isArray(result) ? { items: result } : (result as Record<string, unknown>),
      };
    } catch (e) {
      const err = toMpv2Error(e, 'E_INTERNAL');
      return failure(redact({ code: err.code, message: err.message, ...(err.hint && { hint: err.hint }), ...(err.pluginCode && { pluginCode: err.pluginCode }) }));
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: await listResources(deps) }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: [{ uriTemplate: RESOURCE_TEMPLATE, name: 'run-artifact', title: 'Run artifact', description: 'A file a run wrote (video, thumbnail, captions, outputs), by run id and path inside the run folder.' }],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (req) => ({ contents: [readResource(deps, req.params.uri)] }));
  return server;
}

function failure(error: { code: string; message: string; hint?: string; pluginCode?: string }): CallToolResult {
  const text = `${error.code}: ${error.message}${error.hint ? `\nHint: ${error.hint}` : ''}`;
  return { isError: true, content: [{ type: 'text', text }], structuredContent: { error } };
}
