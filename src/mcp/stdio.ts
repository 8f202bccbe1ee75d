/**
 * `mpv2 mcp`: the MCP server on stdin/stdout for an agent that starts mpv2 itself (Claude
 * Desktop, n8n, an IDE). stdout carries JSON-RPC only; mpv2's own lines go to stderr. Runs
 * started here run in this process (or go to the workers when `queue.url` is set); when the
 * client closes stdin, running runs are stopped as Ctrl-C stops a CLI run.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Project } from '../engine/project.js';
import { RunManager } from '../serve/runs.js';
import { VERSION } from '../serve/server.js';
import { createMcpServer } from './server.js';

export async function serveStdio(project: Project): Promise<void> {
  const runs = new RunManager(project);
  const server = createMcpServer({ project, runs }, VERSION);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.connect(transport);
  await closed;
  await runs.close();
  await server.close();
}
