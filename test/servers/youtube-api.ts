/**
 * The parts of the YouTube Data API v3 and Google OAuth that youtube.upload uses, on
 * 127.0.0.1: token endpoint (refresh_token and authorization_code with PKCE, invalid_grant),
 * authorize page (redirects to the loopback redirect_uri), resumable uploads (initiation with
 * Location, chunk PUTs with Content-Range, 308 + Range, status queries), channels.list,
 * playlistItems.list/insert, videos.list, search.list, thumbnails.set and captions.insert.
 * Faults are scripted per endpoint: '500', '503', 'quota' (403 quotaExceeded), 'forbidden'
 * (403 forbidden), 'drop' (socket
 * destroyed), 'drop@N' (socket destroyed after N more body bytes, which the session keeps).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLoopback } from './listen.js';

export type Endpoint = 'token' | 'init' | 'chunk' | 'status' | 'channels' | 'playlistItems.list' | 'videos.list' | 'search' | 'thumbnails' | 'captions' | 'captions.list' | 'playlistItems.insert';

export interface StoredVideo {
  id: string;
  metadata: { snippet?: Record<string, unknown>; status?: Record<string, unknown> };
  bytes: Buffer;
  sha256: string;
  durationSec?: number;
  thumbnail?: { type: string; sha256: string; bytes: number };
  captions: Array<{ id: string; snippet: Record<string, unknown>; type: string; text: string }>;
  playlists: string[];
  publishedAt: string;
}

interface Session { id: string; size: number; type: string; metadata: StoredVideo['metadata']; received: Buffer[]; length: number; video?: StoredVideo }

export interface YoutubeServerOptions {
  clientId: string;
  clientSecret: string;
  /** Refresh tokens the token endpoint accepts. */
  refreshTokens?: string[];
  /** Lifetime of the access tokens it issues. @default 3600 */
  accessTokenTtlSec?: number;
  channelId?: string;
}

export interface YoutubeServer {
  url: string;
  /** The `youtube` config section pointing here. */
  config: { apiBaseUrl: string; uploadBaseUrl: string; oauthTokenUrl: string; oauthAuthorizeUrl: string };
  videos: Map<string, StoredVideo>;
  sessions: Map<string, Session>;
  /** Every request: method, path, query. */
  calls: Array<{ method: string; path: string; query: Record<string, string>; endpoint?: Endpoint }>;
  count(endpoint: Endpoint): number;
  /** Scripted answers, consumed one per request of that endpoint. */
  faults: Partial<Record<Endpoint, string[]>>;
  /** Milliseconds to hold each request of an endpoint before answering (to kill a client mid-upload). */
  delays: Partial<Record<Endpoint, number>>;
  refreshTokens: Set<string>;
  /** Adds a video to the channel as if uploaded earlier. */
  seedVideo(v: { title: string; tags?: string[]; durationSec?: number; bytes?: Buffer }): StoredVideo;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', ...headers }).end(JSON.stringify(body));
};
const googleError = (res: ServerResponse, status: number, reason: string, message: string) =>
  json(res, status, { error: { code: status, message, errors: [{ reason, domain: 'youtube.quota', message }] } });

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

export async function startYoutubeServer(opts: YoutubeServerOptions): Promise<YoutubeServer> {
  const ttl = opts.accessTokenTtlSec ?? 3600;
  const channelId = opts.channelId ?? 'UCtestchannel000000000000';
  const uploads = `UU${channelId.slice(2)}`;
  const accessTokens = new Map<string, number>();
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  let seq = 0;
  const newId = () => `vid${String(++seq).padStart(8, '0')}`;

  const s: YoutubeServer = {
    url: '',
    config: { apiBaseUrl: '', uploadBaseUrl: '', oauthTokenUrl: '', oauthAuthorizeUrl: '' },
    videos: new Map(),
    sessions: new Map(),
    calls: [],
    count: (e) => s.calls.filter((c) => c.endpoint === e).length,
    faults: {},
    delays: {},
    refreshTokens: new Set(opts.refreshTokens ?? []),
    seedVideo(v) {
      const bytes = v.bytes ?? randomBytes(64);
      const video: StoredVideo = {
        id: newId(), metadata: { snippet: { title: v.title, tags: v.tags ?? [] }, status: { privacyStatus: 'private' } },
        bytes, sha256: createHash('sha256').update(bytes).digest('hex'), durationSec: v.durationSec, captions: [], playlists: [], publishedAt: new Date().toISOString(),
      };
      s.videos.set(video.id, video);
      return video;
    },
    close: () => listening.close(),
  };

  const resource = (v: StoredVideo) => ({
    kind: 'youtube#video', id: v.id,
    snippet: { ...v.metadata.snippet, channelId, publishedAt: v.publishedAt },
    status: { uploadStatus: 'uploaded', privacyStatus: 'private', ...v.metadata.status },
    contentDetails: { duration: v.durationSec === undefined ? 'P0D' : `PT${v.durationSec}S` },
  });

  /** Applies the next scripted fault; true when it answered (or dropped) the request. */
  const fault = (endpoint: Endpoint, req: IncomingMessage, res: ServerResponse): boolean | { dropAfter: number } => {
    const f = s.faults[endpoint]?.shift();
    if (!f || f === 'ok') return false;
    if (f === 'drop') { req.socket.destroy(); return true; }
    if (f.startsWith('drop@')) return { dropAfter: Number(f.slice(5)) };
    if (f === 'forbidden') { googleError(res, 403, 'forbidden', 'The authenticated user doesn\'t have permissions to upload and set custom video thumbnails.'); return true; }
    if (f === 'quota') { googleError(res, 403, 'quotaExceeded', 'The request cannot be completed because you have exceeded your quota.'); return true; }
    if (/^\d{3}$/.test(f)) { googleError(res, Number(f), 'backendError', `scripted ${f}`); return true; }
    throw new Error(`unknown fault ${f}`);
  };

  const authorized = (req: IncomingMessage, res: ServerResponse): boolean => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const exp = token ? accessTokens.get(token) : undefined;
    if (!exp || exp < Date.now()) { googleError(res, 401, 'authError', 'Invalid Credentials'); return false; }
    return true;
  };

  const issue = () => { const t = `ya29.test-${randomBytes(8).toString('hex')}`; accessTokens.set(t, Date.now() + ttl * 1000); return t; };

  const finish = (sess: Session): StoredVideo => {
    const bytes = Buffer.concat(sess.received);
    const v: StoredVideo = { id: newId(), metadata: sess.metadata, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), captions: [], playlists: [], publishedAt: new Date().toISOString() };
    s.videos.set(v.id, v);
    sess.video = v;
    return v;
  };

  const range = (sess: Session): Record<string, string> => (sess.length > 0 ? { Range: `bytes=0-${sess.length - 1}` } : {});

  async function handleChunk(req: IncomingMessage, res: ServerResponse, sess: Session, endpoint: Endpoint): Promise<void> {
    if (s.delays[endpoint]) await new Promise((r) => setTimeout(r, s.delays[endpoint]));
    const f = fault(endpoint, req, res);
    if (f === true) return;
    const cr = String(req.headers['content-range'] ?? '');
    if (/^bytes \*\/\d+$/.test(cr)) {
      if (sess.video) return json(res, 200, resource(sess.video));
      res.writeHead(308, range(sess)).end();
      return;
    }
    const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(cr);
    if (!m) return googleError(res, 400, 'badContent', `bad Content-Range ${cr}`);
    const start = Number(m[1]);
    if (start > sess.length) { res.writeHead(308, range(sess)).end(); req.resume(); return; }
    let skip = sess.length - start; // bytes the client re-sends that we already hold
    let budget = typeof f === 'object' ? f.dropAfter : Infinity;
    for await (const c of req) {
      let chunk = c as Buffer;
      if (skip > 0) { const n = Math.min(skip, chunk.length); skip -= n; chunk = chunk.subarray(n); }
      if (chunk.length > budget) chunk = chunk.subarray(0, budget);
      budget -= chunk.length;
      sess.received.push(chunk);
      sess.length += chunk.length;
      if (budget <= 0) { req.socket.destroy(); return; }
    }
    if (sess.length >= sess.size) return json(res, 201, resource(finish(sess)));
    res.writeHead(308, range(sess)).end();
  }

  const server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      const query = Object.fromEntries(u.searchParams);
      const call: YoutubeServer['calls'][number] = { method: req.method ?? 'GET', path: u.pathname, query };
      s.calls.push(call);
      const p = u.pathname;

      if (p === '/token' && req.method === 'POST') {
        call.endpoint = 'token';
        if (fault('token', req, res) === true) return;
        const form = new URLSearchParams((await readBody(req)).toString());
        if (form.get('client_id') !== opts.clientId || form.get('client_secret') !== opts.clientSecret) return json(res, 401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
        if (form.get('grant_type') === 'refresh_token') {
          if (!s.refreshTokens.has(form.get('refresh_token') ?? '')) return json(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
          return json(res, 200, { access_token: issue(), expires_in: ttl, token_type: 'Bearer', scope: 'https://www.googleapis.com/auth/youtube.upload' });
        }
        if (form.get('grant_type') === 'authorization_code') {
          const c = codes.get(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          if (!c || c.redirectUri !== form.get('redirect_uri') || createHash('sha256').update(verifier).digest('base64url') !== c.challenge) return json(res, 400, { error: 'invalid_grant', error_description: 'Bad code or verifier.' });
          codes.delete(form.get('code')!);
          const refresh = `1//test-refresh-${randomBytes(6).toString('hex')}`;
          s.refreshTokens.add(refresh);
          return json(res, 200, { access_token: issue(), refresh_token: refresh, expires_in: ttl, token_type: 'Bearer' });
        }
        return json(res, 400, { error: 'unsupported_grant_type' });
      }

      if (p === '/auth' && req.method === 'GET') {
        if (query.client_id !== opts.clientId || !query.redirect_uri || query.code_challenge_method !== 'S256') return json(res, 400, { error: 'invalid_request' });
        const code = `4/test-code-${randomBytes(6).toString('hex')}`;
        codes.set(code, { challenge: query.code_challenge ?? '', redirectUri: query.redirect_uri });
        const to = new URL(query.redirect_uri);
        to.searchParams.set('code', code);
        to.searchParams.set('state', query.state ?? '');
        res.writeHead(302, { Location: to.toString() }).end();
        return;
      }

      if (p === '/upload/youtube/v3/videos') {
        if (req.method === 'POST' && query.uploadType === 'resumable') {
          call.endpoint = 'init';
          if (!authorized(req, res)) return;
          if (fault('init', req, res) === true) return;
          const metadata = JSON.parse((await readBody(req)).toString() || '{}') as Session['metadata'];
          const sess: Session = { id: randomBytes(8).toString('hex'), size: Number(req.headers['x-upload-content-length']), type: String(req.headers['x-upload-content-type'] ?? ''), metadata, received: [], length: 0 };
          s.sessions.set(sess.id, sess);
          res.writeHead(200, { Location: `${s.url}/upload/youtube/v3/videos?uploadType=resumable&upload_id=${sess.id}` }).end();
          return;
        }
        if (req.method === 'PUT' && query.upload_id) {
          const sess = s.sessions.get(query.upload_id);
          const isStatus = /^bytes \*\//.test(String(req.headers['content-range'] ?? ''));
          call.endpoint = isStatus ? 'status' : 'chunk';
          if (!sess) return googleError(res, 404, 'notFound', 'upload session not found');
          return handleChunk(req, res, sess, call.endpoint);
        }
      }

      if (p === '/upload/youtube/v3/thumbnails/set' && req.method === 'POST') {
        call.endpoint = 'thumbnails';
        if (!authorized(req, res) || fault('thumbnails', req, res) === true) return;
        const v = s.videos.get(query.videoId ?? '');
        if (!v) return googleError(res, 404, 'videoNotFound', 'video not found');
        const body = await readBody(req);
        v.thumbnail = { type: String(req.headers['content-type']), sha256: createHash('sha256').update(body).digest('hex'), bytes: body.length };
        return json(res, 200, { kind: 'youtube#thumbnailSetResponse', items: [{ default: { url: `${s.url}/vi/${v.id}/default.jpg` } }] });
      }

      if (p === '/upload/youtube/v3/captions' && req.method === 'POST') {
        call.endpoint = 'captions';
        if (!authorized(req, res) || fault('captions', req, res) === true) return;
        const boundary = /boundary=([^;]+)/.exec(String(req.headers['content-type']))?.[1];
        if (!boundary) return googleError(res, 400, 'badContent', 'not multipart');
        const parts = (await readBody(req)).toString('utf8').split(`--${boundary}`).slice(1, -1).map((part) => {
          const [head, ...rest] = part.replace(/^\r\n/, '').split('\r\n\r\n');
          return { head: head ?? '', body: rest.join('\r\n\r\n').replace(/\r\n$/, '') };
        });
        const meta = JSON.parse(parts[0]?.body ?? '{}') as { snippet: Record<string, unknown> };
        const v = s.videos.get(String(meta.snippet?.videoId));
        if (!v) return googleError(res, 404, 'videoNotFound', 'video not found');
        const cap = { id: `cap${v.captions.length + 1}${v.id}`, snippet: meta.snippet, type: /Content-Type: (.+)/i.exec(parts[1]?.head ?? '')?.[1] ?? '', text: parts[1]?.body ?? '' };
        v.captions.push(cap);
        return json(res, 200, { kind: 'youtube#caption', id: cap.id, snippet: cap.snippet });
      }

      if (p === '/youtube/v3/playlistItems' && req.method === 'POST') {
        call.endpoint = 'playlistItems.insert';
        if (!authorized(req, res) || fault('playlistItems.insert', req, res) === true) return;
        const body = JSON.parse((await readBody(req)).toString()) as { snippet: { playlistId: string; resourceId: { videoId: string } } };
        const v = s.videos.get(body.snippet.resourceId.videoId);
        if (!v) return googleError(res, 404, 'videoNotFound', 'video not found');
        if (!body.snippet.playlistId.startsWith('PL')) return googleError(res, 404, 'playlistNotFound', 'playlist not found');
        v.playlists.push(body.snippet.playlistId);
        return json(res, 200, { kind: 'youtube#playlistItem', id: `pli-${v.id}-${v.playlists.length}`, snippet: body.snippet });
      }

      if (req.method === 'GET' && p.startsWith('/youtube/v3/')) {
        const what = p.slice('/youtube/v3/'.length);
        const endpoint: Endpoint | undefined = what === 'channels' ? 'channels' : what === 'playlistItems' ? 'playlistItems.list' : what === 'videos' ? 'videos.list' : what === 'search' ? 'search' : what === 'captions' ? 'captions.list' : undefined;
        if (!endpoint) return googleError(res, 404, 'notFound', p);
        call.endpoint = endpoint;
        if (!authorized(req, res) || fault(endpoint, req, res) === true) return;
        const newest = [...s.videos.values()].reverse();
        if (endpoint === 'channels') return json(res, 200, { items: [{ id: channelId, contentDetails: { relatedPlaylists: { uploads } } }] });
        if (endpoint === 'captions.list') {
          const v = s.videos.get(query.videoId ?? '');
          return json(res, 200, { items: (v?.captions ?? []).map((c) => ({ id: c.id, snippet: { ...c.snippet, trackKind: 'standard' } })) });
        }
        if (endpoint === 'playlistItems.list' && query.playlistId !== uploads) {
          const v = s.videos.get(query.videoId ?? '');
          return json(res, 200, { items: v?.playlists.includes(query.playlistId ?? '') ? [{ id: `pli-${v.id}-${v.playlists.indexOf(query.playlistId!) + 1}` }] : [] });
        }
        if (endpoint === 'playlistItems.list') {
          return json(res, 200, { items: newest.slice(0, Number(query.maxResults ?? 5)).map((v) => ({ contentDetails: { videoId: v.id } })) });
        }
        if (endpoint === 'videos.list') {
          const ids = (query.id ?? '').split(',');
          return json(res, 200, { items: newest.filter((v) => ids.includes(v.id)).map(resource) });
        }
        const q = (query.q ?? '').toLowerCase();
        return json(res, 200, { items: newest.filter((v) => String(v.metadata.snippet?.title ?? '').toLowerCase().includes(q)).map((v) => ({ id: { kind: 'youtube#video', videoId: v.id }, snippet: v.metadata.snippet })) });
      }
      googleError(res, 404, 'notFound', `${req.method} ${p}`);
    })().catch((e: unknown) => { if (!res.headersSent) googleError(res, 500, 'backendError', String(e)); });
  });
  const listening = await listenLoopback(server);
  s.url = listening.url;
  s.config = { apiBaseUrl: `${s.url}/youtube/v3`, uploadBaseUrl: `${s.url}/upload/youtube/v3`, oauthTokenUrl: `${s.url}/token`, oauthAuthorizeUrl: `${s.url}/auth` };
  return s;
}
