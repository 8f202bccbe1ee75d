/**
 * `mpv2 mcp`: the MCP server on stdin/stdout for an agent that starts mpv2 itself (Claude
 * Desktop, n8n, an IDE). stdout carries JSON-RPC only; mpv2's own lines go to stderr. Runs
 * are set up as `mpv2 serve` sets them up (src/serve/open-runs.ts): they run in this process,
 * or, when `queue.url` is set, are queued to the workers and followed on their event streams.
 * When the client closes stdin, running runs are stopped as Ctrl-C stops a CLI run.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Project } from '../engine/project.js';
import { openRuns } from '../serve/open-runs.js';
import { VERSION } from '../serve/server.js';
import { createMcpServer } from './server.js';

export interface McpSession {
  /** Stops the runs of this process, closes the protocol and the shared stores. */
  close(): Promise<void>;
}

/** The MCP server of `mpv2 mcp` on any transport (stdio in the command, an in-memory pair in tests). */
export async function serveMcp(project: Project, transport: Transport, o: { pollMs?: number } = {}): Promise<McpSession> {
  const opened = await openRuns(project, o);
  const server = createMcpServer({ project, runs: opened.runs }, VERSION);
  try {
    await server.connect(transport);
  } catch (e) {
    await opened.close();
    throw e;
  }
  let closed: Promise<void> | undefined;
  return {
    close: () => (closed ??= (async () => {
      await opened.runs.close();
      await server.close();
      await opened.close();
    })()),
  };
}

export async function serveStdio(project: Project): Promise<void> {
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  const session = await serveMcp(project, transport);
  await closed;
  await session.close();
}
