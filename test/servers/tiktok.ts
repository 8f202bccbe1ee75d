/**
 * The parts of TikTok's Open API that tiktok.upload uses, on 127.0.0.1, as TikTok documents
 * them: the OAuth v2 token endpoint (refresh_token grant; every refresh rotates the refresh token
 * and the old one is refused at once), creator_info/query, video/init and inbox/video/init (chunk
 * rules checked: < 5 MB whole, else 5–64 MB chunks, total_chunk_count = floor(size / chunk_size),
 * the last chunk up to 128 MB, at most 1000), chunk PUTs with Content-Range in order (206, the
 * last 201), status/fetch (PROCESSING_UPLOAD → PUBLISH_COMPLETE or SEND_TO_USER_INBOX, or FAILED
 * with a fail_reason), the envelope `{ data, error: { code, message, log_id } }`, daily post
 * limits (spam_risk_too_many_posts) and the unaudited-app rule (SELF_ONLY only).
 * Faults are scripted per endpoint: '500', '401' (access_token_invalid), 'drop' (socket destroyed
 * after part of the body was read).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLoopback } from './listen.js';

export type TiktokEndpoint = 'token' | 'creator' | 'init' | 'chunk' | 'status';

const MB = 1024 * 1024;

export interface Publish {
  id: string;
  mode: 'direct' | 'draft';
  postInfo?: Record<string, unknown>;
  source: string;
  videoSize: number;
  chunkSize: number;
  totalChunkCount: number;
  chunks: Buffer[];
  /** Content-Range headers as received, in order (re-sends included). */
  ranges: string[];
  status: 'PROCESSING_UPLOAD' | 'PUBLISH_COMPLETE' | 'SEND_TO_USER_INBOX' | 'FAILED';
  failReason?: string;
  polls: number;
  postId?: string;
  sha256?: string;
}

export interface TiktokServerOptions {
  clientKey: string;
  clientSecret: string;
  refreshTokens: string[];
  creator?: Record<string, unknown>;
  /** Direct posts a creator may make a day. @default 15 */
  dailyLimit?: number;
  /** An unaudited app: only SELF_ONLY. @default false */
  unaudited?: boolean;
  /** Status looks that still say PROCESSING_UPLOAD after the last chunk. @default 1 */
  processingPolls?: number;
  verifiedPrefixes?: string[];
  /** Hold each token refresh this long before answering (so two clients surely overlap). */
  tokenDelayMs?: number;
}

export interface TiktokServer {
  url: string;
  publishes: Map<string, Publish>;
  /** Refresh tokens that were spent (each answered invalid_grant if used again). */
  spent: Set<string>;
  refreshTokens: Set<string>;
  calls: Array<{ endpoint: TiktokEndpoint; status: number; body?: unknown }>;
  count(e: TiktokEndpoint): number;
  faults: Partial<Record<TiktokEndpoint, string[]>>;
  /** Called when a request of the endpoint arrives, with how many have arrived (1, 2 …): tests kill the client there. */
  hooks: Partial<Record<TiktokEndpoint, (n: number) => void>>;
  /** The fail_reason the next completed upload ends FAILED with. */
  failNext: string[];
  /** Every access token issued so far stops working (as after its expiry). */
  expireAccessTokens(): void;
  posted(): Publish[];
  close(): Promise<void>;
}

const logId = () => randomBytes(8).toString('hex').toUpperCase();
const envelope = (res: ServerResponse, status: number, data: unknown, code = 'ok', message = '') =>
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8' }).end(JSON.stringify({ data, error: { code, message, log_id: logId() } }));

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** TikTok's chunk rules; a message when the declared plan breaks them. */
export function chunkRuleViolation(size: number, chunk: number, count: number): string | undefined {
  if (!(size > 0) || !(chunk > 0) || !(count >= 1)) return 'video_size, chunk_size and total_chunk_count must be positive';
  if (size < 5 * MB) return chunk === size && count === 1 ? undefined : 'a video under 5 MB must be sent whole (chunk_size = video_size, one chunk)';
  if (chunk < 5 * MB || chunk > 64 * MB) return 'chunk_size must be 5–64 MB';
  if (size > 64 * MB && count < 2) return 'a video over 64 MB needs at least two chunks';
  if (count !== Math.floor(size / chunk)) return 'total_chunk_count must be floor(video_size / chunk_size)';
  if (count > 1000) return 'at most 1000 chunks';
  if (size - (count - 1) * chunk > 128 * MB) return 'the last chunk may hold at most 128 MB';
  return undefined;
}

export async function startTiktokServer(opts: TiktokServerOptions): Promise<TiktokServer> {
  const access = new Set<string>();
  const refresh = new Set(opts.refreshTokens);
  const spent = new Set<string>();
  const codes = new Map<string, { challenge: string; redirectUri: string; scope: string }>();
  const publishes = new Map<string, Publish>();
  const calls: TiktokServer['calls'] = [];
  const faults: TiktokServer['faults'] = {};
  const failNext: string[] = [];
  const hooks: TiktokServer['hooks'] = {};
  const arrived = new Map<TiktokEndpoint, number>();
  const creator = { creator_username: 'mpv2creator', creator_nickname: 'mpv2', privacy_level_options: ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'], comment_disabled: false, duet_disabled: false, stitch_disabled: false, max_video_post_duration_sec: 600, ...opts.creator };
  let seq = 0;
  let url = '';

  const fault = (e: TiktokEndpoint, req: IncomingMessage, res: ServerResponse): boolean => {
    const n = (arrived.get(e) ?? 0) + 1;
    arrived.set(e, n);
    hooks[e]?.(n);
    const f = faults[e]?.shift();
    if (!f) return false;
    calls.push({ endpoint: e, status: Number(f) || 0 });
    if (f === 'drop') { req.once('data', () => req.socket.destroy()); req.resume(); return true; }
    if (f === '401') { envelope(res, 401, {}, 'access_token_invalid', 'The access token is invalid or not found in the request.'); return true; }
    envelope(res, Number(f), {}, 'internal_error', 'Something went wrong.');
    return true;
  };
  const authorized = (req: IncomingMessage, res: ServerResponse, e: TiktokEndpoint): boolean => {
    const tok = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (tok && access.has(tok)) return true;
    calls.push({ endpoint: e, status: 401 });
    envelope(res, 401, {}, 'access_token_invalid', 'The access token is invalid or not found in the request.');
    return false;
  };

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    try {
      if (req.method === 'GET' && path === '/v2/auth/authorize/') {
        // the consent page, answered at once: a redirect to the loopback address with a code
        const q = new URL(req.url ?? '/', 'http://x').searchParams;
        const to = q.get('redirect_uri') ?? '';
        if (q.get('client_key') !== opts.clientKey || !/^http:\/\/127\.0\.0\.1:\d+\/callback\/$/.test(to) || q.get('code_challenge_method') !== 'S256' || q.get('response_type') !== 'code') {
          return res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'invalid_request', log_id: logId() }));
        }
        const code = `code-${randomBytes(8).toString('hex')}`;
        codes.set(code, { challenge: q.get('code_challenge') ?? '', redirectUri: to, scope: q.get('scope') ?? '' });
        const back = new URL(to);
        back.searchParams.set('code', code);
        back.searchParams.set('state', q.get('state') ?? '');
        return res.writeHead(302, { Location: back.toString() }).end();
      }
      if (req.method === 'POST' && path === '/v2/oauth/token/') {
        if (fault('token', req, res)) return;
        const form = new URLSearchParams((await readBody(req)).toString());
        const rt = form.get('refresh_token') ?? '';
        if (form.get('client_key') !== opts.clientKey || form.get('client_secret') !== opts.clientSecret) {
          calls.push({ endpoint: 'token', status: 401 });
          return res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'invalid_client', error_description: 'Client key or secret is incorrect.', log_id: logId() }));
        }
        if (form.get('grant_type') === 'authorization_code') {
          // Login Kit for Desktop: the code once, the same redirect_uri, PKCE with a hex SHA-256 challenge
          const c = codes.get(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          if (!c || c.redirectUri !== form.get('redirect_uri') || createHash('sha256').update(verifier).digest('hex') !== c.challenge) {
            calls.push({ endpoint: 'token', status: 400 });
            return res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'invalid_request', error_description: 'Code verifier or code challenge is invalid.', log_id: logId() }));
          }
          codes.delete(form.get('code')!);
          const next = `rt-${randomBytes(12).toString('hex')}`;
          const at = `act.${randomBytes(16).toString('hex')}`;
          refresh.add(next);
          access.add(at);
          calls.push({ endpoint: 'token', status: 200 });
          return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: at, expires_in: 86400, open_id: 'open-id-1', refresh_expires_in: 31536000, refresh_token: next, scope: c.scope, token_type: 'Bearer' }));
        }
        if (form.get('grant_type') !== 'refresh_token' || !refresh.has(rt)) {
          calls.push({ endpoint: 'token', status: 400, body: { reused: spent.has(rt) } });
          return res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant', error_description: 'Refresh token is invalid or expired.', log_id: logId() }));
        }
        if (opts.tokenDelayMs) await new Promise((r) => setTimeout(r, opts.tokenDelayMs));
        if (!refresh.has(rt)) {
          calls.push({ endpoint: 'token', status: 400, body: { reused: true } });
          return res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant', error_description: 'Refresh token is invalid or expired.', log_id: logId() }));
        }
        // rotation: the old refresh token dies at once
        refresh.delete(rt);
        spent.add(rt);
        const next = `rt-${randomBytes(12).toString('hex')}`;
        const at = `act.${randomBytes(16).toString('hex')}`;
        refresh.add(next);
        access.add(at);
        calls.push({ endpoint: 'token', status: 200 });
        return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: at, expires_in: 86400, open_id: 'open-id-1', refresh_expires_in: 31536000, refresh_token: next, scope: 'user.info.basic,video.publish,video.upload', token_type: 'Bearer' }));
      }
      if (req.method === 'POST' && path === '/v2/post/publish/creator_info/query/') {
        if (fault('creator', req, res) || !authorized(req, res, 'creator')) return;
        calls.push({ endpoint: 'creator', status: 200 });
        return envelope(res, 200, creator);
      }
      if (req.method === 'POST' && (path === '/v2/post/publish/video/init/' || path === '/v2/post/publish/inbox/video/init/')) {
        if (fault('init', req, res) || !authorized(req, res, 'init')) return;
        const body = JSON.parse((await readBody(req)).toString() || '{}') as { post_info?: Record<string, unknown>; source_info?: Record<string, unknown> };
        const mode = path.includes('/inbox/') ? 'draft' : 'direct';
        const src = body.source_info ?? {};
        const refuse = (status: number, code: string, message: string) => { calls.push({ endpoint: 'init', status, body }); envelope(res, status, {}, code, message); };
        if (mode === 'direct') {
          const privacy = String(body.post_info?.privacy_level ?? '');
          if (!creator.privacy_level_options.includes(privacy)) return refuse(400, 'privacy_level_option_mismatch', 'privacy_level is not among the creator\'s options');
          if (opts.unaudited && privacy !== 'SELF_ONLY') return refuse(403, 'unaudited_client_can_only_post_to_private_accounts', 'Unaudited clients can only post to private accounts.');
          const today = [...publishes.values()].filter((p) => p.mode === 'direct' && p.status !== 'FAILED').length;
          if (today >= (opts.dailyLimit ?? 15)) return refuse(403, 'spam_risk_too_many_posts', 'The daily post cap of this creator is reached.');
        }
        const id = `v_pub_file~v2-1.${String(++seq).padStart(10, '0')}`;
        const p: Publish = { id, mode, postInfo: body.post_info, source: String(src.source), videoSize: Number(src.video_size), chunkSize: Number(src.chunk_size), totalChunkCount: Number(src.total_chunk_count), chunks: [], ranges: [], status: 'PROCESSING_UPLOAD', polls: 0 };
        if (src.source === 'PULL_FROM_URL') {
          const u = String(src.video_url ?? '');
          if (!(opts.verifiedPrefixes ?? []).some((x) => u.startsWith(x))) return refuse(403, 'url_ownership_unverified', 'The URL prefix is not verified.');
          p.videoSize = 0;
          publishes.set(id, p);
          calls.push({ endpoint: 'init', status: 200, body });
          return envelope(res, 200, { publish_id: id });
        }
        const broken = src.source === 'FILE_UPLOAD' ? chunkRuleViolation(p.videoSize, p.chunkSize, p.totalChunkCount) : 'source must be FILE_UPLOAD or PULL_FROM_URL';
        if (broken) return refuse(400, 'invalid_params', broken);
        publishes.set(id, p);
        calls.push({ endpoint: 'init', status: 200, body });
        return envelope(res, 200, { publish_id: id, upload_url: `${url}/upload/?upload_id=${encodeURIComponent(id)}` });
      }
      if (req.method === 'PUT' && path === '/upload/') {
        if (fault('chunk', req, res)) return;
        const p = publishes.get(new URL(req.url ?? '/', 'http://x').searchParams.get('upload_id') ?? '');
        const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(req.headers['content-range'] ?? ''));
        const body = await readBody(req);
        const bad = (status: number, message: string) => { calls.push({ endpoint: 'chunk', status }); res.writeHead(status, { 'Content-Type': 'text/plain' }).end(message); };
        if (!p) return bad(404, 'no such upload');
        if (!m) return bad(400, 'Content-Range missing or malformed');
        p.ranges.push(String(req.headers['content-range']));
        const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
        const i = Math.floor(start / p.chunkSize);
        const last = i === p.totalChunkCount - 1;
        const expEnd = last ? p.videoSize - 1 : start + p.chunkSize - 1;
        if (total !== p.videoSize || start !== i * p.chunkSize || end !== expEnd || body.length !== end - start + 1) return bad(416, `range ${start}-${end}/${total} is not chunk ${i} of the declared plan`);
        // in order: the next chunk, or one already acknowledged sent again whole
        if (i > p.chunks.length) return bad(416, `chunk ${i} before chunk ${p.chunks.length}`);
        if (i === p.chunks.length) p.chunks.push(body);
        const complete = p.chunks.length === p.totalChunkCount;
        if (complete && !p.sha256) p.sha256 = createHash('sha256').update(Buffer.concat(p.chunks)).digest('hex');
        calls.push({ endpoint: 'chunk', status: last ? 201 : 206 });
        return res.writeHead(last ? 201 : 206).end();
      }
      if (req.method === 'POST' && path === '/v2/post/publish/status/fetch/') {
        if (fault('status', req, res) || !authorized(req, res, 'status')) return;
        const { publish_id } = JSON.parse((await readBody(req)).toString() || '{}') as { publish_id?: string };
        const p = publishes.get(publish_id ?? '');
        if (!p) { calls.push({ endpoint: 'status', status: 400 }); return envelope(res, 400, {}, 'invalid_publish_id', 'publish_id does not exist'); }
        const uploaded = p.source === 'PULL_FROM_URL' || p.chunks.length === p.totalChunkCount;
        if (uploaded && p.status === 'PROCESSING_UPLOAD' && ++p.polls > (opts.processingPolls ?? 1)) {
          const reason = failNext.shift();
          if (reason) { p.status = 'FAILED'; p.failReason = reason; }
          else if (p.mode === 'draft') p.status = 'SEND_TO_USER_INBOX';
          else {
            p.status = 'PUBLISH_COMPLETE';
            // TikTok gives a public id only for posts everyone may see
            if (p.postInfo?.privacy_level === 'PUBLIC_TO_EVERYONE') p.postId = String(7_400_000_000_000_000_000n + BigInt(seq));
          }
        }
        calls.push({ endpoint: 'status', status: 200 });
        return envelope(res, 200, {
          status: p.status, ...(p.failReason ? { fail_reason: p.failReason } : {}),
          publicaly_available_post_id: p.postId ? [p.postId] : [],
          uploaded_bytes: p.chunks.reduce((n, c) => n + c.length, 0),
        });
      }
      res.writeHead(404).end('not found');
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  const listening = await listenLoopback(server);
  url = listening.url;
  return {
    url, publishes, spent, refreshTokens: refresh, calls, faults, hooks, failNext,
    count: (e) => calls.filter((c) => c.endpoint === e && c.status >= 200 && c.status < 300).length,
    expireAccessTokens: () => access.clear(),
    posted: () => [...publishes.values()].filter((p) => p.status === 'PUBLISH_COMPLETE' || p.status === 'SEND_TO_USER_INBOX'),
    close: listening.close,
  };
}
