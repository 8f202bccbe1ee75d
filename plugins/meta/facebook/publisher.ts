/**
 * One Page Reel through the Graph API: `video_reels` with upload_phase=start (→ a video id and
 * an upload URL), the bytes to that URL (resumed from the `bytes_transferred` the video's
 * status reports after a drop), upload_phase=finish with the video state (PUBLISHED, DRAFT or
 * SCHEDULED + scheduled_publish_time), then the status polled until Facebook is done.
 *
 * Only `finish` publishes, and it names the video id, which is saved the moment Facebook
 * returns it: finishing the same video again makes no second Reel, so an attempt in doubt is
 * settled by that video's status (and finished if it was not). The description's marker line
 * finds the Reel among the Page's when no video id was saved.
 */
import { abortableSleep, mayBeDone, mpv2Error, pluginError } from 'mpv2/plugin';
import type { Account, StepContext } from 'mpv2/plugin';
import { reloginHint } from './account-type.js';
import type { FacebookConfig } from './config.js';
import { Graph, graphCode } from '../graph.js';
import { PublishWindow } from './publish-window.js';
import type { VideoFacts } from './validate.js';
import type { VideoData, VideoRecord } from './video-record.js';

export type ReelState = 'published' | 'scheduled' | 'draft';

export interface ReelRequest {
  file: string;
  facts: VideoFacts;
  description: string;
  marker?: string;
  state: ReelState;
  /** Unix seconds, with `scheduled`. */
  scheduledPublishTime?: number;
}

export interface PublishedReel { videoId: string; url: string; account: string; state: ReelState; publishAt?: string }

type Phase = { status?: 'not_started' | 'in_progress' | 'complete' | 'error'; errors?: Array<{ code?: number; message?: string }> };
interface VideoStatus {
  id: string;
  status?: {
    video_status?: string;
    uploading_phase?: Phase & { bytes_transferred?: number };
    processing_phase?: Phase;
    publishing_phase?: Phase & { publish_status?: 'not_published' | 'published' | 'scheduled'; publish_time?: number };
  };
}

export class FacebookPublisher {
  readonly window: PublishWindow;

  private constructor(private readonly ctx: StepContext, private readonly cfg: FacebookConfig, readonly account: Account, private readonly pageId: string, private readonly graph: Graph) {
    this.window = new PublishWindow(ctx.store, pageId, cfg.reelsPer24h);
  }

  static async open(ctx: StepContext, cfg: FacebookConfig, account: Account): Promise<FacebookPublisher> {
    const { pageAccessToken } = await ctx.accounts.credentials(account.name);
    const pageId = typeof account.settings.pageId === 'string' ? account.settings.pageId : '';
    if (!pageAccessToken || !pageId) {
      throw mpv2Error('E_MISSING_KEY', `facebook account "${account.name}" has no ${pageAccessToken ? 'pageId' : 'pageAccessToken'}`, {
        hint: `mpv2 accounts add facebook --name ${account.name} --update --set pageId=… --secret pageAccessToken=… (docs/plugins/facebook.md)`,
      });
    }
    const graph = new Graph({ http: ctx.http, settings: cfg, token: pageAccessToken, signal: ctx.signal, reloginHint: reloginHint(account.name) });
    return new FacebookPublisher(ctx, cfg, account, pageId, graph);
  }

  /** The Page's name: a cheap call that proves the token works before anything is uploaded. */
  async checkToken(): Promise<string> {
    return (await this.graph.get<{ name?: string }>(this.pageId, { fields: 'id,name' }, 'reading the Page')).name ?? this.pageId;
  }

  /** The act: start (or resume) the upload, send the bytes, finish, wait. */
  async publish(req: ReelRequest, record: VideoRecord): Promise<PublishedReel> {
    let v = await this.resumable(req, record);
    if (v && 'done' in v) return v.done;
    if (!v) {
      const started = await this.graph.post<{ video_id: string; upload_url?: string }>(`${this.pageId}/video_reels`, { upload_phase: 'start' }, 'starting the Reel upload');
      if (!started.video_id) throw mpv2Error('E_HTTP', 'Facebook started an upload without a video id', { retryable: true });
      const data = { account: this.account.name, pageId: this.pageId, videoId: started.video_id, uploadUrl: started.upload_url ?? `https://rupload.facebook.com/video-upload/${this.cfg.graphVersion}/${started.video_id}`, size: req.facts.bytes };
      await record.set(data);
      v = { ...data, createdAt: new Date().toISOString(), offset: 0 };
    }
    const video = v;
    try {
      if (video.offset < req.facts.bytes) await this.upload(video, req, video.offset);
      await this.graph.post(`${this.pageId}/video_reels`, {
        upload_phase: 'finish', video_id: video.videoId, video_state: req.state.toUpperCase(), description: req.description,
        ...(req.scheduledPublishTime !== undefined && { scheduled_publish_time: req.scheduledPublishTime }),
      }, 'finishing the Reel');
      await this.waitDone(video.videoId, req.state);
      return await this.result(video.videoId, req);
    } catch (e) {
      // a refused finish, a processing error: Facebook says nothing was published
      if ((e as { notDone?: boolean }).notDone === true) throw e;
      throw mayBeDone(e);
    }
  }

  /** After a crash: the Reel, if the saved video (or the marker) shows it was published or scheduled. */
  async reconcile(req: ReelRequest, record: VideoRecord): Promise<PublishedReel | undefined> {
    const v = await record.get();
    if (v) {
      const s = await this.status(v.videoId).catch((e: unknown) => { if (graphCode(e).code === 100) return undefined; throw e; });
      const published = s?.status?.publishing_phase?.publish_status;
      if (published === 'published' || published === 'scheduled') return this.result(v.videoId, req);
      // a draft, or not finished: the act finishes the same video again, which makes no second Reel
      if (s) return undefined;
    }
    const found = await this.findByMarker(req.marker);
    return found ? this.result(found, req) : undefined;
  }

  /** The saved video with the offset to go on from; `done` when an earlier attempt already finished it. */
  private async resumable(req: ReelRequest, record: VideoRecord): Promise<(VideoData & { offset: number }) | { done: PublishedReel } | undefined> {
    const v = await record.get();
    if (!v) return undefined;
    if (v.size !== req.facts.bytes) { await record.clear(); return undefined; }
    const s = await this.status(v.videoId).catch((e: unknown) => { if (graphCode(e).code === 100) return undefined; throw mayBeDone(e); });
    const st = s?.status;
    if (!st || st.video_status === 'expired' || st.video_status === 'error' || st.uploading_phase?.status === 'error' || st.processing_phase?.status === 'error') {
      this.ctx.log.info(`the video of an earlier attempt is ${st?.video_status ?? 'gone'}; starting a new upload`);
      await record.clear();
      return undefined;
    }
    const p = st.publishing_phase?.publish_status;
    if ((p === 'published' && req.state === 'published') || (p === 'scheduled' && req.state === 'scheduled')) return { done: await this.result(v.videoId, req) };
    const offset = st.uploading_phase?.status === 'complete' ? v.size : st.uploading_phase?.bytes_transferred ?? 0;
    this.ctx.log.info(`resuming the video of an earlier attempt at byte ${offset} of ${v.size}`);
    return { ...v, offset };
  }

  private async upload(v: VideoData, req: ReelRequest, start: number): Promise<void> {
    let offset = start;
    for (let resumes = 0; ; resumes++) {
      this.ctx.progress({ fraction: offset / v.size, message: `uploading from byte ${offset} of ${v.size}` });
      try {
        await this.graph.upload(v.uploadUrl, req.file, offset, v.size, 'uploading the video');
        this.ctx.progress({ fraction: 1, message: 'uploaded' });
        return;
      } catch (e) {
        if (!(e as { retryable?: boolean }).retryable || resumes >= this.cfg.maxResumeAttempts) throw e;
        offset = (await this.status(v.videoId)).status?.uploading_phase?.bytes_transferred ?? 0;
        this.ctx.log.info(`the upload was cut off; Facebook holds ${offset} of ${v.size} bytes, resuming there`);
      }
    }
  }

  /** Until processing is complete and the Reel is published (or scheduled; a draft only needs processing). */
  private async waitDone(id: string, state: ReelState): Promise<void> {
    const deadline = Date.now() + this.cfg.processingTimeoutMs;
    for (;;) {
      const st = (await this.status(id)).status;
      const failed = [st?.uploading_phase, st?.processing_phase, st?.publishing_phase].find((p) => p?.status === 'error');
      if (failed || st?.video_status === 'error' || st?.video_status === 'expired') {
        const reason = failed?.errors?.map((x) => x.message).filter(Boolean).join('; ') || st?.video_status || 'error';
        throw pluginError('facebook/VIDEO_ERROR', `Facebook could not process Reel video ${id}: ${reason}`, {
          hint: 'check the video against docs/plugins/facebook.md (9:16, 540x960 or more, 3–90 s, 24–60 fps); the next run uploads it again',
          notDone: true, details: { videoId: id, reason },
        });
      }
      const processed = st?.processing_phase?.status === 'complete';
      const pub = st?.publishing_phase?.publish_status;
      if (processed && (state === 'draft' || (state === 'published' && pub === 'published') || (state === 'scheduled' && pub === 'scheduled'))) return;
      if (Date.now() >= deadline) throw mpv2Error('E_TIMEOUT', `Facebook was still processing Reel video ${id} after ${this.cfg.processingTimeoutMs} ms`, { retryable: true, hint: 'the next run goes on with the same video' });
      await abortableSleep(this.cfg.pollIntervalMs, this.ctx.signal);
    }
  }

  private status(id: string): Promise<VideoStatus> {
    return this.graph.get<VideoStatus>(id, { fields: 'status' }, 'reading the video status');
  }

  private async result(videoId: string, req: ReelRequest): Promise<PublishedReel> {
    let url = '';
    try {
      const link = (await this.graph.get<{ permalink_url?: string }>(videoId, { fields: 'permalink_url' }, 'reading the permalink')).permalink_url ?? '';
      url = link ? new URL(link, 'https://www.facebook.com').toString() : '';
    } catch (e) {
      // the Reel exists; only its address is missing
      this.ctx.log.warn(`Reel video ${videoId}: its permalink could not be read: ${(e as Error).message}`);
    }
    return {
      videoId, url, account: this.account.name, state: req.state,
      ...(req.scheduledPublishTime !== undefined && { publishAt: new Date(req.scheduledPublishTime * 1000).toISOString() }),
    };
  }

  private async findByMarker(marker: string | undefined): Promise<string | undefined> {
    if (!marker) return undefined;
    const res = await this.graph.get<{ data?: Array<{ id: string; description?: string }> }>(
      `${this.pageId}/video_reels`, { fields: 'id,description,created_time', limit: 50 }, 'listing the Page\'s Reels');
    return res.data?.find((r) => r.description?.split('\n').some((line) => line.trim() === marker))?.id;
  }
}
