/**
 * A loopback X API v2 server for tests: checks OAuth 1.0a HMAC-SHA1 signatures with the test
 * keys (a wrongly signed request gets 401, like X), or an OAuth 2.0 bearer token; creates posts
 * (replies, quotes, media), rejects duplicate text (403), speaks the v2 media upload
 * (initialize / append multipart / finalize / STATUS), and answers scripted failures such as
 * 429 with x-rate-limit-reset. Every request is recorded.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenLoopback } from './listen.js';

export interface XKeys { apiKey: string; apiSecret: string; accessToken: string; accessSecret: string }

export const TEST_KEYS: XKeys = {
  apiKey: 'test-consumer-key-4f2a', apiSecret: 'test-consumer-secret-9b1c77',
  accessToken: '42-test-access-token-1d3e', accessSecret: 'test-access-secret-88aa0c',
};

export interface XPost { id: string; text: string; authorId: string; mediaIds: string[]; replyTo?: string; quote?: string }
export interface XMedia { id: string; type: string; category?: string; totalBytes: number; chunks: Buffer[]; finalized: boolean; polls: number }
export interface XRecorded { method: string; path: string; query: Record<string, string>; auth: 'oauth1' | 'bearer' | 'none'; status: number }
export interface XFailure { status: number; body?: unknown; headers?: Record<string, string> }

export interface XApiServer {
  url: string;
  posts: XPost[];
  media: Map<string, XMedia>;
  requests: XRecorded[];
  /** The next request whose `METHOD path` starts with `route` (after `skip` such requests) gets this answer instead. */
  failNext(route: string, failure: XFailure, skip?: number): void;
  /** Forgets posts, media, requests and scripted failures. */
  reset(): void;
  count(route: string): number;
  close(): Promise<void>;
}

export interface XApiOptions {
  keys?: XKeys;
  bearerToken?: string;
  /** STATUS answers `in_progress` this many times before `succeeded` (videos and GIFs). @default 1 */
  processingPolls?: number;
  username?: string;
}

const USER_ID = '4242';
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function parseOAuthHeader(h: string): Record<string, string> | undefined {
  if (!h.startsWith('OAuth ')) return undefined;
  const out: Record<string, string> = {};
  for (const m of h.slice(6).matchAll(/([\w-]+)="([^"]*)"/g)) out[decodeURIComponent(m[1]!)] = decodeURIComponent(m[2]!);
  return out;
}

/** RFC 5849 §3.4: the signature the request should carry. */
export function expectedSignature(method: string, baseUrl: string, params: Array<[string, string]>, consumerSecret: string, tokenSecret: string): string {
  const norm = params.map(([k, v]) => [enc(k), enc(v)] as const).sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join('&');
  const base = `${method.toUpperCase()}&${enc(baseUrl)}&${enc(norm)}`;
  return createHmac('sha1', `${enc(consumerSecret)}&${enc(tokenSecret)}`).update(base).digest('base64');
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A minimal multipart/form-data reader: field name → bytes. */
function multipart(body: Buffer, contentType: string): Map<string, Buffer> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const out = new Map<string, Buffer>();
  if (!boundary) return out;
  const delim = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let pos = body.indexOf(delim);
  while (pos !== -1) {
    const start = pos + delim.length;
    const next = body.indexOf(delim, start);
    if (next === -1) break;
    const part = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
    const sep = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, sep).toString('utf8');
    const name = /name="([^"]+)"/.exec(head)?.[1];
    if (name) out.set(name, part.subarray(sep + 4));
    pos = next;
  }
  return out;
}

export async function startXApiServer(opts: XApiOptions = {}): Promise<XApiServer> {
  const keys = opts.keys ?? TEST_KEYS;
  const username = opts.username ?? 'mpv2test';
  const posts: XPost[] = [];
  const media = new Map<string, XMedia>();
  const requests: XRecorded[] = [];
  const failures: Array<{ route: string; failure: XFailure; skip: number }> = [];
  const nonces = new Set<string>();
  let nextId = 1890000000000000001n;
  let nextMedia = 1790000000000000001n;

  const server = createServer((req, res) => { void handle(req, res).catch((e: unknown) => send(res, 500, { title: 'Internal', detail: String(e) })); });
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  function authOk(req: IncomingMessage, url: URL, port: number): 'oauth1' | 'bearer' | false {
    const h = req.headers.authorization ?? '';
    if (opts.bearerToken && h === `Bearer ${opts.bearerToken}`) return 'bearer';
    const o = parseOAuthHeader(h);
    if (!o || o.oauth_consumer_key !== keys.apiKey || o.oauth_token !== keys.accessToken || o.oauth_signature_method !== 'HMAC-SHA1') return false;
    if (!/^\d+$/.test(o.oauth_timestamp ?? '') || Math.abs(Number(o.oauth_timestamp) - Date.now() / 1000) > 300) return false;
    if (!o.oauth_nonce || nonces.has(o.oauth_nonce)) return false;
    const params: Array<[string, string]> = [...url.searchParams.entries()];
    for (const [k, v] of Object.entries(o)) if (k !== 'oauth_signature' && k !== 'realm') params.push([k, v]);
    const want = Buffer.from(expectedSignature(req.method ?? 'GET', `http://127.0.0.1:${port}${url.pathname}`, params, keys.apiSecret, keys.accessSecret));
    const got = Buffer.from(o.oauth_signature ?? '');
    if (want.length !== got.length || !timingSafeEqual(want, got)) return false;
    nonces.add(o.oauth_nonce);
    return 'oauth1';
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const port = (server.address() as AddressInfo).port;
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    const rec: XRecorded = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), auth: 'none', status: 0 };
    requests.push(rec);
    const reply = (status: number, b: unknown, headers?: Record<string, string>) => { rec.status = status; send(res, status, b, headers); };
    const auth = authOk(req, url, port);
    if (!auth) return reply(401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
    rec.auth = auth;
    const route = `${method} ${url.pathname}`;
    const fi = failures.findIndex((f) => route.startsWith(f.route));
    if (fi !== -1 && failures[fi]!.skip > 0) failures[fi]!.skip--;
    else if (fi !== -1) {
      const { failure } = failures.splice(fi, 1)[0]!;
      return reply(failure.status, failure.body ?? { title: 'Error', status: failure.status }, failure.headers);
    }
    if (route === 'POST /2/tweets') {
      const b = JSON.parse(body.toString('utf8') || '{}') as { text?: string; media?: { media_ids?: string[] }; reply?: { in_reply_to_tweet_id?: string }; quote_tweet_id?: string };
      if (!b.text && !b.media) return reply(400, { title: 'Invalid Request', detail: 'text or media is required' });
      if (posts.some((p) => p.text === b.text)) {
        return reply(403, { detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', title: 'Forbidden', status: 403 });
      }
      for (const id of b.media?.media_ids ?? []) {
        const m = media.get(id);
        if (!m?.finalized) return reply(400, { title: 'Invalid Request', detail: `media ${id} is not uploaded` });
      }
      if (b.reply?.in_reply_to_tweet_id && !posts.some((p) => p.id === b.reply!.in_reply_to_tweet_id)) {
        return reply(403, { title: 'Forbidden', detail: 'You attempted to reply to a Tweet that is deleted or not visible to you.' });
      }
      const post: XPost = { id: String(nextId++), text: b.text ?? '', authorId: USER_ID, mediaIds: b.media?.media_ids ?? [], replyTo: b.reply?.in_reply_to_tweet_id, quote: b.quote_tweet_id };
      posts.push(post);
      return reply(201, { data: { id: post.id, text: post.text, edit_history_tweet_ids: [post.id] } });
    }
    if (route === 'GET /2/users/me') return reply(200, { data: { id: USER_ID, username, name: 'mpv2 test' } });
    if (route === `GET /2/users/${USER_ID}/tweets`) {
      const data = [...posts].reverse().slice(0, Number(url.searchParams.get('max_results') ?? 10))
        .map((p) => ({ id: p.id, text: p.text.replace(/https?:\/\/\S+/g, 'https://t.co/abc123').replace(/&/g, '&amp;') }));
      return reply(200, { data, meta: { result_count: data.length } });
    }
    if (route === 'POST /2/media/upload/initialize') {
      const b = JSON.parse(body.toString('utf8') || '{}') as { media_type?: string; total_bytes?: number; media_category?: string };
      if (!b.media_type || !b.total_bytes) return reply(400, { title: 'Invalid Request', detail: 'media_type and total_bytes are required' });
      const id = String(nextMedia++);
      media.set(id, { id, type: b.media_type, category: b.media_category, totalBytes: b.total_bytes, chunks: [], finalized: false, polls: 0 });
      return reply(200, { data: { id, media_key: `3_${id}`, expires_after_secs: 86400 } });
    }
    const m = /^(POST) \/2\/media\/upload\/(\d+)\/(append|finalize)$/.exec(route);
    if (m) {
      const item = media.get(m[2]!);
      if (!item) return reply(400, { title: 'Invalid Request', detail: 'unknown media id' });
      if (m[3] === 'append') {
        const parts = multipart(body, req.headers['content-type'] ?? '');
        const idx = Number(parts.get('segment_index')?.toString('utf8'));
        const bytes = parts.get('media');
        if (!bytes || !Number.isInteger(idx)) return reply(400, { title: 'Invalid Request', detail: 'segment_index and media are required (multipart)' });
        item.chunks[idx] = Buffer.from(bytes);
        return reply(200, { data: { expires_at: Date.now() + 86_400_000 } });
      }
      const size = item.chunks.reduce((n, c) => n + c.length, 0);
      if (size !== item.totalBytes) return reply(400, { title: 'Invalid Request', detail: `got ${size} bytes, expected ${item.totalBytes}` });
      item.finalized = true;
      const processing = item.category !== 'tweet_image';
      return reply(200, { data: { id: item.id, media_key: `3_${item.id}`, size, ...(processing && { processing_info: { state: 'pending', check_after_secs: 0 } }) } });
    }
    if (route === 'GET /2/media/upload' && url.searchParams.get('command') === 'STATUS') {
      const item = media.get(url.searchParams.get('media_id') ?? '');
      if (!item) return reply(400, { title: 'Invalid Request', detail: 'unknown media id' });
      item.polls++;
      const done = item.polls > (opts.processingPolls ?? 1);
      return reply(200, { data: { id: item.id, processing_info: done ? { state: 'succeeded', progress_percent: 100 } : { state: 'in_progress', check_after_secs: 0, progress_percent: 50 } } });
    }
    return reply(404, { title: 'Not Found Error', detail: `no route ${route}` });
  }

  const { url, close } = await listenLoopback(server);
  return {
    url,
    posts, media, requests,
    failNext: (route, failure, skip = 0) => { failures.push({ route, failure, skip }); },
    reset: () => { posts.length = 0; media.clear(); requests.length = 0; failures.length = 0; },
    count: (route) => requests.filter((r) => `${r.method} ${r.path}`.startsWith(route)).length,
    close,
  };
}
