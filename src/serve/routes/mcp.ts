/**
 * `/mcp`: the MCP server over Streamable HTTP, stateless (a fresh SDK server and transport per
 * request, as the SDK recommends when nothing is pushed to clients), behind the same token and
 * origin checks as /api. GET (a server-to-client stream) and DELETE (a session) are 405: there
 * are no sessions.
 */
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpServer } from '../../mcp/server.js';
import { VERSION, type ServeContext } from '../server.js';

export function registerMcpRoute(ctx: ServeContext): void {
  const { app, project, runs } = ctx;
  app.post('/mcp', async (req, reply) => {
    reply.hijack();
    const server = createMcpServer({ project, runs }, VERSION);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req.raw, reply.raw, req.body);
  });
  const notAllowed = async (_req: unknown, reply: import('fastify').FastifyReply) =>
    reply.code(405).header('allow', 'POST').type('application/json').send(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'this MCP endpoint is stateless: POST JSON-RPC requests to /mcp' }, id: null }));
  app.get('/mcp', notAllowed);
  app.delete('/mcp', notAllowed);
}
