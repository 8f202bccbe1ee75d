/**
 * A Bluesky PDS and video service on 127.0.0.1, speaking the XRPC methods bluesky.post uses as
 * the AT Protocol and Bluesky document them: createSession / refreshSession (the refresh JWT
 * rotates; the old one is refused) / getSession, ExpiredToken for an access JWT that expired,
 * getServiceAuth (aud + lxm bound tokens), resolveHandle, uploadBlob (1,000,000 bytes at most),
 * createRecord (a caller-chosen rkey; 300 graphemes; facets inside the text's UTF-8 bytes),
 * getRecord (RecordNotFound), and the video service's getUploadLimits, uploadVideo (a service-auth
 * token for the PDS's did:web scoped to com.atproto.repo.uploadBlob; a video it already has is
 * answered 409 already_exists with its job) and getJobStatus (JOB_STATE_ENCODING →
 * JOB_STATE_COMPLETED with the blob, or JOB_STATE_FAILED). CIDs are real (sha-256 CIDv1), so the
 * official client parses them. Faults per method: '500', 'drop' (socket destroyed while the body
 * arrives), 'drop-after' (the request is carried out, then the socket destroyed before answering).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLoopback } from './listen.js';

export type BskyMethod = 'createSession' | 'refreshSession' | 'getServiceAuth' | 'getUploadLimits' | 'uploadVideo' | 'getJobStatus' | 'uploadBlob' | 'createRecord' | 'getRecord' | 'resolveHandle';

export interface StoredRecord { uri: string; cid: string; value: Record<string, unknown> }
export interface Job { jobId: string; did: string; state: string; sha256: string; size: number; mime: string; blobCid: string; polls: number; error?: string }

export interface BlueskyServerOptions {
  handle: string;
  appPassword: string;
  did?: string;
  emailConfirmed?: boolean;
  dailyVideos?: number;
  dailyBytes?: number;
  /** Job status looks that still say JOB_STATE_ENCODING. @default 1 */
  processingPolls?: number;
  /** Handles resolveHandle knows (handle → DID); the account's own is added. */
  handles?: Record<string, string>;
  videoServiceDid?: string;
}

export interface BlueskyServer {
  url: string;
  did: string;
  records: Map<string, StoredRecord>;
  jobs: Map<string, Job>;
  blobs: Map<string, { size: number; mime: string }>;
  calls: Array<{ method: BskyMethod; status: number }>;
  count(m: BskyMethod): number;
  faults: Partial<Record<BskyMethod, string[]>>;
  hooks: Partial<Record<BskyMethod, (n: number) => void>>;
  failNextJob: string[];
  spentRefresh: Set<string>;
  expireAccessTokens(): void;
  posts(): StoredRecord[];
  close(): Promise<void>;
}

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';
function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) { out += B32[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}
/** CIDv1 (raw 0x55 or dag-cbor 0x71), sha2-256, base32 multibase. */
export function cidOf(data: Buffer | string, codec = 0x55): string {
  const digest = createHash('sha256').update(data).digest();
  return `b${base32(Buffer.concat([Buffer.from([0x01, codec, 0x12, 0x20]), digest]))}`;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}
const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
const graphemes = (s: string) => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(s)].length;

export async function startBlueskyServer(opts: BlueskyServerOptions): Promise<BlueskyServer> {
  const did = opts.did ?? 'did:plc:mpv2testaccount0000001';
  const videoDid = opts.videoServiceDid ?? 'did:web:video.bsky.app';
  const handles = new Map(Object.entries({ ...opts.handles, [opts.handle]: did }));
  const access = new Set<string>();
  const refresh = new Set<string>();
  const spentRefresh = new Set<string>();
  const service = new Map<string, { aud: string; lxm?: string }>();
  const records = new Map<string, StoredRecord>();
  const jobs = new Map<string, Job>();
  const blobs = new Map<string, { size: number; mime: string }>();
  const calls: BlueskyServer['calls'] = [];
  const faults: BlueskyServer['faults'] = {};
  const hooks: BlueskyServer['hooks'] = {};
  const arrived = new Map<BskyMethod, number>();
  const failNextJob: string[] = [];
  let url = '';
  let videosToday = 0;
  let bytesToday = 0;

  const xerr = (res: ServerResponse, m: BskyMethod, status: number, error: string, message: string) => { calls.push({ method: m, status }); json(res, status, { error, message }); };
  const didDoc = () => ({ '@context': ['https://www.w3.org/ns/did/v1'], id: did, alsoKnownAs: [`at://${opts.handle}`], service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: url }] });
  const pdsDid = () => `did:web:${encodeURIComponent(new URL(url).host)}`;
  const session = () => {
    const accessJwt = `acc.${randomBytes(12).toString('hex')}`;
    const refreshJwt = `ref.${randomBytes(12).toString('hex')}`;
    access.add(accessJwt);
    refresh.add(refreshJwt);
    return { accessJwt, refreshJwt, handle: opts.handle, did, didDoc: didDoc(), email: 'me@example.org', emailConfirmed: opts.emailConfirmed ?? true, emailAuthFactor: false, active: true };
  };
  const bearer = (req: IncomingMessage) => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  /** A PDS method needing the access JWT: ExpiredToken for one that expired. */
  const authed = (req: IncomingMessage, res: ServerResponse, m: BskyMethod): boolean => {
    const t = bearer(req);
    if (access.has(t)) return true;
    if (t.startsWith('acc.')) xerr(res, m, 400, 'ExpiredToken', 'Token has expired');
    else xerr(res, m, 401, 'AuthenticationRequired', 'Authentication Required');
    return false;
  };
  const serviceAuthed = (req: IncomingMessage, res: ServerResponse, m: BskyMethod, aud: string, lxm: string): boolean => {
    const t = service.get(bearer(req));
    if (t && t.aud === aud && t.lxm === lxm) return true;
    xerr(res, m, 401, 'AuthenticationRequired', `a service-auth token for aud ${aud} and lxm ${lxm} is required`);
    return false;
  };

  const server = createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const m = u.pathname.replace(/^\/xrpc\/(?:com\.atproto\.(?:server|repo|identity)|app\.bsky\.video)\./, '') as BskyMethod;
    const n = (arrived.get(m) ?? 0) + 1;
    arrived.set(m, n);
    hooks[m]?.(n);
    const f = faults[m]?.shift();
    if (f === 'drop') { calls.push({ method: m, status: 0 }); req.once('data', () => req.socket.destroy()); req.resume(); return; }
    if (f === '500') return xerr(res, m, 500, 'InternalServerError', 'Internal Server Error');
    /** 'drop-after': carry the request out, then cut the connection instead of answering. */
    const answer = (status: number, body: unknown) => {
      calls.push({ method: m, status: f === 'drop-after' ? 0 : status });
      if (f === 'drop-after') req.socket.destroy();
      else json(res, status, body);
    };
    try {
      switch (m) {
        case 'createSession': {
          const b = JSON.parse((await readBody(req)).toString()) as { identifier?: string; password?: string };
          if ((b.identifier !== opts.handle && b.identifier !== did) || b.password !== opts.appPassword) return xerr(res, m, 401, 'AuthenticationRequired', 'Invalid identifier or password');
          return answer(200, session());
        }
        case 'refreshSession': {
          const t = bearer(req);
          if (!refresh.has(t)) return xerr(res, m, 400, spentRefresh.has(t) ? 'ExpiredToken' : 'InvalidToken', 'Token has been revoked');
          refresh.delete(t);
          spentRefresh.add(t);
          return answer(200, session());
        }
        case 'getSession' as BskyMethod: {
          if (!authed(req, res, m)) return;
          const { accessJwt: _a, refreshJwt: _r, ...rest } = session();
          return answer(200, rest);
        }
        case 'getServiceAuth': {
          if (!authed(req, res, m)) return;
          const token = `svc.${randomBytes(12).toString('hex')}`;
          service.set(token, { aud: u.searchParams.get('aud') ?? '', lxm: u.searchParams.get('lxm') ?? undefined });
          return answer(200, { token });
        }
        case 'resolveHandle': {
          const h = u.searchParams.get('handle') ?? '';
          const d = handles.get(h);
          return d ? answer(200, { did: d }) : xerr(res, m, 400, 'InvalidRequest', 'Unable to resolve handle');
        }
        case 'getUploadLimits': {
          if (!serviceAuthed(req, res, m, videoDid, 'app.bsky.video.getUploadLimits')) return;
          const leftV = (opts.dailyVideos ?? 25) - videosToday;
          const leftB = (opts.dailyBytes ?? 10 * 1024 ** 3) - bytesToday;
          if (opts.emailConfirmed === false) return answer(200, { canUpload: false, error: 'unconfirmed_email', message: 'You must verify your email address before uploading videos.' });
          return answer(200, { canUpload: leftV > 0 && leftB > 0, remainingDailyVideos: leftV, remainingDailyBytes: leftB, ...(leftV > 0 ? {} : { message: 'You have reached your daily upload limit' }) });
        }
        case 'uploadVideo': {
          if (!serviceAuthed(req, res, m, pdsDid(), 'com.atproto.repo.uploadBlob')) return;
          const body = await readBody(req);
          const sha = createHash('sha256').update(body).digest('hex');
          const known = [...jobs.values()].find((j) => j.sha256 === sha && j.state !== 'JOB_STATE_FAILED');
          if (known) return answer(409, { jobId: known.jobId, did, state: known.state, error: 'already_exists', message: 'Video already processed' });
          videosToday++;
          bytesToday += body.length;
          const job: Job = { jobId: `job_${randomBytes(6).toString('hex')}`, did: u.searchParams.get('did') ?? '', state: 'JOB_STATE_CREATED', sha256: sha, size: body.length, mime: String(req.headers['content-type']), blobCid: cidOf(body), polls: 0 };
          jobs.set(job.jobId, job);
          blobs.set(job.blobCid, { size: body.length, mime: job.mime });
          return answer(200, { jobId: job.jobId, did: job.did, state: job.state });
        }
        case 'getJobStatus': {
          const job = jobs.get(u.searchParams.get('jobId') ?? '');
          if (!job) return xerr(res, m, 404, 'NotFound', 'job not found');
          if (job.state !== 'JOB_STATE_COMPLETED' && job.state !== 'JOB_STATE_FAILED' && ++job.polls > (opts.processingPolls ?? 1)) {
            const reason = failNextJob.shift();
            if (reason) { job.state = 'JOB_STATE_FAILED'; job.error = reason; } else job.state = 'JOB_STATE_COMPLETED';
          } else if (job.state === 'JOB_STATE_CREATED') job.state = 'JOB_STATE_ENCODING';
          return answer(200, { jobStatus: { jobId: job.jobId, did: job.did, state: job.state, ...(job.error ? { error: job.error, message: 'Video processing failed' } : {}), ...(job.state === 'JOB_STATE_COMPLETED' ? { blob: { $type: 'blob', ref: { $link: job.blobCid }, mimeType: job.mime, size: job.size } } : {}) } });
        }
        case 'uploadBlob': {
          if (!authed(req, res, m)) return;
          const body = await readBody(req);
          if (body.length > 1_000_000) return xerr(res, m, 400, 'BlobTooLarge', 'This file is too large');
          const cid = cidOf(body);
          blobs.set(cid, { size: body.length, mime: String(req.headers['content-type']) });
          return answer(200, { blob: { $type: 'blob', ref: { $link: cid }, mimeType: String(req.headers['content-type']), size: body.length } });
        }
        case 'createRecord': {
          if (!authed(req, res, m)) return;
          const b = JSON.parse((await readBody(req)).toString()) as { repo: string; collection: string; rkey?: string; record: { text?: string; facets?: Array<{ index: { byteStart: number; byteEnd: number } }> } };
          if (b.repo !== did) return xerr(res, m, 400, 'InvalidRequest', 'repo is not the session\'s');
          const text = b.record.text ?? '';
          if (graphemes(text) > 300) return xerr(res, m, 400, 'InvalidRequest', 'Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes');
          const bytes = Buffer.byteLength(text);
          if ((b.record.facets ?? []).some((x) => x.index.byteStart < 0 || x.index.byteEnd > bytes || x.index.byteStart > x.index.byteEnd)) return xerr(res, m, 400, 'InvalidRequest', 'facet outside the text');
          const rkey = b.rkey ?? `${Date.now()}`;
          const uri = `at://${did}/${b.collection}/${rkey}`;
          if (records.has(uri)) return xerr(res, m, 400, 'InvalidRequest', 'Record already exists');
          const cid = cidOf(JSON.stringify(b.record), 0x71);
          records.set(uri, { uri, cid, value: b.record as Record<string, unknown> });
          return answer(200, { uri, cid, validationStatus: 'valid' });
        }
        case 'getRecord': {
          const uri = `at://${u.searchParams.get('repo')}/${u.searchParams.get('collection')}/${u.searchParams.get('rkey')}`;
          const r = records.get(uri);
          return r ? answer(200, r) : xerr(res, m, 400, 'RecordNotFound', `Could not locate record: ${uri}`);
        }
        default:
          return xerr(res, m, 404, 'MethodNotImplemented', `no method ${u.pathname}`);
      }
    } catch (e) {
      if (!res.headersSent) json(res, 500, { error: 'InternalServerError', message: String(e) });
    }
  });
  const listening = await listenLoopback(server);
  url = listening.url;
  return {
    url, did, records, jobs, blobs, calls, faults, hooks, failNextJob, spentRefresh,
    count: (m) => calls.filter((c) => c.method === m && c.status >= 200 && c.status < 300).length,
    expireAccessTokens: () => access.clear(),
    posts: () => [...records.values()],
    close: listening.close,
  };
}
