/**
 * One Reel through the Instagram Graph API: a REELS container with `upload_type=resumable`,
 * the bytes to the container's upload URL (resumed from the offset Instagram reports after a
 * drop), the container's `status_code` polled until FINISHED, then `media_publish`.
 *
 * Only `media_publish` makes a post, and it needs the container id, which is saved the moment
 * Instagram returns it: an attempt that never saved one cannot have published anything, and
 * one that did is settled by asking that container (PUBLISHED or not). The caption's marker
 * line finds the post's media id, which the container does not give.
 */
import { abortableSleep, mayBeDone, mpv2Error, pluginError } from 'mpv2/plugin';
import type { Account, StepContext } from 'mpv2/plugin';
import { reloginHint } from './account-type.js';
import type { InstagramConfig } from './config.js';
import { CONTAINER_TTL_MS, type ContainerData, type ContainerRecord } from './container-record.js';
import { Graph, graphCode } from '../graph.js';
import type { VideoFacts } from './validate.js';

export interface ReelRequest {
  file: string;
  facts: VideoFacts;
  caption: string;
  marker?: string;
  shareToFeed: boolean;
  thumbOffsetMs?: number;
  coverUrl?: string;
}

export interface PublishedReel { mediaId: string; url: string; containerId: string; account: string }

type StatusCode = 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED';
interface ContainerStatus {
  id: string;
  status_code?: StatusCode;
  /** With ERROR: what went wrong. */
  status?: string;
  video_status?: { uploading_phase?: { status?: string; bytes_transferred?: number } };
}

export class InstagramPublisher {
  private constructor(private readonly ctx: StepContext, private readonly cfg: InstagramConfig, readonly account: Account, private readonly userId: string, private readonly graph: Graph) {}

  static async open(ctx: StepContext, cfg: InstagramConfig, account: Account): Promise<InstagramPublisher> {
    const { accessToken } = await ctx.accounts.credentials(account.name);
    const userId = typeof account.settings.userId === 'string' ? account.settings.userId : '';
    if (!accessToken || !userId) {
      throw mpv2Error('E_MISSING_KEY', `instagram account "${account.name}" has no ${accessToken ? 'userId' : 'accessToken'}`, {
        hint: `mpv2 accounts add instagram --name ${account.name} --update --set userId=… --secret accessToken=… (docs/plugins/instagram.md)`,
      });
    }
    const graph = new Graph({ http: ctx.http, settings: cfg, token: accessToken, signal: ctx.signal, reloginHint: reloginHint(account.name) });
    return new InstagramPublisher(ctx, cfg, account, userId, graph);
  }

  /** The moving 24-hour publishing limit: what is left, and a refusal when nothing is. Also proves the token works. */
  async checkLimit(): Promise<{ used: number; total: number }> {
    const res = await this.graph.get<{ data?: Array<{ quota_usage?: number; config?: { quota_total?: number; quota_duration?: number } }> }>(
      `${this.userId}/content_publishing_limit`, { fields: 'config,quota_usage' }, 'reading the publishing limit');
    const used = res.data?.[0]?.quota_usage ?? 0;
    const total = res.data?.[0]?.config?.quota_total ?? Infinity;
    if (used >= total) {
      throw pluginError('instagram/PUBLISHING_LIMIT', `Instagram account "${this.account.name}" published ${used} of the ${total} posts the API allows in a moving 24 hours`, {
        hint: 'nothing was uploaded; run it again once the oldest of those posts is 24 hours old, or rotate to another account', notDone: true,
      });
    }
    this.ctx.log.debug(`publishing limit: ${used} of ${total} used in the last 24 hours`);
    return { used, total };
  }

  /** The act: create (or resume) the container, upload, wait, publish. */
  async publish(req: ReelRequest, record: ContainerRecord): Promise<PublishedReel> {
    let c = await this.resumable(req, record);
    if (!c) {
      const created = await this.graph.post<{ id: string; uri?: string }>(`${this.userId}/media`, {
        media_type: 'REELS', upload_type: 'resumable', caption: req.caption, share_to_feed: req.shareToFeed,
        ...(req.thumbOffsetMs !== undefined && { thumb_offset: req.thumbOffsetMs }),
        ...(req.coverUrl !== undefined && { cover_url: req.coverUrl }),
      }, 'creating the Reels container');
      if (!created.id || !created.uri) throw mpv2Error('E_HTTP', 'Instagram created a container without an id and upload URL', { retryable: true });
      const data = { account: this.account.name, userId: this.userId, containerId: created.id, uri: created.uri, size: req.facts.bytes };
      await record.set(data);
      c = { ...data, createdAt: new Date().toISOString(), offset: 0 };
    }
    const container = c;
    try {
      if (container.offset < req.facts.bytes) await this.upload(container, req, container.offset);
      await this.waitFinished(container.containerId);
      const published = await this.graph.post<{ id: string }>(`${this.userId}/media_publish`, { creation_id: container.containerId }, 'publishing the Reel');
      return { mediaId: published.id, url: await this.permalink(published.id), containerId: container.containerId, account: this.account.name };
    } catch (e) {
      // a refused media_publish, an ERROR container: Instagram says it published nothing
      if (isRefusal(e)) throw e;
      throw mayBeDone(e);
    }
  }

  /** After a crash: the post, if the saved container (or the marker) shows one was made. */
  async reconcile(req: ReelRequest, record: ContainerRecord): Promise<PublishedReel | undefined> {
    const c = await record.get();
    if (c) {
      const s = await this.status(c.containerId).catch((e: unknown) => { if (graphCode(e).code === 100) return undefined; throw e; });
      if (s?.status_code === 'PUBLISHED') return this.found(c.containerId, req);
      // not published: the act resumes this container, or makes a new one if it failed
      if (s) return undefined;
    }
    // no container saved (or it is gone): only the marker can show a post
    const media = await this.findByMarker(req.marker);
    return media ? { ...media, containerId: c?.containerId ?? '', account: this.account.name } : undefined;
  }

  /** The saved container with the offset to go on from, when it can still be published. */
  private async resumable(req: ReelRequest, record: ContainerRecord): Promise<(ContainerData & { offset: number }) | undefined> {
    const c = await record.get();
    if (!c) return undefined;
    if (c.size !== req.facts.bytes || Date.now() - Date.parse(c.createdAt) >= CONTAINER_TTL_MS) { await record.clear(); return undefined; }
    const s = await this.status(c.containerId).catch((e: unknown) => { if (graphCode(e).code === 100) return undefined; throw mayBeDone(e); });
    if (!s || s.status_code === 'ERROR' || s.status_code === 'EXPIRED') {
      this.ctx.log.info(`the container of an earlier attempt is ${s?.status_code ?? 'gone'}${s?.status ? ` (${s.status})` : ''}; starting a new one`);
      await record.clear();
      return undefined;
    }
    const offset = s.status_code === 'IN_PROGRESS' ? transferred(s) : c.size;
    this.ctx.log.info(`resuming the container of an earlier attempt (${s.status_code}) at byte ${offset} of ${c.size}`);
    return { ...c, offset };
  }

  /** Sends the file, resuming from the offset Instagram reports after each drop. */
  private async upload(c: ContainerData, req: ReelRequest, start: number): Promise<void> {
    let offset = start;
    for (let resumes = 0; ; resumes++) {
      this.ctx.progress({ fraction: offset / c.size, message: `uploading from byte ${offset} of ${c.size}` });
      try {
        await this.graph.upload(c.uri, req.file, offset, c.size, 'uploading the video');
        this.ctx.progress({ fraction: 1, message: 'uploaded; Instagram is processing the video' });
        return;
      } catch (e) {
        if (!(e as { retryable?: boolean }).retryable || resumes >= this.cfg.maxResumeAttempts) throw e;
        offset = transferred(await this.status(c.containerId));
        this.ctx.log.info(`the upload was cut off; Instagram holds ${offset} of ${c.size} bytes, resuming there`);
      }
    }
  }

  private async waitFinished(id: string): Promise<void> {
    const deadline = Date.now() + this.cfg.processingTimeoutMs;
    for (;;) {
      const s = await this.status(id);
      if (s.status_code === 'FINISHED') return;
      if (s.status_code === 'ERROR' || s.status_code === 'EXPIRED') {
        throw pluginError('instagram/CONTAINER_ERROR', `Instagram could not process the video: container ${id} is ${s.status_code}${s.status ? `: ${s.status}` : ''}`, {
          hint: s.status_code === 'EXPIRED' ? 'containers expire 24 hours after they are made; the next run makes a new one' : 'check the video against docs/plugins/instagram.md (codec, frame rate, size); the next run makes a new container',
          notDone: true, details: { containerId: id, statusCode: s.status_code, reason: s.status },
        });
      }
      if (s.status_code === 'PUBLISHED') throw mpv2Error('E_HTTP', `container ${id} was published by another attempt`, { retryable: false });
      if (Date.now() >= deadline) throw mpv2Error('E_TIMEOUT', `Instagram was still processing container ${id} after ${this.cfg.processingTimeoutMs} ms`, { retryable: true, hint: 'the next run goes on with the same container' });
      await abortableSleep(this.cfg.pollIntervalMs, this.ctx.signal);
    }
  }

  private status(id: string): Promise<ContainerStatus> {
    return this.graph.get<ContainerStatus>(id, { fields: 'status_code,status,video_status' }, 'reading the container status');
  }

  private async found(containerId: string, req: ReelRequest): Promise<PublishedReel> {
    const media = await this.findByMarker(req.marker);
    if (!media) this.ctx.log.warn(`container ${containerId} was published, but no recent post carries the caption marker: the output has no media id`);
    return { mediaId: media?.mediaId ?? '', url: media?.url ?? '', containerId, account: this.account.name };
  }

  private async findByMarker(marker: string | undefined): Promise<{ mediaId: string; url: string } | undefined> {
    if (!marker) return undefined;
    const res = await this.graph.get<{ data?: Array<{ id: string; caption?: string; permalink?: string }> }>(
      `${this.userId}/media`, { fields: 'id,caption,permalink,timestamp', limit: 50 }, 'listing recent posts');
    const m = res.data?.find((p) => p.caption?.split('\n').some((line) => line.trim() === marker));
    return m ? { mediaId: m.id, url: m.permalink ?? '' } : undefined;
  }

  /** The post's address; a failure here loses only the URL, never the post. */
  private async permalink(mediaId: string): Promise<string> {
    try {
      return (await this.graph.get<{ permalink?: string }>(mediaId, { fields: 'permalink' }, 'reading the permalink')).permalink ?? '';
    } catch (e) {
      this.ctx.log.warn(`published as media ${mediaId}, but its permalink could not be read: ${(e as Error).message}`);
      return '';
    }
  }
}

function transferred(s: ContainerStatus): number {
  return s.video_status?.uploading_phase?.bytes_transferred ?? 0;
}

function isRefusal(e: unknown): boolean {
  return (e as { notDone?: boolean }).notDone === true;
}
