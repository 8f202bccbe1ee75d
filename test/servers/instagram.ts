/**
 * The Instagram Graph API's content publishing for Reels, on 127.0.0.1, as Meta documents it
 * (developers.facebook.com/docs/instagram-platform/content-publishing/resumable-uploads):
 * `POST /{ig-user-id}/media` with media_type=REELS and upload_type=resumable → `{ id, uri }`
 * (the uri on rupload.facebook.com, which the client's `uploadBaseUrl` rewrites to here); the
 * rupload POST; `GET /{container-id}?fields=status_code,status,video_status` (IN_PROGRESS,
 * FINISHED, ERROR with its reason, EXPIRED, PUBLISHED; `video_status.uploading_phase.bytes_transferred`
 * tells where an interrupted upload stands); `POST /{ig-user-id}/media_publish` with
 * creation_id; `GET /{ig-user-id}/media` (recent posts with caption and permalink);
 * `GET /{ig-user-id}/content_publishing_limit` (quota_usage of config.quota_total in a moving
 * 24 h; media_publish past it answers code 9 / subcode 2207042).
 */
import { createHash } from 'node:crypto';
import { graphError, json, preFault, startGraphServer, type GraphServer, type Upload } from './meta-graph.js';

export interface Container extends Upload {
  userId: string;
  params: Record<string, unknown>;
  statusCode: 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED';
  reason?: string;
  polls: number;
  outcome: string;
}

export interface IgMedia { id: string; userId: string; caption: string; permalink: string; containerId: string; sha256: string; bytes: number }

export interface InstagramServer extends GraphServer {
  containers: Map<string, Container>;
  media: IgMedia[];
  /** Per IG user: posts published in the moving window, and the limit. */
  quota: Map<string, { usage: number; total: number }>;
  /** How the next containers end once uploaded (`FINISHED`, `ERROR:<reason>`, `EXPIRED`), one each; FINISHED when empty. */
  outcomes: string[];
  /** Status looks a container stays IN_PROGRESS after its last byte. @default 1 */
  processingPolls: number;
  /** The `instagram` config section pointing here. */
  config: { graphBaseUrl: string; uploadBaseUrl: string; graphVersion: string; pollIntervalMs: number };
}

export async function startInstagramServer(o: { users: Record<string, string>; version?: string }): Promise<InstagramServer> {
  const version = o.version ?? 'v26.0';
  const containers = new Map<string, Container>();
  const media: IgMedia[] = [];
  const quota = new Map(Object.keys(o.users).map((u) => [u, { usage: 0, total: 100 }]));
  let seq = 17_900_000_000_000_000n;
  const newId = () => String(++seq);
  const ownerOf = (token: string) => Object.entries(o.users).find(([, t]) => t === token)?.[0];

  const base = await startGraphServer({
    version, uploadPrefix: 'ig-api-upload',
    upload: (id) => containers.get(id),
    async route(r, s) {
      const [id, edge] = r.parts;
      const token = /^Bearer (.+)$/.exec(r.req.headers.authorization ?? '')?.[1] ?? r.query.access_token ?? '';
      const mine = id !== undefined && ownerOf(token) === id;
      if (r.req.method === 'POST' && edge === 'media' && mine) {
        const f = preFault(s, r, 'create');
        if (f === 'answered') return true;
        if (r.body.media_type !== 'REELS' || r.body.upload_type !== 'resumable') { graphError(r.res, 400, 100, 'The parameter media_type must be REELS with upload_type=resumable'); return true; }
        if ([...String(r.body.caption ?? '')].length > 2200) { graphError(r.res, 400, 100, 'The caption is too long', { error_subcode: 2207010 }); return true; }
        const c: Container = { id: newId(), userId: id, params: r.body, statusCode: 'IN_PROGRESS', polls: 0, outcome: ig.outcomes.shift() ?? 'FINISHED', received: [], length: 0 };
        containers.set(c.id, c);
        if (f === 'drop-after') { r.req.socket.destroy(); return true; }
        json(r.res, 200, { id: c.id, uri: `https://rupload.facebook.com/ig-api-upload/${version}/${c.id}` });
        return true;
      }
      if (r.req.method === 'POST' && edge === 'media_publish' && mine) {
        const f = preFault(s, r, 'publish');
        if (f === 'answered') return true;
        const q = quota.get(id)!;
        if (q.usage >= q.total) { graphError(r.res, 400, 9, 'Application request limit reached', { error_subcode: 2207042, error_user_msg: 'You reached the maximum number of posts that is allowed to be published by Content Publishing API.' }); return true; }
        const c = containers.get(String(r.body.creation_id));
        if (!c || c.userId !== id) { graphError(r.res, 400, 100, 'Invalid parameter: creation_id'); return true; }
        if (c.statusCode !== 'FINISHED') { graphError(r.res, 400, 9007, 'Media ID is not available', { error_subcode: 2207027 }); return true; }
        const bytes = Buffer.concat(c.received);
        const m: IgMedia = { id: newId(), userId: id, caption: String(c.params.caption ?? ''), permalink: '', containerId: c.id, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
        m.permalink = `https://www.instagram.com/reel/R${m.id.slice(-8)}/`;
        media.push(m);
        c.statusCode = 'PUBLISHED';
        q.usage++;
        if (f === 'drop-after') { r.req.socket.destroy(); return true; }
        json(r.res, 200, { id: m.id });
        return true;
      }
      if (r.req.method === 'GET' && edge === 'content_publishing_limit' && mine) {
        if (preFault(s, r, 'limit') === 'answered') return true;
        const q = quota.get(id)!;
        json(r.res, 200, { data: [{ quota_usage: q.usage, config: { quota_total: q.total, quota_duration: 86400 } }] });
        return true;
      }
      if (r.req.method === 'GET' && edge === 'media' && mine) {
        if (preFault(s, r, 'media.list') === 'answered') return true;
        const limit = Number(r.query.limit ?? 25);
        json(r.res, 200, { data: media.filter((m) => m.userId === id).reverse().slice(0, limit).map((m) => ({ id: m.id, caption: m.caption, permalink: m.permalink, timestamp: new Date().toISOString() })) });
        return true;
      }
      if (r.req.method === 'GET' && id && !edge) {
        const c = containers.get(id);
        if (c) {
          if (preFault(s, r, 'status') === 'answered') return true;
          if (c.statusCode === 'IN_PROGRESS' && c.size !== undefined && c.length >= c.size && ++c.polls > ig.processingPolls) {
            const [code, ...reason] = c.outcome.split(':');
            c.statusCode = code as Container['statusCode'];
            c.reason = reason.join(':') || undefined;
          }
          const uploading = c.size !== undefined && c.length >= c.size ? 'complete' : c.length > 0 ? 'in_progress' : 'not_started';
          json(r.res, 200, { id, status_code: c.statusCode, ...(c.reason && { status: c.reason }), video_status: { uploading_phase: { status: uploading, bytes_transferred: c.length } } });
          return true;
        }
        const m = media.find((x) => x.id === id);
        if (m) { r.call.endpoint = 'media.get'; json(r.res, 200, { id, permalink: m.permalink }); return true; }
      }
      return false;
    },
  });
  for (const t of Object.values(o.users)) base.tokens.add(t);
  const ig: InstagramServer = Object.assign(base, {
    containers, media, quota, outcomes: [] as string[], processingPolls: 1,
    config: { graphBaseUrl: base.url, uploadBaseUrl: base.url, graphVersion: version, pollIntervalMs: 0 },
  });
  return ig;
}
