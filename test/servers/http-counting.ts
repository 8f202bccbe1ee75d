/**
 * A loopback HTTP server that counts the TCP connections made to it, records the headers of
 * every request, answers `/redirect?to=<url>&status=<code>` with a redirect, and can hold
 * requests until a number of them are in flight at once (to see a client's socket cap).
 *
 *   const b = await startCountingServer();
 *   await client.get(`${a.url}/redirect?to=${encodeURIComponent(b.url + '/land')}`);
 *   b.connections // 1; b.requests[0].headers
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { listenLoopback } from './listen.js';

export interface CountingServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** The requests that reached it, in order. */
  requests: Array<{ path: string; headers: IncomingHttpHeaders }>;
  /** Answer nothing until `n` requests wait at once, then answer them all and every later one at once. */
  holdUntil(n: number): void;
  close(): Promise<void>;
}

export async function startCountingServer(): Promise<CountingServer> {
  let connections = 0;
  let holdFor = 0;
  const held: ServerResponse[] = [];
  const requests: CountingServer['requests'] = [];
  const answer = (res: ServerResponse): void => { res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'); };
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ path: u.pathname, headers: req.headers });
    req.resume();
    if (u.pathname === '/redirect') {
      res.writeHead(Number(u.searchParams.get('status') ?? 302), { location: u.searchParams.get('to') ?? '/' }).end();
      return;
    }
    if (held.length + 1 < holdFor) { held.push(res); return; }
    holdFor = 0;
    for (const r of held.splice(0)) answer(r);
    answer(res);
  });
  server.on('connection', () => { connections++; });
  const { url, port, close } = await listenLoopback(server);
  return {
    url,
    port,
    get connections() { return connections; },
    requests,
    holdUntil(n) { holdFor = n; },
    close,
  };
}
