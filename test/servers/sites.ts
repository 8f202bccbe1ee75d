/**
 * Local websites for email discovery: one HTTP server on 127.0.0.1 serving several sites,
 * told apart by the Host header (the crawler maps their names to 127.0.0.1 through
 * config `outreach.crawl.hosts`). A page can be HTML, another type, a status, or hang forever.
 */
import { createServer, type Server } from 'node:http';
import { listenLoopback } from './listen.js';

export type PageSpec = string | { status?: number; type?: string; body?: string; hang?: boolean };

export interface SiteSpec {
  /** Path → page. Missing paths answer 404. */
  pages: Record<string, PageSpec>;
  /** robots.txt body; absent → 404. */
  robots?: string;
}

export interface SitesServer {
  port: number;
  /** `http://<host>:<port>` */
  url(host: string): string;
  /** Requests seen, as `host path`. */
  requests: string[];
  close(): Promise<void>;
}

export async function startSites(sites: Record<string, SiteSpec>): Promise<SitesServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(`${host} ${path}`);
    const site = sites[host];
    if (!site) { res.writeHead(404).end(); return; }
    if (path === '/robots.txt') {
      if (site.robots === undefined) { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'content-type': 'text/plain' }).end(site.robots);
      return;
    }
    const page = site.pages[path];
    if (page === undefined) { res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>'); return; }
    const spec = typeof page === 'string' ? { body: page } : page;
    if (spec.hang) return; // never answers; the socket is destroyed on close()
    res.writeHead(spec.status ?? 200, { 'content-type': spec.type ?? 'text/html; charset=utf-8' }).end(spec.body ?? '');
  });
  const { port, close } = await listenLoopback(server);
  return {
    port,
    url: (host) => `http://${host}:${port}`,
    requests,
    close,
  };
}
