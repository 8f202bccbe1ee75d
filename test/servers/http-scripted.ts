/**
 * A loopback HTTP server that answers from a script, per path, and counts hits, for tests
 * of http.request and of the engine's retries. A route is one response, a list (the n-th
 * hit gets the n-th entry; the last one repeats), or a function of the request.
 *
 *   const srv = await startScriptedServer({ '/flaky': [{ status: 429, headers: { 'retry-after': '1' } }, { json: { ok: true } }] });
 *   await get(`${srv.url}/flaky`); srv.hits('/flaky') // 1
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLoopback } from './listen.js';

export interface ScriptedResponse {
  /** @default 200 */
  status?: number;
  headers?: Record<string, string | string[]>;
  /** Sent as JSON with content-type application/json. */
  json?: unknown;
  /** Sent as it is (content-type text/plain unless `headers` sets one). */
  body?: string | Buffer;
  /** Answer with the request itself as JSON: { method, path, query, headers, body }. */
  echo?: boolean;
  /** Never answer (the connection stays open until the client gives up or close()). */
  hang?: boolean;
  /** Drop the connection without an answer (the request's body has arrived: it may have been acted on). */
  reset?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type Route = ScriptedResponse | ScriptedResponse[] | ((req: RecordedRequest, hit: number) => ScriptedResponse | Promise<ScriptedResponse>);

export interface ScriptedServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Requests that reached `path` (the path without its query). */
  hits(path: string): number;
  /** The requests that reached `path`, in order; without a path, every request. */
  requests(path?: string): RecordedRequest[];
  /** Resolves once `n` requests have reached `path` (at once if they have): wait for a request in flight without polling. */
  arrived(path: string, n?: number): Promise<void>;
  /** Forgets the requests so far (the hit counts of list routes start again). */
  clear(): void;
  close(): Promise<void>;
}

/** Routes every server has unless the caller replaces them. Unknown paths answer 404. */
export const DEFAULT_ROUTES: Record<string, Route> = {
  '/flaky': [{ status: 429, headers: { 'retry-after': '1' }, json: { error: 'slow down' } }, { json: { ok: true } }],
  '/boom': [{ status: 500, body: 'internal error' }, { json: { ok: true } }],
  '/hang': { hang: true },
  '/json': { json: { hello: 'world', n: 1, list: [1, 2, 3] } },
  '/text': { body: 'plain text ✓', headers: { 'content-type': 'text/plain; charset=utf-8' } },
  '/echo': { echo: true },
};

export async function startScriptedServer(routes: Record<string, Route> = {}): Promise<ScriptedServer> {
  const table: Record<string, Route> = { ...DEFAULT_ROUTES, ...routes };
  const seen = new Map<string, RecordedRequest[]>();
  const all: RecordedRequest[] = [];
  const waiting: Array<{ path: string; n: number; resolve: () => void }> = [];

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(599, { 'content-type': 'text/plain' });
      res.end(`scripted server failed: ${e instanceof Error ? e.message : String(e)}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query: Record<string, string | string[]> = {};
    for (const k of new Set(u.searchParams.keys())) {
      const all = u.searchParams.getAll(k);
      query[k] = all.length === 1 ? all[0]! : all;
    }
    const rec: RecordedRequest = { method: req.method ?? 'GET', path: u.pathname, query, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    all.push(rec);
    const list = seen.get(u.pathname) ?? [];
    list.push(rec);
    seen.set(u.pathname, list);
    for (const w of [...waiting]) if (w.path === u.pathname && list.length >= w.n) { waiting.splice(waiting.indexOf(w), 1); w.resolve(); }
    const hit = list.length - 1;

    const route = table[u.pathname];
    const r: ScriptedResponse = route === undefined
      ? { status: 404, json: { error: `no route ${u.pathname}` } }
      : typeof route === 'function' ? await route(rec, hit)
      : Array.isArray(route) ? route[Math.min(hit, route.length - 1)]!
      : route;
    if (r.hang) return;
    if (r.reset) { req.socket.destroy(); return; }

    const headers: Record<string, string | string[]> = { ...r.headers };
    const has = (name: string): boolean => Object.keys(headers).some((k) => k.toLowerCase() === name);
    let payload: string | Buffer = '';
    if (r.echo || r.json !== undefined) {
      payload = JSON.stringify(r.echo ? rec : r.json);
      if (!has('content-type')) headers['content-type'] = 'application/json';
    } else if (r.body !== undefined) {
      payload = r.body;
      if (!has('content-type')) headers['content-type'] = 'text/plain; charset=utf-8';
    }
    headers['content-length'] = String(Buffer.byteLength(payload));
    res.writeHead(r.status ?? 200, headers);
    res.end(req.method === 'HEAD' ? undefined : payload);
  }

  const { url, close } = await listenLoopback(server);
  return {
    url,
    hits: (path) => seen.get(path)?.length ?? 0,
    requests: (path) => [...(path === undefined ? all : seen.get(path) ?? [])],
    arrived: (path, n = 1) => new Promise<void>((resolve) => {
      if ((seen.get(path)?.length ?? 0) >= n) resolve();
      else waiting.push({ path, n, resolve });
    }),
    clear: () => { seen.clear(); all.length = 0; },
    close,
  };
}
