/**
 * What Meta's Graph API and its upload host (rupload.facebook.com) have in common, on
 * 127.0.0.1, for the instagram and facebook servers: versioned paths, user tokens in the
 * `Authorization: Bearer` header (or `access_token`), Graph error bodies (`{ error: { message,
 * type, code, error_subcode, fbtrace_id } }`; an expired token is code 190 / subcode 463),
 * and the rupload protocol: `POST` with `Authorization: OAuth <token>`, `offset` and
 * `file_size` headers and the bytes from `offset` on, answered `{ success: true }`.
 *
 * Faults are scripted per endpoint, one per request: `500` (transient Graph error), `expired`
 * (190), `drop` (socket destroyed before acting), `drop-after` (acts, then the answer is lost),
 * `drop@N` (upload: keeps N more bytes, then the socket is destroyed), `hold` (never answers) and
 * `hold@N` (upload: keeps N more bytes, then never answers), for killing a run mid-request:
 * `held` resolves when the request is held; `unauthorized` (upload: the upload host's 401 for a
 * dead token, in its own `debug_info` shape).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLoopback } from './listen.js';

export interface GraphCall { method: string; path: string; query: Record<string, string>; headers: IncomingMessage['headers']; endpoint?: string }

export interface Upload { id: string; size?: number; received: Buffer[]; length: number }

export interface GraphRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** Path parts after the version, e.g. ['1784', 'media']. */
  parts: string[];
  query: Record<string, string>;
  body: Record<string, unknown>;
  call: GraphCall;
}

export interface GraphServer {
  url: string;
  version: string;
  calls: GraphCall[];
  count(endpoint: string): number;
  faults: Record<string, string[]>;
  /** Tokens the server accepts; `expire(token)` makes one answer 190. */
  tokens: Set<string>;
  expire(token: string): void;
  /** Resolves when a request reaches a `hold` or `hold@N` fault. */
  held: Promise<void>;
  /** Marks a request held (routes call it for a `hold` fault). */
  hold(): void;
  close(): Promise<void>;
}

export const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
};

export const graphError = (res: ServerResponse, status: number, code: number, message: string, extra: Record<string, unknown> = {}) =>
  json(res, status, { error: { message, type: code === 190 ? 'OAuthException' : 'GraphMethodException', code, ...extra, fbtrace_id: `A${randomBytes(6).toString('hex')}` } });

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  if (!text) return {};
  return (req.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) as Record<string, unknown> : Object.fromEntries(new URLSearchParams(text));
}

export async function startGraphServer(opts: {
  version: string;
  /** The upload path prefix of this product, e.g. `ig-api-upload` or `video-upload`. */
  uploadPrefix: string;
  /** The upload a rupload POST goes to (by the id in its path), if it exists. */
  upload(id: string): Upload | undefined;
  /** Graph routes; returns false when none matched. */
  route(r: GraphRequest, s: GraphServer): Promise<boolean>;
}): Promise<GraphServer> {
  const expired = new Set<string>();
  let release: () => void = () => {};
  const nextHold = () => new Promise<void>((r) => { release = r; });
  const hold = () => { const r = release; s.held = nextHold(); r(); };
  const s: GraphServer = {
    url: '', version: opts.version, calls: [],
    count: (e) => s.calls.filter((c) => c.endpoint === e).length,
    faults: {}, tokens: new Set(), expire: (t) => { expired.add(t); },
    held: nextHold(),
    hold: () => hold(),
    close: () => listening.close(),
  };

  const upload = async (req: IncomingMessage, res: ServerResponse, id: string, call: GraphCall) => {
    call.endpoint = 'upload';
    const fault = s.faults.upload?.shift();
    const token = /^OAuth (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (fault === 'unauthorized' || !s.tokens.has(token) || expired.has(token)) return json(res, 401, { debug_info: { retriable: false, type: 'AuthError', message: 'Invalid OAuth access token' } });
    const u = opts.upload(id);
    if (!u) return json(res, 400, { debug_info: { retriable: false, type: 'ProcessingFailedError', message: `unknown upload ${id}` } });
    const offset = Number(req.headers.offset);
    const size = Number(req.headers.file_size);
    if (!Number.isInteger(offset) || !Number.isInteger(size) || size <= 0) return json(res, 400, { debug_info: { retriable: false, type: 'BadRequest', message: 'offset and file_size headers are required' } });
    if (offset !== u.length) return json(res, 400, { debug_info: { retriable: false, type: 'OffsetInvalidError', message: `offset ${offset} does not match the ${u.length} bytes received` } });
    u.size = size;
    const m = /^(drop|hold)@(\d+)$/.exec(fault ?? '');
    let budget = m ? Number(m[2]) : Infinity;
    for await (const c of req) {
      let chunk = c as Buffer;
      if (chunk.length > budget) chunk = chunk.subarray(0, budget);
      budget -= chunk.length;
      u.received.push(chunk);
      u.length += chunk.length;
      if (budget <= 0) {
        if (m?.[1] === 'hold') { hold(); return; }
        req.socket.destroy();
        return;
      }
    }
    if (u.length !== size) return json(res, 400, { debug_info: { retriable: true, type: 'PartialUpload', message: `received ${u.length} of ${size} bytes` } });
    json(res, 200, { success: true });
  };

  const server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      const query = Object.fromEntries(u.searchParams);
      const call: GraphCall = { method: req.method ?? 'GET', path: u.pathname, query, headers: req.headers };
      s.calls.push(call);
      const parts = u.pathname.split('/').filter(Boolean);
      if (parts[0] === opts.uploadPrefix && parts[1] === opts.version && req.method === 'POST' && parts[2]) return upload(req, res, parts[2], call);
      if (parts[0] !== opts.version) return graphError(res, 400, 2635, `Unknown API version ${parts[0]}`);
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? query.access_token ?? '';
      if (expired.has(token)) return graphError(res, 400, 190, 'Error validating access token: Session has expired on Sunday, 06-Dec-26 02:00:00 PST.', { error_subcode: 463 });
      if (!s.tokens.has(token)) return graphError(res, 400, 190, 'Invalid OAuth access token - Cannot parse access token');
      const body = req.method === 'POST' ? await readJson(req) : {};
      if (!(await opts.route({ req, res, parts: parts.slice(1), query, body, call }, s))) graphError(res, 400, 100, `Unsupported ${req.method} request. Object does not exist or does not support this operation`);
    })().catch((e: unknown) => { if (!res.headersSent) graphError(res, 500, 2, `An unexpected error has occurred: ${String(e)}`, { is_transient: true }); });
  });
  const listening = await listenLoopback(server);
  s.url = listening.url;
  return s;
}

/** Applies the endpoint's next scripted fault that answers before acting; returns the rest ('drop-after') for the route. */
export function preFault(s: GraphServer, r: GraphRequest, endpoint: string): 'answered' | 'drop-after' | undefined {
  r.call.endpoint = endpoint;
  const f = s.faults[endpoint]?.shift();
  if (!f || f === 'ok') return undefined;
  if (f === 'drop') { r.req.socket.destroy(); return 'answered'; }
  if (f === 'drop-after') return 'drop-after';
  if (f === 'hold') { s.hold(); return 'answered'; }
  if (f === '500') { graphError(r.res, 500, 2, 'An unexpected error has occurred. Please retry your request later.', { is_transient: true }); return 'answered'; }
  if (f === 'expired') { graphError(r.res, 400, 190, 'Error validating access token: Session has expired.', { error_subcode: 463 }); return 'answered'; }
  throw new Error(`unknown fault ${f} for ${endpoint}`);
}
