/** `mpv2 worker --health-port N`: `/healthz` (200 while the worker runs and reaches its queue) and `/metrics`. */
import { createServer, type Server } from 'node:http';
import type { WorkerMetrics } from './metrics.js';

export interface HealthStatus {
  ok: boolean;
  [k: string]: unknown;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export async function startHealthServer(o: { port: number; host?: string; metrics: WorkerMetrics; status(): Promise<HealthStatus> }): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    void (async () => {
      try {
        if (path === '/healthz') {
          const s = await o.status();
          res.writeHead(s.ok ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify(s)}\n`);
        } else if (path === '/metrics') {
          res.writeHead(200, { 'content-type': o.metrics.contentType }).end(await o.metrics.text());
        } else {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
        }
      } catch (e) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(e as Error).message}\n`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
