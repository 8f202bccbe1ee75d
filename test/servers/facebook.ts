/**
 * Facebook Page Reels on 127.0.0.1, as Meta documents them
 * (developers.facebook.com/docs/video-api/guides/reels-publishing): `POST /{page-id}/video_reels`
 * with upload_phase=start → `{ video_id, upload_url }` (on rupload.facebook.com, which the
 * client's `uploadBaseUrl` rewrites to here); the rupload POST; `GET /{video-id}?fields=status`
 * (video_status, uploading_phase with bytes_transferred, processing_phase, publishing_phase
 * with publish_status and publish_time); upload_phase=finish with video_state PUBLISHED, DRAFT
 * or SCHEDULED + scheduled_publish_time → `{ success: true }`; `GET /{page-id}/video_reels`;
 * `GET /{video-id}?fields=permalink_url`; `GET /{page-id}?fields=id,name`.
 */
import { graphError, json, preFault, startGraphServer, type GraphServer, type Upload } from './meta-graph.js';

export interface FbVideo extends Upload {
  pageId: string;
  finish?: Record<string, unknown>;
  processingPolls: number;
  /** `ok`, or `error:<message>` for a processing failure. */
  outcome: string;
  processing: 'not_started' | 'in_progress' | 'complete' | 'error';
  publishStatus: 'not_published' | 'published' | 'scheduled';
  error?: string;
}

export interface FacebookServer extends GraphServer {
  videos: Map<string, FbVideo>;
  /** How the next videos end processing (`ok`, `error:<message>`), one each; ok when empty. */
  outcomes: string[];
  /** Status looks a finished video stays in processing. @default 1 */
  processingPolls: number;
  config: { graphBaseUrl: string; uploadBaseUrl: string; graphVersion: string; pollIntervalMs: number };
}

export async function startFacebookServer(o: { pages: Record<string, string>; version?: string }): Promise<FacebookServer> {
  const version = o.version ?? 'v26.0';
  const videos = new Map<string, FbVideo>();
  let seq = 1_000_000_000_000_000n;
  const pageOf = (token: string) => Object.entries(o.pages).find(([, t]) => t === token)?.[0];

  const statusOf = (v: FbVideo) => {
    const uploaded = v.size !== undefined && v.length >= v.size;
    if (v.finish && v.processing !== 'complete' && v.processing !== 'error' && ++v.processingPolls > fb.processingPolls) {
      if (v.outcome.startsWith('error:')) { v.processing = 'error'; v.error = v.outcome.slice(6); } else {
        v.processing = 'complete';
        const state = v.finish.video_state;
        if (state === 'PUBLISHED') v.publishStatus = 'published';
        if (state === 'SCHEDULED') v.publishStatus = 'scheduled';
      }
    } else if (v.finish && v.processing === 'not_started') v.processing = 'in_progress';
    return {
      video_status: v.processing === 'error' ? 'error' : v.processing === 'complete' ? 'ready' : uploaded ? 'upload_complete' : 'processing',
      uploading_phase: { status: uploaded ? 'complete' : v.length > 0 ? 'in_progress' : 'not_started', bytes_transferred: v.length },
      processing_phase: { status: v.processing, ...(v.error && { errors: [{ code: 1363008, message: v.error }] }) },
      publishing_phase: {
        status: v.publishStatus === 'not_published' ? 'not_started' : 'complete', publish_status: v.publishStatus,
        ...(v.finish?.scheduled_publish_time !== undefined && { publish_time: Number(v.finish.scheduled_publish_time) }),
      },
    };
  };

  const base = await startGraphServer({
    version, uploadPrefix: 'video-upload',
    upload: (id) => videos.get(id),
    async route(r, s) {
      const [id, edge] = r.parts;
      const token = /^Bearer (.+)$/.exec(r.req.headers.authorization ?? '')?.[1] ?? r.query.access_token ?? '';
      const mine = id !== undefined && pageOf(token) === id;
      if (r.req.method === 'POST' && edge === 'video_reels' && mine && r.body.upload_phase === 'start') {
        const f = preFault(s, r, 'start');
        if (f === 'answered') return true;
        const v: FbVideo = { id: String(++seq), pageId: id, received: [], length: 0, processingPolls: 0, outcome: fb.outcomes.shift() ?? 'ok', processing: 'not_started', publishStatus: 'not_published' };
        videos.set(v.id, v);
        if (f === 'drop-after') { r.req.socket.destroy(); return true; }
        json(r.res, 200, { video_id: v.id, upload_url: `https://rupload.facebook.com/video-upload/${version}/${v.id}` });
        return true;
      }
      if (r.req.method === 'POST' && edge === 'video_reels' && mine && r.body.upload_phase === 'finish') {
        const f = preFault(s, r, 'finish');
        if (f === 'answered') return true;
        const v = videos.get(String(r.body.video_id));
        if (!v || v.pageId !== id) { graphError(r.res, 400, 100, 'Invalid parameter: video_id'); return true; }
        if (v.size === undefined || v.length < v.size) { graphError(r.res, 400, 6000, 'There was a problem uploading your video file: the upload is not complete'); return true; }
        const state = r.body.video_state;
        if (!['PUBLISHED', 'DRAFT', 'SCHEDULED'].includes(String(state))) { graphError(r.res, 400, 100, 'Invalid parameter: video_state'); return true; }
        if (state === 'SCHEDULED') {
          const t = Number(r.body.scheduled_publish_time);
          if (!Number.isInteger(t) || t * 1000 < Date.now() + 10 * 60_000) { graphError(r.res, 400, 100, 'The specified scheduled publish time is invalid.'); return true; }
        }
        v.finish = r.body;
        if (f === 'drop-after') { r.req.socket.destroy(); return true; }
        json(r.res, 200, { success: true });
        return true;
      }
      if (r.req.method === 'GET' && edge === 'video_reels' && mine) {
        r.call.endpoint = 'reels.list';
        json(r.res, 200, { data: [...videos.values()].filter((v) => v.pageId === id && v.finish).reverse().map((v) => ({ id: v.id, description: v.finish!.description ?? '', created_time: new Date().toISOString() })) });
        return true;
      }
      if (r.req.method === 'GET' && mine && !edge) {
        if (preFault(s, r, 'page') === 'answered') return true;
        json(r.res, 200, { id, name: `Page ${id}` });
        return true;
      }
      if (r.req.method === 'GET' && id && !edge) {
        const v = videos.get(id);
        if (!v || pageOf(token) !== v.pageId) return false;
        if (r.query.fields === 'permalink_url') { r.call.endpoint = 'permalink'; json(r.res, 200, { id, permalink_url: `/reel/${id}` }); return true; }
        if (preFault(s, r, 'status') === 'answered') return true;
        json(r.res, 200, { id, status: statusOf(v) });
        return true;
      }
      return false;
    },
  });
  for (const t of Object.values(o.pages)) base.tokens.add(t);
  const fb: FacebookServer = Object.assign(base, {
    videos, outcomes: [] as string[], processingPolls: 1,
    config: { graphBaseUrl: base.url, uploadBaseUrl: base.url, graphVersion: version, pollIntervalMs: 0 },
  });
  return fb;
}
